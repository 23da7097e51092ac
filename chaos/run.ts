// `npm run chaos` (500 orders, 6 kills, one server restart) and `npm run chaos:short` (CI: 30 orders, 2 kills, one
// restart): the chaos soak of issue 9. `--webhooks off` runs it without any webhook (the status-change poll alone).
// `--long` (300 orders, about 20 minutes) and `--long --short` (CI) compress months of life (chaos/long.ts). `--stack`
// runs it on the compose file's deployment run natively (PostgreSQL + the Temporal server, scripts/stack/) with three
// worker processes and two webhook receivers, and restarts PostgreSQL too. Prints the table of invariants and what
// was injected; any violation exits 1. Fortnox's event stream brings the orders (`--events off`: the order sync every
// 10 s does), with the listener process killed and its connection dropped; `--long` keeps events off by default.
import { parseArgs } from 'node:util';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { longPlan, longProfile } from './long';
import { runSoak, type SoakResult } from './soak';

const seconds = (ms: number[]) => ms.map((m) => `${(m / 1000).toFixed(1)} s`).join(', ') || '-';

export function resultTable(r: SoakResult): string {
  const i = r.invariants;
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const kinds = (o: Record<string, number>) =>
    Object.entries(o)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const rows: [string, string | number][] = [
    [
      'webhooks',
      r.webhooks
        ? `HTTP Basic, as Ongoing sends them (reconciliation every ${r.reconciliationInterval} as backstop)`
        : `off: the status-change poll (every 10 s) alone; reconciliation ${r.reconciliationInterval} away`,
    ],
    ['orders', `${i.orders} (${i.ordersInWms} reached the WMS, ${i.sent} sent)`],
    ['invoices', i.invoices],
    ['duplicate invoices', i.duplicateInvoices],
    ['lost orders (sent, never invoiced)', i.lostOrders],
    ['invoiced without a shipment', i.invoicedWithoutShipment],
    ['wrong quantities (rows)', i.wrongQuantities],
    ['changes that reached the WMS after start', i.changesAfterStart],
    ['Fortnox cancellations missed by the WMS', i.cancellationsMissed],
    [
      'stock mismatches (articles, Fortnox Lager vs WMS)',
      i.stockMismatches === null ? i.stockNote : `${i.stockMismatches} (${i.stockNote})`,
    ],
    ['stock moved twice (sync beyond warehouse adjustments)', i.stockMovedTwice ?? 'n/a'],
    [
      'faults injected: Fortnox',
      `${sum(r.faults.fortnox)} (${kinds(r.faults.fortnox)}; 429 answers ${r.faults.rateLimited429})`,
    ],
    ['faults injected: WMS', `${sum(r.faults.wms)} (${kinds(r.faults.wms)})`],
    ['429 bursts', r.faults.bursts429],
    ...(r.stack
      ? ([
          [
            'Temporal',
            `the compose file's deployment, natively: PostgreSQL + Temporal server; ${r.stack.workers} worker processes, ${r.stack.receivers} webhook receivers behind a balancer`,
          ],
          ['webhooks taken per receiver', r.stack.webhooksPerReceiver.join(', ')],
          ['PostgreSQL restarts', `${r.stack.postgresDowntimeMs.length} (down ${seconds(r.stack.postgresDowntimeMs)})`],
        ] as [string, string][])
      : []),
    ...(r.events
      ? ([
          [
            'Fortnox events',
            `on: listener SIGKILLed ${r.events.kills} times, connection dropped ${r.events.drops} times (${r.events.starts} listener starts); 5 % of events sent twice, all 300 ms late`,
          ],
          ['orders started by a Fortnox event', `${r.events.startedByEvents} of ${r.events.orders}`],
        ] as [string, string][])
      : ([['Fortnox events', 'off: the order sync every 10 s']] as [string, string][])),
    ["429 answers from Fortnox's rate limit (not injected)", r.faults.rateLimitedByLimit],
    ['worker kills (SIGKILL)', `${r.kills} (other worker exits/failed starts: ${r.workerExits})`],
    ['Temporal server restarts', `${r.serverRestarts} (down ${seconds(r.serverDowntimeMs)})`],
    [
      'Fortnox-side changes',
      `${r.fortnoxChanges.beforeStart} before start, ${r.fortnoxChanges.afterStart} after start, ${r.fortnoxChanges.cancelled} cancelled`,
    ],
    ['cancelled on the floor', r.floorCancelled],
    [
      'stock adjustments in the warehouse',
      r.stockSyncAfterQuiet === null
        ? 'n/a'
        : `${r.stockAdjustments} (${r.stockSyncRuns} stock sync runs; one after quiet: ${r.stockSyncAfterQuiet ? 'yes' : 'NO'})`,
    ],
    ...(r.profile?.rows ?? []),
    ['settled in time', r.settled ? 'yes' : 'NO'],
    ['duration', `${(r.durationMs / 1000).toFixed(0)} s`],
    ['violations', r.violations === 0 ? '0 (PASS)' : `${r.violations} (FAIL)`],
  ];
  return ['| check | result |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean', default: false },
      long: { type: 'boolean', default: false },
      orders: { type: 'string' },
      kills: { type: 'string' },
      seed: { type: 'string', default: '9' },
      'timeout-minutes': { type: 'string' },
      'change-before-rate': { type: 'string', default: '0.1' },
      'worker-log-level': { type: 'string', default: 'info' },
      'without-stock-sync': { type: 'boolean', default: false },
      webhooks: { type: 'string', default: 'basic' },
      stack: { type: 'boolean', default: false },
      events: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const short = values.short;
  const long = values.long;
  // The long profile compresses months with operator actions (backfills, reopened orders) the order sync carries out:
  // it keeps events off unless asked.
  const eventsMode = values.events ?? (long ? 'off' : 'on');
  if (eventsMode !== 'on' && eventsMode !== 'off') {
    process.stderr.write(`--events: expected on or off, got ${eventsMode}\n`);
    return 2;
  }
  if (values.webhooks !== 'basic' && values.webhooks !== 'off') {
    process.stderr.write(`--webhooks: expected basic or off, got ${values.webhooks}\n`);
    return 2;
  }
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  const log = (line: string) => {
    if (!values.quiet) process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  };
  let lastProgress = 0;
  const seed = Number(values.seed);
  const defaults = long
    ? // Long: the worker is killed during reports by the profile, not at random progress points.
      { orders: short ? 24 : 300, kills: 0, seedOverMs: short ? 40_000 : 12 * 60_000, timeoutMinutes: short ? 6 : 60 }
    : values.stack
      ? // Three workers: each is killed at least once; the stack restarts slower than the dev server.
        { orders: short ? 40 : 500, kills: short ? 3 : 9, seedOverMs: undefined, timeoutMinutes: short ? 10 : 90 }
      : { orders: short ? 30 : 500, kills: short ? 2 : 6, seedOverMs: undefined, timeoutMinutes: short ? 6 : 90 };
  const result = await runSoak({
    orders: Number(values.orders ?? defaults.orders),
    kills: Number(values.kills ?? defaults.kills),
    seedOverMs: defaults.seedOverMs,
    profile: long ? longProfile(longPlan(short), seed) : undefined,
    serverRestarts: 1,
    stack: values.stack ? { workers: 3, receivers: 2, postgresRestarts: 1 } : undefined,
    seed,
    faults: { errorRate: 0.05, timeoutAfterCommitRate: 0.05 },
    changeBeforeRate: Number(values['change-before-rate']),
    changeAfterRate: 0.1,
    cancelInFortnoxRate: 0.04,
    cancelOnFloorRate: 0.03,
    partialPickRate: 0.2,
    burstEveryMs: 30_000,
    // Long: Lager on, the stock sync off, so the operator's stock fix is the only thing that lets a short order through.
    stockAdjustEveryMs: values['without-stock-sync'] || long ? false : 3000,
    webhooks: values.webhooks === 'basic',
    events: eventsMode === 'on' ? { listenerKills: short ? 1 : 3, connectionDrops: short ? 1 : 3 } : false,
    workerLogLevel: values['worker-log-level'],
    // The short run is CI's: usually 1.5-2.5 minutes; the margin is for a CI machine busy with the other test files.
    timeoutMs: Number(values['timeout-minutes'] ?? defaults.timeoutMinutes) * 60_000,
    log,
    onProgress: (done, total) => {
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        log(`${done}/${total} orders done`);
      }
    },
  });
  process.stdout.write(`\n${resultTable(result)}\n\n`);
  for (const example of result.invariants.examples) process.stdout.write(`  ${example}\n`);
  process.stdout.write(
    `CHAOS_RESULT ${JSON.stringify({
      webhooks: result.webhooks,
      violations: result.violations,
      kills: result.kills,
      serverRestarts: result.serverRestarts,
      stack: result.stack,
      events: result.events,
      faults: result.faults,
      settled: result.settled,
      long: result.profile?.summary,
      stock: {
        adjustments: result.stockAdjustments,
        syncRuns: result.stockSyncRuns,
        syncAfterQuiet: result.stockSyncAfterQuiet,
      },
      invariants: { ...result.invariants, examples: undefined },
    })}\n`,
  );
  return result.violations === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  },
);
