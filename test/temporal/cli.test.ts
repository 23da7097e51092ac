// The operator CLI's commands, run in-process against the shared dev server with the harness's tenant: status counts,
// one order's action log and Web UI link, resync, pause/resume, a schedule's run now, backfill (preview and --yes), the stock report and
// the replay check.
import { Writable } from 'node:stream';
import { WorkflowNotFoundError } from '@temporalio/client';
import got from 'got';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildProgram } from '../../client/cli';
import { backfillCommand } from '../../client/operator/backfill';
import { OperatorError, type OperatorContext } from '../../client/operator/context';
import { orderResyncCommand, orderShowCommand } from '../../client/operator/order';
import { replayCheckCommand } from '../../client/operator/replay-check';
import { runScheduleNow, setTenantPaused } from '../../client/operator/schedules';
import { collectStatus } from '../../client/operator/status';
import { stockReportCommand } from '../../client/operator/stock-report';
import { bootstrapSchedules } from '../../client/schedules';
import { fortnoxTaskQueue, orderWorkflowId } from '../../domain/names';
import { recordHistory } from './record';
import type { SyncOrdersResult } from '../../workflows/sync-orders';
import { scheduledRun, startHarness, waitFor, type Harness } from './harness';

let h: Harness;
let output = '';
let ctx: OperatorContext;
let documentNumber: string;

const out = new Writable({
  write(chunk, _enc, done) {
    output += String(chunk);
    done();
  },
});
const taken = () => {
  const text = output;
  output = '';
  return text;
};

beforeAll(async () => {
  h = await startHarness();
  ctx = {
    client: h.client,
    namespace: 'default',
    taskQueue: h.taskQueue,
    // No tenants file and no API clients: every command here works from Temporal alone (the worker holds the credentials).
    tenants: [],
    out,
    uiUrl: 'http://localhost:8233',
  };
  documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
  // The tenant's schedules as start-up creates them; the first run starts at once and picks the order up.
  await bootstrapSchedules(h.client, [h.tenant], h.taskQueue);
  await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
});

afterAll(async () => {
  await h.client.schedule
    .getHandle(`orders:${h.tenantId}`)
    .delete()
    .catch(() => undefined);
  await h?.close();
});

describe('operator CLI', () => {
  it('status: the tenant schedule and its open orders by stage', async () => {
    const status = await waitFor(
      async () => {
        const [s] = await collectStatus(ctx, { tenant: h.tenantId });
        return s && s.schedules.length > 0 && s.openByStage['awaiting-warehouse'] >= 1 ? s : undefined;
      },
      30_000,
      'status to show the schedule and the order',
    );
    const orders = status.schedules.find((s) => s.scheduleId === `orders:${h.tenantId}`);
    expect(orders).toMatchObject({ paused: false });
    expect(orders!.nextRun).toBeInstanceOf(Date);
    expect(status.attention).toEqual([]);
    // The warehouse starts on our order: it moves from one stage's count to the next.
    const before = await waitFor(
      async () => {
        const [s] = await collectStatus(ctx, { tenant: h.tenantId });
        return s!.openTotal > 0 && s!.openByStage['awaiting-warehouse'] === s!.openTotal ? s : undefined;
      },
      30_000,
      'every open order to wait for the warehouse',
    );
    const { wmsOrderId } = await h.orderStatus(documentNumber);
    await h.floor(wmsOrderId!, 'release');
    await h.waitForStatus(documentNumber, (s) => s.stage === 'in-warehouse');
    const after = await waitFor(
      async () => {
        const [s] = await collectStatus(ctx, { tenant: h.tenantId });
        return s!.openByStage['in-warehouse'] === 1 ? s : undefined;
      },
      30_000,
      'the order to count as in-warehouse',
    );
    expect(after.openByStage['awaiting-warehouse']).toBe(before.openTotal - 1);
    expect(after.openTotal).toBe(before.openTotal);
  });

  it('order show: stage, action log and the Web UI link (through the command line parser)', async () => {
    taken();
    await buildProgram(async () => ctx).parseAsync(['node', 'cli', 'order', 'show', h.tenantId, documentNumber]);
    const text = taken();
    expect(text).toContain('stage:      in-warehouse');
    expect(text).toContain('created in the WMS');
    expect(text).toContain(`http://localhost:8233/namespaces/default/workflows/order:${h.tenantId}:${documentNumber}`);
  });

  it('order resync: the signal reaches the workflow', async () => {
    await orderResyncCommand(ctx, h.tenantId, documentNumber, 'checking the CLI');
    const status = await h.waitForStatus(documentNumber, (s) => s.actions.some((a) => a.action === 'resync requested'));
    expect(status.actions.find((a) => a.action === 'resync requested')?.detail).toBe('checking the CLI');
    await expect(orderShowCommand(ctx, h.tenantId, '999999')).rejects.toThrow(/no workflow order:/);
  });

  it('pause and resume flip every schedule of the tenant', async () => {
    const handle = h.client.schedule.getHandle(`orders:${h.tenantId}`);
    const ids = await setTenantPaused(ctx, h.tenantId, true, 'migration');
    expect(ids).toContain(`orders:${h.tenantId}`);
    expect(ids.every((id) => id.endsWith(`:${h.tenantId}`))).toBe(true);
    for (const id of ids) {
      expect((await h.client.schedule.getHandle(id).describe()).state).toMatchObject({
        paused: true,
        note: expect.stringMatching(/^Paused by an operator.*: migration$/),
      });
    }
    await setTenantPaused(ctx, h.tenantId, false);
    expect((await handle.describe()).state.paused).toBe(false);
  });

  it('sync: runs a schedule now as one of its runs (from the last cursor), and never beside a run still running', async () => {
    const id = `orders:${h.tenantId}`;
    const { result: first } = await scheduledRun<SyncOrdersResult>(h, id, 1); // start-up's first run
    taken();
    await buildProgram(async () => ctx).parseAsync(['node', 'cli', 'sync', h.tenantId, 'orders']);
    expect(taken()).toMatch(new RegExp(`^started  ${id}: sync-orders:${h.tenantId}-\\d{4}-`));
    const second = await scheduledRun<SyncOrdersResult>(h, id, 2);
    // The run continued from the first run's cursor, handed over by Temporal (not a full sync).
    const started = (await h.client.workflow.getHandle(second.workflowId).fetchHistory()).events![0]!
      .workflowExecutionStartedEventAttributes!;
    expect(await h.decodePayload(started.lastCompletionResult!.payloads![0])).toMatchObject({
      cursor: first.cursor,
    });

    // Fortnox refuses every order listing: the next run cannot finish, and a sync asked for meanwhile starts nothing.
    const faults = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`;
    await got.put(faults, { json: { rules: [{ route: 'GET /3/orders', errorRate: 1 }] } });
    try {
      await runScheduleNow(ctx, h.tenantId, 'orders');
      const running = await waitFor(
        async () => (await h.client.schedule.getHandle(id).describe()).info.runningActions[0],
        30_000,
        'a running run',
      );
      taken();
      const skipped = await runScheduleNow(ctx, h.tenantId, 'orders');
      expect(skipped).toEqual({ scheduleId: id, outcome: 'skipped', workflowId: running.workflow.workflowId });
      expect(taken()).toMatch(/^skipped {2}.*a run is still running/);
    } finally {
      await got.delete(faults);
    }
    await scheduledRun(h, id, 3); // Fortnox answers again: the run finishes
    await expect(runScheduleNow(ctx, h.tenantId, 'nightly')).rejects.toThrow(
      /has no schedule "nightly"; its schedules: .*orders/,
    );
  });

  it('backfill: a preview by default counts what it would do and starts or signals nothing; --yes starts them', async () => {
    const today = new Date().toISOString().slice(0, 10);
    // No scheduled sync meanwhile: whatever starts or signals an order below is the backfill's doing.
    await setTenantPaused(ctx, h.tenantId, true, 'backfill test');
    try {
      await waitFor(
        async () =>
          (await h.client.schedule.getHandle(`orders:${h.tenantId}`).describe()).info.runningActions.length === 0,
        60_000,
        'no order sync running',
      );
      const second = await h.createOrder([{ ArticleNumber: 'A101', OrderedQuantity: 1 }]);
      const secondHandle = h.client.workflow.getHandle(orderWorkflowId(h.tenantId, second));
      const signalsToFirst = async () =>
        (await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).fetchHistory()).events!.filter(
          (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'fortnoxChanged',
        ).length;
      const signalled = await signalsToFirst();

      taken();
      const preview = await backfillCommand(ctx, h.tenantId, { since: today, progress: false });
      // The seeded demo orders and ours: all confirmed and open, so all would be (re)started or signalled.
      expect(preview).toMatchObject({ preview: true, leftClosed: 0, signalled: 0, skipped: 0 });
      expect(preview.listed).toBeGreaterThanOrEqual(2);
      expect(preview.started).toBe(preview.listed);
      const text = taken();
      expect(text).toContain(
        `PREVIEW: nothing was started or signalled. ${preview.listed} Fortnox order(s) of ${h.tenantId} changed since ${today}:`,
      );
      expect(text).toMatch(new RegExp(`start \\(or signal, if running\\) +${preview.started} `));
      expect(text).toContain(`To run it: npm run cli -- backfill ${h.tenantId} --since ${today} --yes`);
      // Nothing started (the new order has no workflow) and nothing signalled (the running one heard nothing).
      await expect(secondHandle.describe()).rejects.toThrow(WorkflowNotFoundError);
      expect(await signalsToFirst()).toBe(signalled);

      // --yes: the same orders, started or signalled. The worker shares the tenant's Fortnox budget: the backfill
      // waits out 429s rather than failing.
      const sandboxTenant = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}`;
      await got.put(`${sandboxTenant}/faults`, { json: { rules: [{ route: 'GET /3/orders', rateLimitBurst: 2 }] } });
      await buildProgram(async () => ctx).parseAsync([
        'node',
        'cli',
        'backfill',
        h.tenantId,
        '--since',
        today,
        '--yes',
      ]);
      expect(
        (await got(`${sandboxTenant}/calls`).json<{ faultsInjected: Record<string, number> }>()).faultsInjected
          .rateLimitBurst,
      ).toBe(2);
      await got.delete(`${sandboxTenant}/faults`);
      expect(taken()).toContain(
        `Backfill of ${h.tenantId} since ${today}: ${preview.listed} listed, ${preview.started} started or signalled`,
      );
      await h.waitForStatus(second, (s) => s.stage === 'awaiting-warehouse');
      expect(await signalsToFirst()).toBeGreaterThan(signalled);
    } finally {
      await setTenantPaused(ctx, h.tenantId, false);
    }

    await expect(backfillCommand(ctx, h.tenantId, { since: '2024-13-01' })).rejects.toThrow(/YYYY-MM-DD/);
    // A tenant this deployment does not run is refused (exit 2) rather than left waiting for a worker that knows it.
    await expect(backfillCommand(ctx, 'no-such-tenant', { since: today })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/no schedules/),
    });
    // A date in the future is refused (exit 2) before the CLI connects to Temporal.
    let connected = false;
    const refused = await buildProgram(async () => {
      connected = true;
      return ctx;
    })
      .parseAsync(['node', 'cli', 'backfill', h.tenantId, '--since', '2030-01-01', '--yes'])
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(OperatorError);
    expect(refused).toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/--since 2030-01-01 is in the future/),
    });
    expect(connected).toBe(false);
  });

  it("stock report: a table of differences per article, read by the worker through the tenant's Fortnox queue", async () => {
    await h.addArticle('DIFF-1', 7); // in the warehouse only
    taken();
    const report = await stockReportCommand(ctx, h.tenantId);
    expect(report.source).toBe('article-register');
    expect(report.rows.find((r) => r.ArticleNumber === 'DIFF-1')).toEqual({
      ArticleNumber: 'DIFF-1',
      wms: 7,
      fortnox: 0,
      difference: 7,
    });
    expect(report.differing).toBeGreaterThanOrEqual(1);
    expect(taken()).toMatch(/DIFF-1\s+7\s+0\s+7/);
    const differences = await stockReportCommand(ctx, h.tenantId, { onlyDifferences: true });
    expect(differences.rows.every((r) => r.difference !== 0)).toBe(true);
    expect(differences.rows).toHaveLength(differences.differing);
    await expect(stockReportCommand(ctx, 'no-such-tenant')).rejects.toMatchObject({ exitCode: 2 });
    // The Fortnox reads ran as activities on the tenant's Fortnox queue, the WMS read on the main queue.
    const history = await h.client.workflow.getHandle(report.workflowId).fetchHistory();
    const scheduled = (history.events ?? [])
      .flatMap((e) => e.activityTaskScheduledEventAttributes ?? [])
      .map((a) => `${a.activityType?.name} @ ${a.taskQueue?.name}`);
    expect(scheduled).toEqual([
      `readWmsStock @ ${h.taskQueue}`,
      `lagerActive @ ${fortnoxTaskQueue(h.tenantId)}`,
      `listArticleStockPage @ ${fortnoxTaskQueue(h.tenantId)}`,
    ]);
    await recordHistory(report.workflowId, 'stockReportWorkflow', 'article-register');
  });

  it('replay-check: recent real histories replay against the current workflow code', async () => {
    taken();
    const result = await replayCheckCommand(ctx, {
      limit: 5,
      query: `WorkflowId=${JSON.stringify(orderWorkflowId(h.tenantId, documentNumber))} OR WorkflowId STARTS_WITH ${JSON.stringify(`sync-orders:${h.tenantId}`)}`,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    expect(result.replayed).toBeGreaterThanOrEqual(2);
    expect(result.failures).toEqual([]);
    expect(taken()).toMatch(/OK: \d+ histories replay/);
  });
});
