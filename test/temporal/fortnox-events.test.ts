// The Fortnox event listener against the Fortnox sandbox's event stream and a real dev server: an order confirmed in
// Fortnox reaches the warehouse without any order sync; a dropped connection and a listener that was down replay from
// the offset the offsets workflow holds, which advances only once an event's effect is durable.
import { randomBytes } from 'node:crypto';
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../config/logger';
import { orderWorkflowSettings } from '../../domain/order-settings';
import { FortnoxEventListener, type EventTenant, type ListenerOptions } from '../../client/fortnox-events/listener';
import { bootstrapSchedules } from '../../client/schedules';
import { FortnoxClient } from '../../activities/fortnox/client';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { articlesScheduleId, orderWorkflowId, ordersScheduleId, suppliersScheduleId } from '../../domain/names';
import { fortnoxChangedSignal } from '../../workflows/order/messages';
import {
  eventOffsetsQuery,
  eventsHandledSignal,
  fortnoxEventOffsetsWorkflow,
  listenerReportsQuery,
} from '../../workflows/fortnox-event-offsets';
import { scheduledRun, startHarness, textSink, waitFor, type Harness } from './harness';
import { recordHistory } from './record';

let h: Harness | undefined;
const listeners: FortnoxEventListener[] = [];
afterEach(async () => {
  for (const l of listeners.splice(0)) await l.stop();
  // Schedules outlive the harness: a test that made them removes them.
  if (h)
    for await (const schedule of h.client.schedule.list())
      if (schedule.scheduleId.endsWith(`:${h.tenantId}`))
        await h.client.schedule.getHandle(schedule.scheduleId).delete();
  await h?.close();
  h = undefined;
});

function eventTenantOf(harness: Harness): EventTenant {
  return {
    id: harness.tenantId,
    clientSecret: harness.tenant.fortnox.auth.clientSecret,
    accessToken: () => harness.fortnox.accessToken(),
    lager: false,
    orderSettings: orderWorkflowSettings(harness.tenant.settings),
    processes: { articles: false, suppliers: false, stockLevels: false },
  };
}

function listenerFor(
  harness: Harness,
  offsetsWorkflowId: string,
  options: Partial<ListenerOptions> = {},
): FortnoxEventListener {
  const listener = new FortnoxEventListener({
    url: `${harness.sandboxes.fortnoxUrl.replace(/^http/, 'ws')}/topics-v1`,
    tenants: [eventTenantOf(harness)],
    client: harness.client,
    taskQueue: harness.taskQueue,
    logger: createLogger('silent'),
    offsetsWorkflowId,
    flushEveryMs: 100,
    backoffMs: { min: 300, max: 1000 },
    ...options,
  });
  listeners.push(listener);
  return listener;
}

/** A harness with the tenant's schedules, as at start-up: the order sync's first run done (the next is an hour off). */
async function harnessWithSchedules(): Promise<Harness> {
  const harness = await startHarness();
  await bootstrapSchedules(harness.client, [harness.tenant], harness.taskQueue);
  await scheduledRun(harness, ordersScheduleId(harness.tenantId), 1);
  return harness;
}

const inWarehouse = (harness: Harness, documentNumber: string) =>
  harness.waitForStatus(documentNumber, (s) => s.wmsOrderId !== null, 30_000);

describe('Fortnox event listener', () => {
  it('brings a confirmed order to the warehouse without an order sync, and keeps its offset durable', async () => {
    h = await startHarness();
    const offsetsId = `fortnox-event-offsets-${randomBytes(3).toString('hex')}`;
    const listener = listenerFor(h, offsetsId, { listenerId: 'replica-a', reportEveryMs: 300 });
    await listener.start();
    expect(listener.connectionState).toBe('subscribed');
    // It says so where `cli status` and `doctor` look, with the tenants its connection carries.
    const reports = () => h!.client.workflow.getHandle(offsetsId).query(listenerReportsQuery);
    await waitFor(async () => (await reports())['replica-a']?.state === 'subscribed', 10_000, 'a subscribed report');
    const first = (await reports())['replica-a']!;
    expect(first.tenants).toEqual([h.tenantId]);
    // It repeats its report (the heartbeat): `at` moves on, `since` stays, so a silent listener shows as gone.
    await waitFor(async () => (await reports())['replica-a']!.at > first.at || undefined, 10_000, 'a heartbeat');
    expect((await reports())['replica-a']!.since).toBe(first.since);
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    const status = await inWarehouse(h, documentNumber);
    expect(status.wmsOrderId).not.toBeNull();
    // The offsets workflow holds the position of an event of that order, once it was handled.
    const offsets = () => h!.client.workflow.getHandle(offsetsId).query(eventOffsetsQuery);
    await waitFor(async () => (await offsets()).orders, 10_000, 'an orders offset');

    // Connection dropped: an order confirmed meanwhile arrives by replay from the saved offset.
    await got.post(`${h.sandboxes.fortnoxUrl}/_sandbox/events/drop`, { json: {} });
    const whileDown = await h.createOrder([{ ArticleNumber: 'A101', OrderedQuantity: 1 }]);
    await inWarehouse(h, whileDown);
    await waitFor(async () => listener.counts.connects >= 2 || undefined, 10_000, 'a reconnect');
  });

  it('resumes where the last listener stopped: an order confirmed while none ran reaches the warehouse', async () => {
    h = await startHarness();
    const offsetsId = `fortnox-event-offsets-${randomBytes(3).toString('hex')}`;
    const first = listenerFor(h, offsetsId);
    await first.start();
    const before = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await inWarehouse(h, before);
    await first.stop();
    listeners.splice(listeners.indexOf(first), 1);
    const reports = await h.client.workflow.getHandle(offsetsId).query(listenerReportsQuery);
    expect(Object.values(reports).map((r) => r.state)).toEqual(['stopped']);

    const missed = await h.createOrder([{ ArticleNumber: 'A101', OrderedQuantity: 3 }]);
    const second = listenerFor(h, offsetsId);
    await second.start();
    await inWarehouse(h, missed);
    // Replayed from the offset (inclusive), so the first order's last event may come again: harmless.
    expect(second.counts.events).toBeGreaterThanOrEqual(1);
  });

  it('listens from now on and runs the order sync when Fortnox refuses the saved offset', async () => {
    h = await harnessWithSchedules();
    const offsetsId = `fortnox-event-offsets-${randomBytes(3).toString('hex')}`;
    // An offset Fortnox never gave (its stream was reset, or the offsets were restored from elsewhere).
    await h.client.workflow.start(fortnoxEventOffsetsWorkflow, {
      workflowId: offsetsId,
      taskQueue: h.taskQueue,
      args: [{ offsets: { orders: { offset: 'ozzzzz', eventTimestamp: new Date().toISOString(), processedAt: '' } } }],
    });
    const log = textSink();
    const listener = listenerFor(h, offsetsId, { logger: createLogger('warn', log.sink) });
    await listener.start();
    expect(listener.connectionState).toBe('subscribed');
    expect(log.text()).toMatch(/Fortnox refused the saved offset/);
    // The order sync covers what the refused offset would have replayed ...
    await scheduledRun(h, ordersScheduleId(h.tenantId), 2);
    // ... and events flow again from now on.
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await inWarehouse(h, documentNumber);
    await waitFor(
      async () => (await h!.client.workflow.getHandle(offsetsId).query(eventOffsetsQuery)).orders?.offset !== 'ozzzzz',
      10_000,
      'a new orders offset',
    );
  });

  it('falls back to the order sync, and says so, when its last event is older than the 14-day replay window', async () => {
    h = await harnessWithSchedules();
    const offsetsId = `fortnox-event-offsets-${randomBytes(3).toString('hex')}`;
    // A real offset, but its event is 15 days old: Fortnox would no longer replay from it.
    const old = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const fifteenDaysAgo = new Date(Date.now() - 15 * 24 * 60 * 60 * 1000).toISOString();
    await h.client.workflow.start(fortnoxEventOffsetsWorkflow, {
      workflowId: offsetsId,
      taskQueue: h.taskQueue,
      args: [{ offsets: { orders: { offset: 'o1', eventTimestamp: fifteenDaysAgo, processedAt: fifteenDaysAgo } } }],
    });
    const log = textSink();
    const listener = listenerFor(h, offsetsId, { logger: createLogger('warn', log.sink) });
    await listener.start();
    expect(listener.connectionState).toBe('subscribed');
    expect(log.text()).toMatch(/older than the 14-day replay window; listening from now on and running the order sync/);
    // The order sync ran at once (not in an hour) and brought the order the events would have.
    await scheduledRun(h, ordersScheduleId(h.tenantId), 2);
    await inWarehouse(h, old);
    // Not replayed: the stream was joined from now on.
    expect(listener.counts.events).toBe(0);
  });

  it('joining without an orders offset, runs the order sync once for the orders that came before', async () => {
    h = await harnessWithSchedules();
    // Confirmed after the last order sync, before any listener: no event will ever bring it.
    const before = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const log = textSink();
    const listener = listenerFor(h, `fortnox-event-offsets-${randomBytes(3).toString('hex')}`, {
      logger: createLogger('info', log.sink),
    });
    await listener.start();
    expect(log.text()).toMatch(/no orders offset yet; running the order sync once/);
    await inWarehouse(h, before);
    expect(listener.counts.events).toBe(0);
  });

  it('gives up an event that keeps failing, runs the order sync instead, and goes on with the next', async () => {
    h = await harnessWithSchedules();
    const offsetsId = `fortnox-event-offsets-${randomBytes(3).toString('hex')}`;
    const log = textSink();
    // Order settings that cannot be serialized: every start fails (a failure, not an outage), as a bad event's would.
    const tenant = eventTenantOf(h);
    const unserializable = { ...tenant, orderSettings: { ...tenant.orderSettings, broken: 1n } as never };
    const listener = listenerFor(h, offsetsId, {
      tenants: [unserializable],
      maxAttempts: 2,
      logger: createLogger('warn', log.sink),
    });
    await listener.start();
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await waitFor(async () => listener.counts.givenUp >= 1 || undefined, 20_000, 'an event given up');
    expect(log.text()).toMatch(/Fortnox event given up; running the order sync for its tenant instead/);
    // The safety net ran at once (not in an hour) and brought the order; the offset moved past the event, so later
    // ones are not held.
    await inWarehouse(h, documentNumber);
    await waitFor(
      async () => (await h!.client.workflow.getHandle(offsetsId).query(eventOffsetsQuery)).orders,
      10_000,
      'the offset past the given-up event',
    );
  });

  it('adds renewed tokens, and when a tenant fell off the connection runs its order sync and adds it again', async () => {
    h = await harnessWithSchedules();
    const { fortnox } = h.tenant;
    // Two token chains of the tenant, as an hour's renewal gives: the listener is handed A, later B.
    const chain = () =>
      new FortnoxClient({ ...fortnox, tenantKey: h!.tenantId, tokenStore: new MemoryTokenStore(), timeoutMs: 10_000 });
    const [a, b] = [chain(), chain()];
    const tokenA = await a.accessToken();
    let current = a;
    const log = textSink();
    const listener = listenerFor(h, `fortnox-event-offsets-${randomBytes(3).toString('hex')}`, {
      tenants: [{ ...eventTenantOf(h), accessToken: () => current.accessToken() }],
      tokenCheckEveryMs: 200,
      logger: createLogger('info', log.sink),
    });
    await listener.start();
    await inWarehouse(h, await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]));

    // Token A ends before B was added (revoked here; at Fortnox, an hour passed): the next order's event is not sent.
    await got.post(`${fortnox.authBaseUrl}/oauth-v1/revoke`, {
      form: { token: tokenA },
      username: fortnox.auth.clientId,
      password: fortnox.auth.clientSecret,
    });
    const missed = await h.createOrder([{ ArticleNumber: 'A101', OrderedQuantity: 1 }]);
    current = b;
    // The listener finds the tenant gone: the order sync brings the missed order, and B carries the next one.
    await waitFor(async () => /no longer on the connection/.test(log.text()) || undefined, 20_000, 'the lost tenant');
    await inWarehouse(h, missed);
    await waitFor(async () => /adding renewed tokens/.test(log.text()) || undefined, 20_000, 'token B added');
    await inWarehouse(h, await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 2 }]));
  });

  it('runs the article and supplier syncs when their events come, a burst of events as one run', async () => {
    h = await harnessWithSchedules();
    const articles = articlesScheduleId(h.tenantId);
    const suppliers = suppliersScheduleId(h.tenantId);
    await scheduledRun(h, articles, 1);
    await scheduledRun(h, suppliers, 1);
    const listener = listenerFor(h, `fortnox-event-offsets-${randomBytes(3).toString('hex')}`, {
      tenants: [{ ...eventTenantOf(h), processes: { articles: true, suppliers: true, stockLevels: false } }],
      nudgeEveryMs: 60_000,
    });
    await listener.start();
    // Three articles at once: three events, one article sync run (the others are within nudgeEveryMs).
    for (const n of ['EV1', 'EV2', 'EV3'])
      await h.fortnox.createArticle({ ArticleNumber: n, Description: `Event ${n}`, StockGoods: true } as never);
    await h.fortnox.createSupplier({ Name: 'Event Supplier AB' } as never);
    await scheduledRun(h, articles, 2);
    await scheduledRun(h, suppliers, 2);
    await waitFor(async () => listener.counts.events >= 4 || undefined, 10_000, 'four events');
    expect(listener.counts.nudges).toBe(2);
    const runs = (await h.client.schedule.getHandle(articles).describe()).info.recentActions.length;
    expect(runs, 'one article sync for the burst').toBe(2);
  });

  it('signals an order once per event, however often Fortnox sends it', async () => {
    h = await startHarness();
    await got.put(`${h.sandboxes.fortnoxUrl}/_sandbox/events/faults`, { json: { duplicateRate: 1 } });
    const offsets = new Set<string>();
    const listener = listenerFor(h, `fortnox-event-offsets-${randomBytes(3).toString('hex')}`, {
      onEvent: (event, outcome) => outcome !== 'duplicate' && offsets.add(event.offset),
    });
    await listener.start();
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await inWarehouse(h, documentNumber);
    await waitFor(async () => listener.counts.duplicates >= 1 || undefined, 10_000, 'a duplicate');
    const history = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).fetchHistory();
    const signals = history.events!.filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === fortnoxChangedSignal.name,
    );
    // Signal-with-start records its signal as a signal event too: one per distinct event, none per repeat.
    expect(signals).toHaveLength(offsets.size);
  });

  it('keeps the later position per topic, whatever order signals come in, through continue-as-new', async () => {
    h = await startHarness();
    const workflowId = `fortnox-event-offsets-${randomBytes(3).toString('hex')}`;
    const handle = await h.client.workflow.start(fortnoxEventOffsetsWorkflow, {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ historyLimit: 20 }],
    });
    const at = (minute: number) => `2026-12-02T10:${String(minute).padStart(2, '0')}:00.000+01:00`;
    const position = (minute: number) => ({
      offset: `o${minute}`,
      eventTimestamp: at(minute),
      processedAt: at(minute),
    });
    for (let minute = 1; minute <= 30; minute++) await handle.signal(eventsHandledSignal, { orders: position(minute) });
    // A late signal from another replica, about an older event, moves nothing back.
    await handle.signal(eventsHandledSignal, { orders: position(3), articles: position(7) });
    await waitFor(
      async () => {
        const offsets = await h!.client.workflow.getHandle(workflowId).query(eventOffsetsQuery);
        return offsets.orders?.offset === 'o30' && offsets.articles?.offset === 'o7';
      },
      10_000,
      'the latest positions',
    );
    const { runId } = await h.client.workflow.getHandle(workflowId).describe();
    expect(runId, 'continued as new past its history limit').not.toBe(handle.firstExecutionRunId);
    await recordHistory(workflowId, 'fortnoxEventOffsetsWorkflow', 'continue-as-new', handle.firstExecutionRunId);
  });
});
