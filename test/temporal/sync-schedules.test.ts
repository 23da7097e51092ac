// The per-tenant switches and the schedule bootstrap on a real dev server: defaults (all on but stock levels), a note on
// every schedule, idempotent across restarts, switching processes on and off, and the cursor carried from run to run,
// also into a run started by hand.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapSchedules, scheduleDefinitions, triggerScheduleNow } from '../../client/schedules';
import { settingsSchema } from '../../domain/settings';
import type { SyncArticlesResult } from '../../workflows/sync-articles';
import { scheduledRun, startHarness, waitFor, type Harness } from './harness';

let h: Harness | undefined;
let scheduleIds: string[] = [];
afterEach(async () => {
  for (const id of scheduleIds) await h?.client.schedule.getHandle(id).delete().catch(() => undefined);
  scheduleIds = [];
  await h?.close();
  h = undefined;
});

describe('schedules from the settings', () => {
  it('creates one schedule per process with a note, pauses what is switched off, and is idempotent across restarts', async () => {
    h = await startHarness({ settings: { syncOverlap: '1s' } });
    const ids = scheduleDefinitions(h.tenant).map((d) => d.scheduleId);
    scheduleIds = ids;
    expect(ids.sort()).toEqual([`articles:${h.tenantId}`, `orders:${h.tenantId}`, `purchase-orders:${h.tenantId}`,
      `stock-levels:${h.tenantId}`, `suppliers:${h.tenantId}`, `wms-status:${h.tenantId}`].sort());

    const first = await bootstrapSchedules(h.client, [h.tenant], h.taskQueue);
    expect(first.created.sort()).toEqual([...ids].sort());
    expect(first.paused).toEqual([`stock-levels:${h.tenantId}`]);
    for (const id of ids) {
      const described = await h.client.schedule.getHandle(id).describe();
      expect(described.state.note, id).toBeTruthy();
      expect(described.state.paused, id).toBe(id.startsWith('stock-levels:'));
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
    const switched = { ...h.tenant, settings: settingsSchema.parse({ processes: { stockLevels: true, suppliers: false } }) };
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
    const state = await got(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/state`).json<{ articles: { lastModified: number }[] }>();
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
    expect(JSON.parse(Buffer.from(handedOver[0]!.data!).toString())).toMatchObject({ cursor: first.cursor });
    const activities = events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(activities).not.toContain('previousScheduledResult');
  });
});
