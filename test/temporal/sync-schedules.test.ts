// The per-tenant switches and the schedule bootstrap on a real dev server: defaults (all on but stock levels), a note and
// a run timeout on every schedule, idempotent across restarts, switching processes on and off, the cursor carried from
// run to run also into a run started by hand, and a stuck run that times out instead of blocking its schedule.
import { msToNumber } from '@temporalio/common/lib/time';
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapSchedules, scheduleDefinitions, scheduleOptions, triggerScheduleNow } from '../../client/schedules';
import { settingsSchema } from '../../domain/settings';
import type { SyncArticlesResult } from '../../workflows/sync-articles';
import type { SyncOrdersResult } from '../../workflows/sync-orders';
import { scheduledRun, startHarness, waitFor, type Harness } from './harness';

let h: Harness | undefined;
let scheduleIds: string[] = [];
afterEach(async () => {
  for (const id of scheduleIds)
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  scheduleIds = [];
  await h?.close();
  h = undefined;
});

describe('schedules from the settings', () => {
  it('creates one schedule per process with a note, pauses what is switched off, and is idempotent across restarts', async () => {
    h = await startHarness({ settings: { syncOverlap: '1s' } });
    const ids = scheduleDefinitions(h.tenant).map((d) => d.scheduleId);
    scheduleIds = ids;
    expect(ids.sort()).toEqual(
      [
        `articles:${h.tenantId}`,
        `orders:${h.tenantId}`,
        `purchase-orders:${h.tenantId}`,
        `stock-levels:${h.tenantId}`,
        `suppliers:${h.tenantId}`,
        `wms-status:${h.tenantId}`,
      ].sort(),
    );

    const first = await bootstrapSchedules(h.client, [h.tenant], h.taskQueue);
    expect(first.created.sort()).toEqual([...ids].sort());
    expect(first.paused).toEqual([`stock-levels:${h.tenantId}`]);
    for (const def of scheduleDefinitions(h.tenant)) {
      const described = await h.client.schedule.getHandle(def.scheduleId).describe();
      expect(described.state.note, def.scheduleId).toBeTruthy();
      expect(described.state.paused, def.scheduleId).toBe(def.scheduleId.startsWith('stock-levels:'));
      // Every run is bounded: a stuck one is timed out and the schedule runs again.
      expect(described.action, def.scheduleId).toMatchObject({
        workflowRunTimeout: msToNumber(def.runTimeout),
        workflowExecutionTimeout: msToNumber(def.runTimeout),
      });
      expect(described.policies, def.scheduleId).toMatchObject({ overlap: 'SKIP', catchupWindow: 3_600_000 });
    }
    const stock = await h.client.schedule.getHandle(`stock-levels:${h.tenantId}`).describe();
    expect(stock.state.note).toMatch(/^Switched off/);
    // At the end of each interval: 15 minutes, offset 14.
    expect(stock.spec.intervals?.[0]).toMatchObject({ every: 15 * 60_000, offset: 14 * 60_000 });

    // A restart: nothing new, the same schedules updated in place.
    const again = await bootstrapSchedules(h.client, [h.tenant], h.taskQueue);
    expect(again.created).toEqual([]);
    expect(again.updated.sort()).toEqual([...ids].sort());

    // Switches flipped in the settings: stock levels on, suppliers off.
    const switched = {
      ...h.tenant,
      settings: settingsSchema.parse({ processes: { stockLevels: true, suppliers: false } }),
    };
    const third = await bootstrapSchedules(h.client, [switched], h.taskQueue);
    expect(third.paused).toEqual([`suppliers:${h.tenantId}`]);
    expect((await h.client.schedule.getHandle(`stock-levels:${h.tenantId}`).describe()).state.paused).toBe(false);
    expect((await h.client.schedule.getHandle(`suppliers:${h.tenantId}`).describe()).state.paused).toBe(true);
  });

  it('carries the article cursor from run to run, into a run started by hand too: the second run reads only what changed', async () => {
    // No overlap, so that articles seeded a second before the first run are not read again by the second.
    h = await startHarness({ settings: { syncOverlap: '0s', processes: { orders: false, suppliers: false } } });
    const id = `articles:${h.tenantId}`;
    scheduleIds = scheduleDefinitions(h.tenant).map((d) => d.scheduleId);
    // Fortnox's lastmodified has whole seconds: start the first run in a later second than the seeding, so the
    // second run's cursor (the first run's start) lies after every seeded article.
    const state = await got(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/state`).json<{
      articles: { lastModified: number }[];
    }>();
    const seededSecond = Math.floor(Math.max(...state.articles.map((a) => a.lastModified)) / 1000);
    await waitFor(async () => Math.floor(Date.now() / 1000) > seededSecond, 5000, 'the second after seeding');
    await bootstrapSchedules(h.client, [h.tenant], h.taskQueue);
    const { result: first } = await scheduledRun<SyncArticlesResult>(h, id, 1);
    expect(first.listed).toBe(10);
    await h.fortnox.updateArticle('A105', { Description: 'Ullsockor, par' });
    // Run now, as the CLI and the console do: a regular run of the schedule (overlap policy SKIP).
    await triggerScheduleNow(h.client, id);
    const { workflowId, result: second } = await scheduledRun<SyncArticlesResult>(h, id, 2);

    expect(second).toMatchObject({ listed: 1, fetched: 1, upserted: 1 });
    expect((await h.wms.getArticleByNumber('A105'))?.articleName).toBe('Ullsockor, par');
    // The cursor came from Temporal: the scheduler handed the first run's result to the triggered run (a trigger with
    // ALLOW_ALL, the SDK's default, gets none), so the fallback lookup on the schedule was not needed.
    const events = (await h.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const handedOver = events[0]?.workflowExecutionStartedEventAttributes?.lastCompletionResult?.payloads ?? [];
    expect(handedOver).toHaveLength(1);
    expect(await h.decodePayload(handedOver[0])).toMatchObject({ cursor: first.cursor });
    const activities = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(activities).not.toContain('previousScheduledResult');
  });

  it('a stuck run times out, so the schedule runs again instead of skipping every start behind it', async () => {
    h = await startHarness();
    // The order sync as bootstrap makes it, with a run timeout short enough for a test.
    const def = { ...scheduleDefinitions(h.tenant).find((d) => d.process === 'orders')!, runTimeout: '3s' };
    const id = def.scheduleId;
    scheduleIds = [id];
    await h.client.schedule.create(scheduleOptions(h.tenant, def, h.taskQueue));
    const handle = h.client.schedule.getHandle(id);
    // Fortnox fails every order listing: the run's listing activity is retried without end, the run never finishes.
    const faults = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`;
    await got.put(faults, { json: { rules: [{ route: 'GET /3/orders', errorRate: 1 }] } });
    await triggerScheduleNow(h.client, id);
    const stuck = await waitFor(
      async () => (await handle.describe()).info.recentActions[0]?.action.workflow,
      30_000,
      'the first run',
    );

    // While it runs, every start is skipped (SKIP never starts a run beside a running one).
    await triggerScheduleNow(h.client, id);
    await waitFor(
      async () => (await handle.describe()).info.numActionsSkippedOverlap === 1,
      30_000,
      'the start to be skipped',
    );
    expect((await handle.describe()).info.recentActions).toHaveLength(1);

    // The run timeout ends it; Fortnox recovers; the next start runs.
    const run = h.client.workflow.getHandle(stuck.workflowId, stuck.firstExecutionRunId);
    // It ends TIMED_OUT, or FAILED when Temporal stops retrying the listing first: an activity's schedule-to-close is
    // capped by the run timeout, and a retry that could not finish in time is not made. Either way the run is over.
    await waitFor(
      async () => ['TIMED_OUT', 'FAILED'].includes((await run.describe()).status.name),
      30_000,
      'the stuck run to end',
    );
    await got.delete(faults);
    await triggerScheduleNow(h.client, id);
    const { result } = await scheduledRun<SyncOrdersResult>(h, id, 2);
    // The timed-out run left no cursor behind: the next run lists from the start.
    expect(result.listed).toBeGreaterThan(0);
    expect((await handle.describe()).info.numActionsSkippedOverlap).toBe(1);
  });
});
