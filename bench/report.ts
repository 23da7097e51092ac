// Turns benchmark results into the JSON and markdown reports; every figure carries the command that reproduces it.
import { cpus, loadavg, totalmem } from 'node:os';
import type { LifecycleResult } from './lifecycle';
import type { BackfillResult, SyncFigures } from './backfill';
import type { ScaleResult } from './scale';
import type { BurstResult } from './webhook-burst';
import type { ArticleSyncFigures } from './article-sync';
import type { IdleOrderResult } from './idle-order';
import type { Distribution } from './stats';

/** Fortnox's limit: 25 requests per 5 seconds per tenant. */
export const FORTNOX_CALLS_PER_SECOND = 25 / 5;
/** Read the order, write delivered quantities, create the invoice. */
export const FLOOR_CALLS_PER_ORDER = 3;

export interface BenchReport {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; loadAverageAtStart: number[] };
  calls?: {
    command: string;
    orders: number;
    perOrder: number;
    total: number;
    listCallsPerOrder: number;
    byRoutePerOrder: Record<string, number>;
    wmsPerOrder: number;
    wmsByRoutePerOrder: Record<string, number>;
  };
  /** One rate-bound run per number of worker processes. */
  rate?: RateFigures[];
  engine?: {
    command: string;
    orders: number;
    wallSeconds: number;
    ordersPerSecond: number;
    sentToInvoicedMs: Distribution;
    workerPeakRssBytes?: number;
    workerCpuMsPerOrder?: number;
  };
  poll?: {
    command: string;
    intervalMinutes: number;
    sentToInvoicedMs: Distribution;
    webhookSentToInvoicedMs: Distribution;
  };
  webhooksOff?: {
    command: string;
    orders: number;
    spreadMinutes: number;
    pollIntervalMinutes: number;
    sentToInvoicedMs: Distribution;
    pollRuns: number;
    pollWmsCalls: number;
    pollWmsCallsPerHour: number;
  };
  scale?: { command: string } & ScaleResult;
  backfill?: { command: string } & BackfillResult;
  burst?: { command: string } & BurstResult;
  /** One article sync per number of worker processes. */
  articles?: ({ command: string } & ArticleSyncFigures)[];
  idle?: { command: string } & IdleOrderResult;
}

export interface RateFigures {
  command: string;
  workers: number;
  orders: number;
  wallSeconds: number;
  fortnoxCalls: number;
  boundSeconds: number;
  ratio: number;
  floorBoundSeconds: number;
  ratioToFloor: number;
  callsPerSecond: number;
  rateLimited429: number;
  sentToInvoicedMs: Distribution;
  workerCpuMsPerOrder?: number;
}

export function machineInfo(): BenchReport['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const perOrder = (byRoute: Record<string, number>, orders: number) =>
  Object.fromEntries(
    Object.entries(byRoute)
      .sort((a, b) => b[1] - a[1])
      .map(([route, n]) => [route, round(n / orders, 3)]),
  );

export function callsFigures(result: LifecycleResult, command: string): NonNullable<BenchReport['calls']> {
  const list = result.fortnox.byRoute['GET /3/orders'] ?? 0;
  return {
    command,
    orders: result.orders,
    total: result.fortnox.total,
    perOrder: round(result.fortnox.total / result.orders, 3),
    listCallsPerOrder: round(list / result.orders, 3),
    byRoutePerOrder: perOrder(result.fortnox.byRoute, result.orders),
    wmsPerOrder: round(result.wms.total / result.orders, 3),
    wmsByRoutePerOrder: perOrder(result.wms.byRoute, result.orders),
  };
}

const cpuPerOrder = (result: LifecycleResult) =>
  result.workerCpuMs === undefined ? undefined : Math.round(result.workerCpuMs / result.orders);

export function rateFigures(result: LifecycleResult, command: string): RateFigures {
  const wallSeconds = result.wallMs / 1000;
  const boundSeconds = result.fortnox.total / FORTNOX_CALLS_PER_SECOND;
  const floorCalls = FLOOR_CALLS_PER_ORDER * result.orders + (result.fortnox.byRoute['GET /3/orders'] ?? 0);
  const floorBoundSeconds = floorCalls / FORTNOX_CALLS_PER_SECOND;
  return {
    command,
    workers: result.workers,
    orders: result.orders,
    wallSeconds: round(wallSeconds, 1),
    fortnoxCalls: result.fortnox.total,
    boundSeconds: round(boundSeconds, 1),
    ratio: round(wallSeconds / boundSeconds),
    floorBoundSeconds: round(floorBoundSeconds, 1),
    ratioToFloor: round(wallSeconds / floorBoundSeconds),
    callsPerSecond: round(result.fortnox.total / wallSeconds),
    rateLimited429: result.fortnox.rateLimited,
    sentToInvoicedMs: result.sentToInvoicedMs,
    workerCpuMsPerOrder: cpuPerOrder(result),
  };
}

export function engineFigures(result: LifecycleResult, command: string): NonNullable<BenchReport['engine']> {
  return {
    command,
    orders: result.orders,
    wallSeconds: round(result.wallMs / 1000, 1),
    ordersPerSecond: round(result.orders / (result.wallMs / 1000)),
    sentToInvoicedMs: result.sentToInvoicedMs,
    workerPeakRssBytes: result.workerRssBytes,
    workerCpuMsPerOrder: cpuPerOrder(result),
  };
}

const ms = (v: number) =>
  v >= 60_000 ? `${round(v / 60_000, 1)} min` : v >= 1000 ? `${round(v / 1000, 2)} s` : `${Math.round(v)} ms`;
const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
const dist = (d: Distribution) =>
  `p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · p99 ${ms(d.p99)} (max ${ms(d.max)}, n=${d.count})`;

export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const out: string[] = [
    '# Benchmarks',
    '',
    `Generated ${report.generatedAt} by \`npm run bench\` on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node} ` +
      `(load average at start ${m.loadAverageAtStart.join(' / ')}). Sandboxes in-process, the product's worker as a child process, ` +
      'a Temporal dev server on a SQLite file of its own. Seeded data (a fixed seed): 1-3 rows per order. Numbers on a shared ' +
      'machine are noisy; rerun the command under each figure to reproduce it.',
    '',
    'Fortnox allows **25 requests per 5 seconds per tenant** (5/s): the physical limit of this product.',
  ];
  if (report.calls) {
    const c = report.calls;
    out.push(
      '',
      '## 1. Fortnox calls per order (happy path)',
      '',
      `\`${c.command}\``,
      '',
      `**${c.perOrder} Fortnox calls per order** (${c.total} calls for ${c.orders} orders; the floor is ${FLOOR_CALLS_PER_ORDER} + list calls, ` +
        `here ${c.listCallsPerOrder} list calls per order).`,
      '',
      '| route | calls per order |',
      '|---|---|',
      ...Object.entries(c.byRoutePerOrder).map(([route, n]) => `| \`${route}\` | ${n} |`),
      '',
      `WMS calls per order: ${c.wmsPerOrder} (${Object.entries(c.wmsByRoutePerOrder)
        .map(([r, n]) => `\`${r}\` ${n}`)
        .join(', ')}).`,
    );
  }
  if (report.rate?.length) {
    const runs = report.rate;
    const row = (label: string, value: (r: RateFigures) => string) => `| ${label} | ${runs.map(value).join(' | ')} |`;
    out.push(
      '',
      '## 2. Rate-bound throughput (sandbox enforcing 25 requests / 5 s)',
      '',
      ...runs.map((r) => `\`${r.command}\``),
      '',
      "Each worker process paces its requests to its part of the tenant's 24 per 5.1 s (24 ÷ the processes polling the " +
        "tenant's Fortnox queue) and polls for a Fortnox task only when its part has room (docs/deployment.md).",
      '',
      `| figure | ${runs.map((r) => `${r.workers} worker process${r.workers === 1 ? '' : 'es'}`).join(' | ')} |`,
      `|---|${runs.map(() => '---|').join('')}`,
      row('orders pulled, shipped and invoiced', (r) => String(r.orders)),
      row('wall time (schedule start → last invoice)', (r) => `${r.wallSeconds} s`),
      row('Fortnox calls made', (r) => `${r.fortnoxCalls} (${r.callsPerSecond} per second)`),
      row('theoretical bound: calls made ÷ 5/s', (r) => `${r.boundSeconds} s`),
      row('**ratio wall ÷ bound**', (r) => `**${r.ratio}**`),
      row(
        `bound at the floor (${FLOOR_CALLS_PER_ORDER}/order + list calls) ÷ 5/s`,
        (r) => `${r.floorBoundSeconds} s (ratio ${r.ratioToFloor})`,
      ),
      row('429 answers', (r) => String(r.rateLimited429)),
      row('worker CPU per order (all processes)', (r) =>
        r.workerCpuMsPerOrder === undefined ? '-' : `${r.workerCpuMsPerOrder} ms`,
      ),
      row('sent → invoiced under the limit', (r) => dist(r.sentToInvoicedMs)),
    );
  }
  if (report.idle) {
    const i = report.idle;
    out.push(
      '',
      '## 2c. One order on an idle system',
      '',
      `\`${i.command}\``,
      '',
      `${i.orders} orders, one at a time, Fortnox's rate limit on: "sent" pressed in the WMS → invoice created in Fortnox ` +
        '(the webhook, the WMS read, then the report as single-request activities: read, write, invoice).',
      '',
      '| figure | value |',
      '|---|---|',
      `| sent → invoiced | ${dist(i.sentToInvoicedMs)} |`,
    );
  }
  if (report.articles?.length) {
    const runs = report.articles;
    const row = (label: string, value: (r: (typeof runs)[number]) => string) =>
      `| ${label} | ${runs.map(value).join(' | ')} |`;
    out.push(
      '',
      '## 2b. Article sync under the rate limit',
      '',
      ...runs.map((r) => `\`${r.command}\``),
      '',
      `${runs[0]!.articles} stock articles in Fortnox, none yet in the WMS; one run of the article sync (a list request per ` +
        '500 articles, then one activity and one Fortnox request per article, continuing as new after each page).',
      '',
      `| figure | ${runs.map((r) => `${r.workers} worker process${r.workers === 1 ? '' : 'es'}`).join(' | ')} |`,
      `|---|${runs.map(() => '---|').join('')}`,
      row('articles upserted in the WMS', (r) => String(r.upserted)),
      row('wall time', (r) => `${r.wallSeconds} s`),
      row('Fortnox calls made', (r) => String(r.fortnoxCalls)),
      row('theoretical bound: calls ÷ 5/s', (r) => `${r.boundSeconds} s`),
      row('**ratio wall ÷ bound**', (r) => `**${r.ratio}**`),
      row('429 answers', (r) => String(r.rateLimited429)),
      row('workflow runs (continue-as-new per page)', (r) => String(r.runs)),
      row('worker CPU per article', (r) =>
        r.workerCpuMsPerArticle === undefined ? '-' : `${r.workerCpuMsPerArticle} ms`,
      ),
    );
  }
  if (report.engine) {
    const e = report.engine;
    out.push(
      '',
      '## 3. Engine throughput without a rate limit',
      '',
      `\`${e.command}\``,
      '',
      'Sandbox limit off, the client pacer and the Fortnox task-queue limit lifted (`bench/worker-process.ts`: the same workers).',
      '',
      '| figure | value |',
      '|---|---|',
      `| orders through the whole lifecycle | ${e.orders} in ${e.wallSeconds} s |`,
      `| **orders per second** | **${e.ordersPerSecond}** |`,
      `| "sent" pressed in the WMS → invoice created in Fortnox | ${dist(e.sentToInvoicedMs)} |`,
      ...(e.workerPeakRssBytes ? [`| worker peak RSS | ${mb(e.workerPeakRssBytes)} |`] : []),
      ...(e.workerCpuMsPerOrder !== undefined
        ? [`| worker CPU per order (whole lifecycle) | ${e.workerCpuMsPerOrder} ms |`]
        : []),
    );
  }
  if (report.scale) {
    const s = report.scale;
    out.push(
      '',
      '## 4. Scale: open orders waiting for the warehouse',
      '',
      `\`${s.command}\``,
      '',
      '| figure | value |',
      '|---|---|',
      `| open orders (one workflow each, waiting in the WMS) | ${s.waiting} of ${s.openOrders} |`,
      `| **worker RSS** once all wait | **${mb(s.workerRssBytes)}** (peak ${mb(s.workerPeakRssBytes)}, idle before ${mb(s.workerIdleRssBytes)}) |`,
      `| **server database size** (SQLite + WAL) | **${mb(s.dbBytes)}** (empty ${mb(s.dbEmptyBytes)}) |`,
      `| time to signal-with-start all | ${ms(s.startMs)} |`,
      `| time until all wait in the WMS | ${ms(s.settleMs)} |`,
    );
  }
  if (report.poll) {
    const p = report.poll;
    out.push(
      '',
      `## 5. Against the market's way: reporting as a ${p.intervalMinutes}-minute poll`,
      '',
      `\`${p.command}\``,
      '',
      'Computed from the engine run: each order would be noticed at the next poll tick after "sent" (every poll phase weighed ' +
        'equally), then take the same processing time it took here.',
      '',
      '| reporting | sent → invoiced |',
      '|---|---|',
      `| on the WMS webhook (this product) | ${dist(p.webhookSentToInvoicedMs)} |`,
      `| ${p.intervalMinutes}-minute poll | ${dist(p.sentToInvoicedMs)} |`,
    );
  }
  if (report.webhooksOff) {
    const w = report.webhooksOff;
    out.push(
      '',
      '## 6. Without webhooks: the status-change poll alone',
      '',
      `\`${w.command}\``,
      '',
      `The WMS sends no webhooks (the tenant's \`wms.webhook.auth: off\`); the floor sends ${w.orders} orders at random moments ` +
        `over ${w.spreadMinutes} minutes, and only the \`wms-status\` schedule (every ${w.pollIntervalMinutes} minutes, the default) ` +
        'tells the order workflows. Real time, no simulation.',
      '',
      '| figure | value |',
      '|---|---|',
      `| **"sent" pressed in the WMS → invoice created in Fortnox** | **${dist(w.sentToInvoicedMs)}** |`,
      `| poll runs during the run | ${w.pollRuns} |`,
      `| WMS calls the poll made | ${w.pollWmsCalls} (one \`GET /orders\` per page of up to 500 changed orders) |`,
      `| **WMS calls per tenant per hour** for the poll | **${w.pollWmsCallsPerHour}** (idle: ${60 / w.pollIntervalMinutes}, one per run) |`,
    );
  }
  if (report.backfill) {
    const b = report.backfill;
    const kb = (n: number) => `${Math.round(n / 102.4) / 10} KB`;
    const row = (name: string, f: SyncFigures) =>
      `| ${name} | ${f.wallSeconds.toFixed(1)} s | ${f.fortnoxCalls} | ${f.runs} | ${f.longestRunEvents} | **${kb(f.largestPayloadBytes)}** |`;
    const total = b.orders.invoiced + b.orders.unconfirmed + b.orders.open;
    out.push(
      '',
      '## 7. Backfill at full size',
      '',
      `\`${b.command}\``,
      '',
      `${total} Fortnox orders (${b.orders.invoiced} invoiced, ${b.orders.unconfirmed} unconfirmed, ${b.orders.open} open and ` +
        `confirmed) and ${b.receivedPurchaseOrders} received purchase orders in the sandbox, at Fortnox's rate limit. Each sync runs ` +
        'once, from nothing (no cursor). The largest payload is the largest input, result or heartbeat any event of any run ' +
        'wrote (Temporal refuses over 2 MB).',
      '',
      '| sync | wall time | Fortnox calls | runs (continue-as-new) | longest run (events) | largest payload |',
      '|---|---|---|---|---|---|',
      row('full order sync', b.orderSync),
      ...(b.purchaseOrderSync ? [row('purchase-order sync', b.purchaseOrderSync)] : []),
      ...(b.purchaseOrderSyncAgain
        ? [row('the next purchase-order sync (all settled)', b.purchaseOrderSyncAgain)]
        : []),
    );
  }
  if (report.burst) {
    const b = report.burst;
    out.push(
      '',
      '## 8. A burst of webhooks',
      '',
      `\`${b.command}\``,
      '',
      `${b.events} open order workflows on the dev server (SQLite), then ${b.events} authenticated "sent" webhooks, one per order, ` +
        'all at once on their own connections. The receiver answers 2xx only once Temporal holds the signal; a 503 is retried by ' +
        'the WMS. Signals wait in a bounded queue (32 at a time) for up to 20 s.',
      '',
      '| figure | value |',
      '|---|---|',
      `| **answered 2xx** | **${b.accepted} of ${b.events} (${Math.round(b.acceptedShare * 1000) / 10} %)** |`,
      `| answered 503 | ${b.unavailable} |`,
      `| other answers or no answer | ${b.other} |`,
      `| time until the last answer | ${(b.wallMs / 1000).toFixed(1)} s |`,
      `| events accepted per second | ${b.acceptedPerSecond} |`,
      `| answer latency | ${dist(b.latencyMs)} |`,
    );
  }
  return `${out.join('\n')}\n`;
}
