// One benchmark run of the whole order lifecycle: N seeded Fortnox orders pulled by the order sync, created in the
// WMS, released, picked and sent by the floor, reported and invoiced, with the sandboxes counting every call.
// With the Fortnox rate limit on and the product's own worker it is the rate-bound run (items 1 and 2); with the
// limit off and the pacing lifted it is the engine run (items 3 and 5).
import { seededRandom } from '../simulators/wms/random';
import cliProgress from 'cli-progress';
import got from 'got';
import { bootstrapSchedules } from '../client/schedules';
import { pollWmsStatusWorkflowId } from '../domain/names';
import type { PollWmsStatusResult } from '../workflows/poll-wms-status';
import { Floor, type FloorPlan } from './floor';
import { WMS_PAGE_SIZE } from '../activities/wms/client';
import { startRig, type OrderRowInput, type Rig, type WorkerEntry } from './rig';
import { distribution, pollLatencies, type Distribution } from './stats';

export interface LifecycleOptions {
  orders: number;
  rateLimited: boolean;
  worker: WorkerEntry;
  seed: number;
  progress: boolean;
  label: string;
  timeoutMs?: number;
  /** false: the WMS sends no webhooks; shipments are found by the status-change poll alone. */
  webhooks?: boolean;
  /** Tenant settings as in the tenants file. */
  settings?: Record<string, unknown>;
  floor?: FloorPlan;
  /** Worker processes polling the same queues (default 1): the Fortnox limit must hold across them. */
  workers?: number;
}

/** What the status-change poll cost while the run lasted. */
export interface PollCost {
  runs: number;
  /** WMS calls the poll made: one GET /orders per page of (at most 500) changed orders, at least one per run. */
  wmsCalls: number;
  wallHours: number;
}

export interface LifecycleResult {
  orders: number;
  invoiced: number;
  wallMs: number;
  fortnox: { total: number; byRoute: Record<string, number>; rateLimited: number };
  wms: { total: number; byRoute: Record<string, number> };
  sentToInvoicedMs: Distribution;
  pollSentToInvoicedMs: Distribution;
  workerRssBytes?: number;
  workers: number;
  /** CPU time all worker processes used from the schedule's start to the last report, in ms. */
  workerCpuMs?: number;
  statusPoll: PollCost;
}

/** The same small deterministic generator the sandboxes use (mulberry32), so every run seeds the same orders. */
export { seededRandom };

export function orderRows(random: () => number, articles: string[]): OrderRowInput[] {
  const count = 1 + Math.floor(random() * 3);
  const start = Math.floor(random() * articles.length);
  return Array.from({ length: count }, (_, i) => ({
    ArticleNumber: articles[(start + i) % articles.length]!,
    OrderedQuantity: 1 + Math.floor(random() * 5),
  }));
}

export async function runLifecycle(options: LifecycleOptions): Promise<LifecycleResult> {
  const random = seededRandom(options.seed);
  const rig = await startRig({
    fortnoxRateLimit: options.rateLimited,
    webhooks: options.webhooks,
    settings: options.settings,
  });
  const bar = options.progress
    ? new cliProgress.SingleBar(
        { format: `${options.label} [{bar}] {value}/{total} invoiced | {duration_formatted}` },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  try {
    const workers = [];
    for (let i = 0; i < (options.workers ?? 1); i++) workers.push(await rig.spawnWorker(options.worker));
    const documentNumbers = rig.seedOrders(
      Array.from({ length: options.orders }, () => orderRows(random, rig.articles)),
    );
    const floor = new Floor(rig, options.floor);
    floor.start();
    await rig.resetCalls();
    let peakRss = 0;
    const cpuAtStart = workers.map((w) => w.cpuMs() ?? 0);
    const started = Date.now();
    // The product's own schedule: its first run starts at once and pulls every seeded order.
    await bootstrapSchedules(rig.client, [rig.tenant], rig.taskQueue);
    bar?.start(options.orders, 0);
    const deadline = started + (options.timeoutMs ?? 60 * 60_000);
    while (rig.fortnoxTenant.invoices.size < documentNumbers.length) {
      if (Date.now() > deadline)
        throw new Error(
          `${options.label}: only ${rig.fortnoxTenant.invoices.size} of ${documentNumbers.length} invoiced in time`,
        );
      for (const worker of workers) {
        if (worker.child.exitCode !== null)
          throw new Error(`${options.label}: a worker process exited (${worker.child.exitCode})`);
        peakRss = Math.max(peakRss, worker.rssBytes() ?? 0);
      }
      bar?.update(rig.fortnoxTenant.invoices.size);
      await new Promise((r) => setTimeout(r, 200));
    }
    const lastInvoice = Math.max(...[...rig.fortnoxTenant.invoices.values()].map((i) => i.lastModified));
    bar?.update(rig.fortnoxTenant.invoices.size);
    bar?.stop();
    floor.stop();
    // The last step of each order (marking it reported in the WMS) follows its invoice: let it land before counting.
    const reported = () =>
      [...rig.goodsOwner.orders.values()].every((o) => o.lines.every((l) => l.reportedNumberOfItems !== null));
    for (let i = 0; i < 150 && !reported(); i++) await new Promise((r) => setTimeout(r, 200));
    const cpuUsed = workers.map((w, i) => (w.cpuMs() ?? NaN) - cpuAtStart[i]!).reduce((a, b) => a + b, 0);
    const fortnoxCalls = await got(`${rig.fortnox.url}/_sandbox/tenants/${rig.fortnoxTenant.tenantId}/calls`).json<{
      total: number;
      byRoute: Record<string, number>;
      rateLimited: number;
    }>();
    const wmsCalls = await got(`${rig.wms.url}/_sandbox/goods-owners/${rig.goodsOwner.goodsOwnerId}/calls`).json<{
      total: number;
      byRoute: Record<string, number>;
    }>();
    const pairs = [...rig.fortnoxTenant.invoices.values()].map((invoice) => {
      const sentAt = floor.records.get(String(invoice.OrderReference))?.sentAt;
      if (sentAt === undefined) throw new Error(`invoice ${invoice.DocumentNumber} for an order the floor never sent`);
      return { sentAt, invoicedAt: invoice.lastModified };
    });
    return {
      orders: options.orders,
      invoiced: rig.fortnoxTenant.invoices.size,
      wallMs: lastInvoice - started,
      fortnox: { total: fortnoxCalls.total, byRoute: fortnoxCalls.byRoute, rateLimited: fortnoxCalls.rateLimited },
      wms: wmsCalls,
      sentToInvoicedMs: distribution(pairs.map((p) => p.invoicedAt - p.sentAt)),
      pollSentToInvoicedMs: distribution(pollLatencies(pairs)),
      workerRssBytes: peakRss || undefined,
      workers: workers.length,
      workerCpuMs: Number.isFinite(cpuUsed) ? cpuUsed : undefined,
      statusPoll: await statusPollCost(rig.client, rig.tenant.id, (Date.now() - started) / 3_600_000),
    };
  } finally {
    bar?.stop();
    await rig.close();
  }
}

/** The status-change poll's runs in this rig and the WMS calls they made (a page per 500 changed orders, at least one). */
async function statusPollCost(client: Rig['client'], tenantId: string, wallHours: number): Promise<PollCost> {
  let runs = 0;
  let wmsCalls = 0;
  for await (const run of client.workflow.list({
    query: `WorkflowType = "pollWmsStatusWorkflow" AND ExecutionStatus = "Completed"`,
  })) {
    // A schedule names its runs <workflowId>-<timestamp>: poll-wms-status:<tenant>-2026-...
    if (!run.workflowId.startsWith(pollWmsStatusWorkflowId(tenantId))) continue;
    const result = (await client.workflow.getHandle(run.workflowId, run.runId).result()) as PollWmsStatusResult;
    runs++;
    wmsCalls += Math.floor(result.listed / WMS_PAGE_SIZE) + 1; // the last page is the first one shorter than a page
  }
  return { runs, wmsCalls, wallHours };
}
