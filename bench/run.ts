// `npm run bench`: the order flow's benchmarks (issue 10), written to bench/results/latest.{json,md} and, with
// --write-docs, to docs/benchmarks.md. Options: --orders 300 --open-orders 10000 --seed 1 --only calls,rate,engine,scale,poll,nowebhooks,backfill,burst,events
// (--nowebhook-orders 60 --spread-minutes 10 for the run without webhooks; --backfill-orders 30000
// --received-purchase-orders 500 for the backfill; --burst-events 1000 for the webhook burst; --rate-workers 1,3 for the
// worker processes of each rate-bound run and article sync; --articles 5000 for the article sync; --events-orders 40
// --events-pace-ms 1000 --events-interval 30s for Fortnox events against the order sync)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { runArticleSync } from './article-sync';
import { runBackfill } from './backfill';
import { eventsMarkdown, runFortnoxEvents, type EventsBenchResult } from './fortnox-events';
import { runIdleOrders } from './idle-order';
import { runLifecycle } from './lifecycle';
import { callsFigures, engineFigures, machineInfo, rateFigures, toMarkdown, type BenchReport } from './report';
import { repoRoot } from './rig';
import { runScale } from './scale';
import { runWebhookBurst } from './webhook-burst';

const ALL = [
  'calls',
  'rate',
  'engine',
  'poll',
  'scale',
  'nowebhooks',
  'backfill',
  'burst',
  'articles',
  'idle',
  'events',
] as const;
type Bench = (typeof ALL)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '300' },
      'open-orders': { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string', default: ALL.join(',') },
      'nowebhook-orders': { type: 'string', default: '60' },
      'spread-minutes': { type: 'string', default: '10' },
      'backfill-orders': { type: 'string', default: '30000' },
      'received-purchase-orders': { type: 'string', default: '500' },
      'burst-events': { type: 'string', default: '1000' },
      'rate-workers': { type: 'string', default: '1,3' },
      articles: { type: 'string', default: '5000' },
      'idle-orders': { type: 'string', default: '20' },
      'events-orders': { type: 'string', default: '40' },
      'events-pace-ms': { type: 'string', default: '1000' },
      'events-interval': { type: 'string', default: '30s' },
      'write-docs': { type: 'boolean', default: false },
      'no-progress': { type: 'boolean', default: false },
    },
  });
  const orders = Number(values.orders);
  const openOrders = Number(values['open-orders']);
  const seed = Number(values.seed);
  const only = new Set(values.only.split(',').map((s) => s.trim()) as Bench[]);
  for (const name of only)
    if (!ALL.includes(name)) throw new Error(`--only: unknown benchmark "${name}"; expected ${ALL.join(', ')}`);
  const progress = !values['no-progress'] && process.stderr.isTTY;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  const report: BenchReport = { generatedAt: new Date().toISOString(), machine: machineInfo() };
  const cmd = (what: string, extra: string) => `npm run bench -- --only ${what} ${extra} --seed ${seed}`;
  const say = (line: string) => process.stderr.write(`${line}\n`);

  if (only.has('calls') || only.has('rate')) {
    const workerCounts = only.has('rate') ? values['rate-workers'].split(',').map(Number) : [1];
    for (const workers of workerCounts) {
      say(
        `rate-bound run: ${orders} orders, sandbox at 25 requests / 5 s, ${workers} of the product's worker processes (workers/main.ts)`,
      );
      const result = await runLifecycle({
        orders,
        rateLimited: true,
        worker: 'product',
        workers,
        seed,
        progress,
        label: `rate ×${workers}`,
      });
      const command = cmd('calls,rate', `--orders ${orders} --rate-workers ${workers}`);
      if (only.has('calls') && !report.calls) report.calls = callsFigures(result, command);
      if (only.has('rate')) (report.rate ??= []).push(rateFigures(result, command));
    }
  }
  if (only.has('engine') || only.has('poll')) {
    say(`engine run: ${orders} orders, no rate limit, pacing lifted (bench/worker-process.ts)`);
    const result = await runLifecycle({
      orders,
      rateLimited: false,
      worker: 'unlimited',
      seed,
      progress,
      label: 'engine',
    });
    const command = cmd('engine,poll', `--orders ${orders}`);
    if (only.has('engine')) report.engine = engineFigures(result, command);
    if (only.has('poll')) {
      report.poll = {
        command,
        intervalMinutes: 15,
        sentToInvoicedMs: result.pollSentToInvoicedMs,
        webhookSentToInvoicedMs: result.sentToInvoicedMs,
      };
    }
  }
  if (only.has('nowebhooks')) {
    const n = Number(values['nowebhook-orders']);
    const spreadMinutes = Number(values['spread-minutes']);
    say(
      `run without webhooks: ${n} orders sent over ${spreadMinutes} minutes, found by the status-change poll (every 2 minutes)`,
    );
    const result = await runLifecycle({
      orders: n,
      rateLimited: true,
      worker: 'product',
      seed,
      progress,
      label: 'no webhooks',
      webhooks: false,
      floor: { maxHoldMs: spreadMinutes * 60_000, concurrency: n },
    });
    report.webhooksOff = {
      command: cmd('nowebhooks', `--nowebhook-orders ${n} --spread-minutes ${spreadMinutes}`),
      orders: n,
      spreadMinutes,
      pollIntervalMinutes: 2,
      sentToInvoicedMs: result.sentToInvoicedMs,
      pollRuns: result.statusPoll.runs,
      pollWmsCalls: result.statusPoll.wmsCalls,
      pollWmsCallsPerHour: Math.round((result.statusPoll.wmsCalls / result.statusPoll.wallHours) * 10) / 10,
    };
  }
  if (only.has('scale')) {
    say(`scale run: ${openOrders} open orders waiting for the warehouse`);
    const result = await runScale({ openOrders, seed, progress });
    report.scale = { command: cmd('scale', `--open-orders ${openOrders}`), ...result };
  }

  if (only.has('backfill')) {
    const orders = Number(values['backfill-orders']);
    const received = Number(values['received-purchase-orders']);
    say(
      `backfill run: ${orders} Fortnox orders and ${received} received purchase orders, one full order sync and one purchase-order sync`,
    );
    const result = await runBackfill({ orders, receivedPurchaseOrders: received, progress: true });
    report.backfill = {
      command: cmd('backfill', `--backfill-orders ${orders} --received-purchase-orders ${received}`),
      ...result,
    };
  }

  if (only.has('burst')) {
    const events = Number(values['burst-events']);
    say(`webhook burst: ${events} "sent" webhooks at once`);
    const result = await runWebhookBurst({ events, log: say });
    report.burst = { command: cmd('burst', `--burst-events ${events}`), ...result };
  }

  if (only.has('articles')) {
    const articles = Number(values.articles);
    for (const workers of values['rate-workers'].split(',').map(Number)) {
      say(`article sync: ${articles} articles, sandbox at 25 requests / 5 s, ${workers} worker process(es)`);
      const figures = await runArticleSync({ articles, workers, log: say });
      (report.articles ??= []).push({
        command: cmd('articles', `--articles ${articles} --rate-workers ${workers}`),
        ...figures,
      });
    }
  }

  if (only.has('idle')) {
    const n = Number(values['idle-orders']);
    say(`idle system: ${n} orders sent one at a time, rate limit on`);
    report.idle = { command: cmd('idle', `--idle-orders ${n}`), ...(await runIdleOrders({ orders: n, seed })) };
  }

  // Fortnox events against the order sync (issue 20): its own section after the others.
  let events: ({ command: string } & EventsBenchResult) | undefined;
  if (only.has('events')) {
    const n = Number(values['events-orders']);
    const paceMs = Number(values['events-pace-ms']);
    const interval = values['events-interval'];
    say(`Fortnox events against the order sync: ${n} orders confirmed one every ${paceMs} ms in each mode`);
    const result = await runFortnoxEvents({ orders: n, paceMs, scheduleInterval: interval, seed, log: say });
    events = {
      command: cmd('events', `--events-orders ${n} --events-pace-ms ${paceMs} --events-interval ${interval}`),
      ...result,
    };
  }

  const markdown = toMarkdown(report) + (events ? eventsMarkdown(events, events.command) : '');
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(events ? { ...report, events } : report, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdown);
  if (values['write-docs']) {
    mkdirSync(join(repoRoot, 'docs'), { recursive: true });
    writeFileSync(join(repoRoot, 'docs', 'benchmarks.md'), markdown);
  }
  process.stdout.write(markdown);
  say(
    `written: bench/results/latest.json, bench/results/latest.md${values['write-docs'] ? ', docs/benchmarks.md' : ''}`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
