// Scale (item 4): many open orders waiting for the warehouse. The orders are seeded straight into the Fortnox sandbox
// (no rate limit), one order workflow is signal-with-started per order as the order sync does, and once all of them
// wait in the WMS we read the worker process's resident memory and the dev server's database size.
import cliProgress from 'cli-progress';
import { orderWorkflowId } from '../domain/names';
import { orderWorkflowSettings } from '../domain/order-settings';
import { fortnoxChangedSignal } from '../workflows/order/messages';
import { orderWorkflow } from '../workflows/order/workflow';
import { orderRows, seededRandom } from './lifecycle';
import { startRig } from './rig';

export interface ScaleOptions {
  openOrders: number;
  seed: number;
  progress: boolean;
  timeoutMs?: number;
}

export interface ScaleResult {
  openOrders: number;
  waiting: number;
  startMs: number;
  settleMs: number;
  workerRssBytes: number;
  workerPeakRssBytes: number;
  /** RSS of an idle worker before any order, for comparison. */
  workerIdleRssBytes: number;
  dbBytes: number;
  dbEmptyBytes: number;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const random = seededRandom(options.seed);
  // No webhooks: nothing happens on the floor, and orderCreated events would only add load to a memory measurement.
  const rig = await startRig({ fortnoxRateLimit: false, webhooks: false });
  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: 'scale [{bar}] {value}/{total} {phase} | {duration_formatted}' },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  try {
    const worker = await rig.spawnWorker('unlimited', { LOG_LEVEL: 'warn' });
    await new Promise((r) => setTimeout(r, 2000));
    const workerIdleRssBytes = worker.rssBytes() ?? 0;
    const dbEmptyBytes = rig.dbBytes();
    const documentNumbers = rig.seedOrders(
      Array.from({ length: options.openOrders }, () => orderRows(random, rig.articles)),
    );
    const { settings: s } = rig.tenant;
    const settings = orderWorkflowSettings(s);
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, worker.rssBytes() ?? 0)), 500);
    bar?.start(options.openOrders, 0, { phase: 'started' });
    const started = Date.now();
    let count = 0;
    // What the order sync's startOrderWorkflows activity does per order, with some concurrency.
    await pool(documentNumbers, 16, async (documentNumber) => {
      await rig.client.workflow.signalWithStart(orderWorkflow, {
        workflowId: orderWorkflowId(rig.tenant.id, documentNumber),
        taskQueue: rig.taskQueue,
        args: [{ tenantId: rig.tenant.id, documentNumber, settings }],
        signal: fortnoxChangedSignal,
        signalArgs: [],
      });
      bar?.update(++count);
    });
    const startMs = Date.now() - started;
    bar?.update(0, { phase: 'waiting in the WMS' });
    const deadline = Date.now() + (options.timeoutMs ?? 2 * 60 * 60_000);
    const query = `Tenant = "${rig.tenant.id}" AND OrderStage = "awaiting-warehouse"`;
    let waiting = 0;
    while (true) {
      if (worker.child.exitCode !== null)
        throw new Error(`scale: the worker process exited (${worker.child.exitCode})`);
      if (Date.now() > deadline)
        throw new Error(`scale: only ${waiting} of ${options.openOrders} orders waiting in time`);
      const inWms = rig.goodsOwner.orders.size;
      if (inWms >= options.openOrders) {
        waiting = (await rig.client.workflow.count(query)).count;
        if (waiting >= options.openOrders) break;
      }
      bar?.update(inWms);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const settleMs = Date.now() - started;
    bar?.update(options.openOrders);
    bar?.stop();
    // Let the last workflow tasks finish and the server flush, then measure at rest.
    await new Promise((r) => setTimeout(r, 5000));
    clearInterval(sample);
    const workerRssBytes = worker.rssBytes() ?? 0;
    return {
      openOrders: options.openOrders,
      waiting,
      startMs,
      settleMs,
      workerRssBytes,
      workerPeakRssBytes: Math.max(peak, workerRssBytes),
      workerIdleRssBytes,
      dbBytes: rig.dbBytes(),
      dbEmptyBytes,
    };
  } finally {
    bar?.stop();
    await rig.close();
  }
}
