// Schedule bootstrap at start-up: created once, updated (never duplicated) on every later start, paused when the
// tenant switches the process off, described by a note an operator reads in the Web UI, each run bounded by a timeout.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bootstrapSchedules, scheduleDefinitions, scheduleOptions } from '../../client/schedules';
import { setTenantPaused } from '../../client/operator/schedules';
import type { OperatorContext } from '../../client/operator/context';
import { tenantSchema, type Tenant } from '../../config/tenants';

let client: Client;
beforeAll(async () => {
  client = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});
afterAll(async () => client?.connection.close());

const tenant = (id: string, settings: Record<string, unknown> = {}): Tenant =>
  tenantSchema.parse({
    id,
    fortnox: { auth: { mode: 'client_credentials', clientId: 'c', clientSecret: 's', tenantId: '1' } },
    wms: { baseUrl: 'http://127.0.0.1:1/w', username: 'u', password: 'p', goodsOwnerId: 1, webhook: { auth: 'off' } },
    settings,
  });

describe('schedule bootstrap', () => {
  it('is idempotent across restarts and follows the settings', async () => {
    const id = `s-${randomBytes(3).toString('hex')}`;
    const queue = `schedules-${id}`;
    const first = await bootstrapSchedules(client, [tenant(id)], queue);
    expect(first.created).toContain(`orders:${id}`);
    const again = await bootstrapSchedules(client, [tenant(id)], queue);
    expect(again.created).toEqual([]);
    expect(again.updated).toContain(`orders:${id}`);

    const handle = client.schedule.getHandle(`orders:${id}`);
    let description = await handle.describe();
    expect(description.state.paused).toBe(false);
    // Fortnox events on (the default): the order sync is the hourly safety net.
    expect(description.state.note).toMatch(/Every 1h: pulls Fortnox orders changed since the last run.*safety net/);
    expect(description.spec.intervals?.[0]?.every).toBe(60 * 60 * 1000);

    // Events off: orders come by the sync alone, every syncInterval (15 minutes by default).
    await bootstrapSchedules(client, [tenant(id, { fortnoxEvents: 'off' })], queue);
    description = await handle.describe();
    expect(description.state.note).toMatch(/Every 15m: pulls Fortnox orders changed since the last run/);
    expect(description.spec.intervals?.[0]?.every).toBe(15 * 60 * 1000);

    // Operators change the interval and switch order sync off: the same schedule is updated and paused.
    await bootstrapSchedules(
      client,
      [tenant(id, { fortnoxEvents: 'off', syncInterval: '5m', processes: { orders: false } })],
      queue,
    );
    description = await handle.describe();
    expect(description.state.paused).toBe(true);
    expect(description.state.note).toMatch(/Switched off/);
    expect(description.spec.intervals?.[0]?.every).toBe(5 * 60 * 1000);
    const ids: string[] = [];
    for await (const schedule of client.schedule.list())
      if (schedule.scheduleId.endsWith(`:${id}`)) ids.push(schedule.scheduleId);
    expect(ids.filter((s) => s === `orders:${id}`)).toHaveLength(1);
    await handle.delete();
  });

  it("keeps an operator's pause across restarts until the operator resumes", async () => {
    const id = `p-${randomBytes(3).toString('hex')}`;
    const queue = `schedules-${id}`;
    await bootstrapSchedules(client, [tenant(id)], queue);
    const ctx: OperatorContext = {
      client,
      namespace: 'default',
      taskQueue: queue,
      tenants: [],
      out: new PassThrough(),
      uiUrl: 'http://localhost:8233',
    };
    await setTenantPaused(ctx, id, true, 'Fortnox migration');
    await bootstrapSchedules(client, [tenant(id)], queue); // a restart
    const handle = client.schedule.getHandle(`orders:${id}`);
    expect((await handle.describe()).state).toMatchObject({
      paused: true,
      note: expect.stringMatching(/Paused by an operator.*Fortnox migration/),
    });
    await setTenantPaused(ctx, id, false);
    await bootstrapSchedules(client, [tenant(id)], queue);
    expect((await handle.describe()).state.paused).toBe(false);
    for await (const schedule of client.schedule.list())
      if (schedule.scheduleId.endsWith(`:${id}`)) await client.schedule.getHandle(schedule.scheduleId).delete();
  });

  it('gives a schedule made before run timeouts existed its run timeout at the next start-up', async () => {
    const id = `u-${randomBytes(3).toString('hex')}`;
    const queue = `schedules-${id}`;
    // Only the order sync is on: nothing else is started on this worker-less queue.
    const t = tenant(id, {
      processes: { articles: false, suppliers: false, wmsStatusPoll: false, purchaseOrders: false },
    });
    const def = scheduleDefinitions(t).find((d) => d.process === 'orders')!;
    const current = scheduleOptions(t, def, queue);
    // As an older version created it: no timeouts.
    await client.schedule.create({
      ...current,
      action: { ...current.action, workflowRunTimeout: undefined, workflowExecutionTimeout: undefined },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    });
    const handle = client.schedule.getHandle(`orders:${id}`);
    expect((await handle.describe()).action).toMatchObject({
      workflowRunTimeout: undefined,
      workflowExecutionTimeout: undefined,
    });

    const result = await bootstrapSchedules(client, [t], queue);
    expect(result.updated).toContain(`orders:${id}`);
    expect((await handle.describe()).action).toMatchObject({
      workflowRunTimeout: msToNumber(def.runTimeout),
      workflowExecutionTimeout: msToNumber(def.runTimeout),
    });
    expect(msToNumber(def.runTimeout)).toBe(2 * 3_600_000);
    for (const d of scheduleDefinitions(t)) await client.schedule.getHandle(d.scheduleId).delete();
  });
});
