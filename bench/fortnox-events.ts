// Issue 20: "confirmed in Fortnox" → order created in the WMS, with Fortnox's WebSocket events on and with the order
// sync schedule alone, side by side in one run on one rig (the product's worker process, Fortnox's rate limit on).
// Orders are confirmed in the Fortnox sandbox one at a time at a steady pace; each is measured from its creation in
// the Fortnox sandbox to its creation in the WMS sandbox (both sandboxes' own timestamps, same machine clock).
//
// Schedule only runs first: the order sync lists every order changed within its overlap (5 minutes) and re-reads
// each, so running it after the events phase would also re-read the events phase's orders, which a tenant on one mode
// never does. The events phase then has the order sync at its safety-net interval (1 hour) and the listener
// (client/fortnox-events/listener.ts) in this process, as `npm run events` runs it.
import { TenantRegistry } from '../activities/tenant-registry';
import { FortnoxEventListener } from '../client/fortnox-events/listener';
import { eventTenantsOf } from '../client/fortnox-events/tenants';
import { bootstrapSchedules } from '../client/schedules';
import { createLogger } from '../config/logger';
import type { Tenant } from '../config/tenants';
import { durationMs } from '../domain/duration';
import { orderSyncInterval } from '../domain/settings';
import { orderRows, seededRandom } from './lifecycle';
import { startRig, type Rig } from './rig';
import { distribution, pollLatencies, type Distribution } from './stats';

export const EVENTS_GOAL_P50_MS = 2000;
/** The product's default order sync interval without events (settings.syncInterval). */
const DEFAULT_INTERVAL = '15m';

export interface EventsBenchOptions {
  /** Orders confirmed in each phase (default 40). */
  orders?: number;
  /** One order every this many ms (default 1000). */
  paceMs?: number;
  /** The order sync's interval in the schedule-only phase (default 30s: the default 15m would take hours). */
  scheduleInterval?: string;
  seed?: number;
  log?: (line: string) => void;
}

export interface EventsPhaseResult {
  mode: 'events on' | 'schedule only';
  /** The order sync's interval during the phase. */
  interval: string;
  orders: number;
  /** Orders that reached the WMS before the phase's deadline. */
  reached: number;
  /** Document numbers that did not. */
  missing: string[];
  confirmedToWmsMs: Distribution;
}

export interface EventsBenchResult {
  orders: number;
  paceMs: number;
  events: EventsPhaseResult & { listenerEvents: number; orderSignals: number; syncRuns: number };
  schedule: EventsPhaseResult & {
    /** Order sync runs started during the phase. */
    syncRuns: number;
    /** From the start of the sync run that brought an order to the order in the WMS. */
    afterSyncStartMs: Distribution;
  };
  /** What the schedule alone means at the default interval: wait for the next run (any phase) + the processing above. */
  defaultInterval: { interval: string; confirmedToWmsMs: Distribution };
  goalP50Ms: number;
  goalMet: boolean;
}

interface Confirmed {
  documentNumber: string;
  createdAt: number;
  inWmsAt?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Confirms `orders` orders in the Fortnox sandbox, one every `paceMs`, and waits up to `settleMs` after the last for
 * each to appear in the WMS sandbox.
 */
async function confirmOrders(
  rig: Rig,
  random: () => number,
  orders: number,
  paceMs: number,
  settleMs: number,
): Promise<Confirmed[]> {
  const confirmed: Confirmed[] = [];
  const pending = new Map<string, Confirmed>();
  const scan = () => {
    if (pending.size === 0) return;
    for (const order of rig.goodsOwner.orders.values()) {
      const c = pending.get(order.orderNumber);
      if (!c) continue;
      c.inWmsAt = Date.parse(order.createdDate);
      pending.delete(order.orderNumber);
    }
  };
  const watcher = setInterval(scan, 20);
  try {
    const start = Date.now();
    for (let i = 0; i < orders; i++) {
      const [documentNumber] = rig.seedOrders([orderRows(random, rig.articles)]);
      const order = rig.fortnoxTenant.orders.get(Number(documentNumber));
      if (!order) throw new Error(`events bench: order ${documentNumber} not in the Fortnox sandbox`);
      const c: Confirmed = { documentNumber: documentNumber!, createdAt: order.lastModified };
      confirmed.push(c);
      pending.set(c.documentNumber, c);
      await pause(start + (i + 1) * paceMs - Date.now());
    }
    const deadline = Date.now() + settleMs;
    while (pending.size > 0 && Date.now() < deadline) await pause(50);
    scan();
    return confirmed;
  } finally {
    clearInterval(watcher);
  }
}

function phaseResult(mode: EventsPhaseResult['mode'], interval: string, confirmed: Confirmed[]): EventsPhaseResult {
  const reached = confirmed.filter((c) => c.inWmsAt !== undefined);
  return {
    mode,
    interval,
    orders: confirmed.length,
    reached: reached.length,
    missing: confirmed.filter((c) => c.inWmsAt === undefined).map((c) => c.documentNumber),
    confirmedToWmsMs: distribution(reached.map((c) => c.inWmsAt! - c.createdAt)),
  };
}

/** Start times of the order sync's runs (the schedule's and triggered ones), oldest first. */
async function syncRunStarts(rig: Rig): Promise<number[]> {
  const starts: number[] = [];
  for await (const run of rig.client.workflow.list({ query: `WorkflowType = 'syncOrdersWorkflow'` }))
    starts.push(run.startTime.getTime());
  return starts.sort((a, b) => a - b);
}

export async function runFortnoxEvents(options: EventsBenchOptions = {}): Promise<EventsBenchResult> {
  const orders = options.orders ?? 40;
  const paceMs = options.paceMs ?? 1000;
  const scheduleInterval = options.scheduleInterval ?? '30s';
  const log = options.log ?? (() => undefined);
  const random = seededRandom(options.seed ?? 1);
  const rig = await startRig({
    fortnoxRateLimit: true,
    settings: { fortnoxEvents: 'off', syncInterval: scheduleInterval },
  });
  let listener: FortnoxEventListener | undefined;
  try {
    await rig.spawnWorker('product');

    // Schedule only: fortnoxEvents off, the order sync every scheduleInterval (its first run at once, before any order).
    const scheduleTenant = rig.tenant;
    await bootstrapSchedules(rig.client, [scheduleTenant], rig.taskQueue);
    const intervalMs = durationMs(scheduleInterval);
    log(`events bench, schedule only: ${orders} orders, one every ${paceMs} ms, order sync every ${scheduleInterval}`);
    const phaseStart = Date.now();
    const bySchedule = await confirmOrders(rig, random, orders, paceMs, 2 * intervalMs + 60_000);
    const runs = (await syncRunStarts(rig)).filter((t) => t >= phaseStart - 1000);
    // Each order came with the last sync run that started before it reached the WMS.
    const afterSyncStart = bySchedule
      .filter((c) => c.inWmsAt !== undefined)
      .map((c) => {
        const run = runs.filter((t) => t <= c.inWmsAt!).pop();
        return run === undefined ? undefined : { createdAt: c.createdAt, afterMs: c.inWmsAt! - run };
      })
      .filter((x) => x !== undefined);
    const schedule = {
      ...phaseResult('schedule only', scheduleInterval, bySchedule),
      syncRuns: runs.length,
      afterSyncStartMs: distribution(afterSyncStart.map((x) => x.afterMs)),
    };
    const defaultInterval = {
      interval: DEFAULT_INTERVAL,
      confirmedToWmsMs: distribution(
        pollLatencies(
          afterSyncStart.map((x) => ({ sentAt: x.createdAt, invoicedAt: x.createdAt + x.afterMs })),
          durationMs(DEFAULT_INTERVAL),
          5000,
        ),
      ),
    };

    // Events on: the order sync back at its safety-net interval, the listener subscribed.
    const eventsTenant: Tenant = { ...rig.tenant, settings: { ...rig.tenant.settings, fortnoxEvents: 'on' } };
    await bootstrapSchedules(rig.client, [eventsTenant], rig.taskQueue);
    await pause(2000); // the last schedule-only run, if any, done
    const logger = createLogger('warn').child({ component: 'bench-fortnox-events' });
    const registry = new TenantRegistry([eventsTenant], { dataDir: rig.dir });
    const tenants = await eventTenantsOf([eventsTenant], registry, logger);
    if (tenants.length !== 1) throw new Error('events bench: the tenant has no events (fortnoxEvents or orders off)');
    listener = new FortnoxEventListener({
      url: rig.fortnox.eventsUrl,
      tenants,
      client: rig.client,
      taskQueue: rig.taskQueue,
      logger,
    });
    await listener.start();
    if (listener.connectionState !== 'subscribed')
      throw new Error(`events bench: the listener is ${listener.connectionState}, not subscribed`);
    const safetyNet = orderSyncInterval(eventsTenant.settings);
    log(`events bench, events on: ${orders} orders, one every ${paceMs} ms, order sync every ${safetyNet}`);
    const eventsStart = Date.now();
    const byEvents = await confirmOrders(rig, random, orders, paceMs, 60_000);
    const events = {
      ...phaseResult('events on', safetyNet, byEvents),
      listenerEvents: listener.counts.events,
      orderSignals: listener.counts.orderSignals,
      syncRuns: (await syncRunStarts(rig)).filter((t) => t >= eventsStart).length,
    };
    return {
      orders,
      paceMs,
      events,
      schedule,
      defaultInterval,
      goalP50Ms: EVENTS_GOAL_P50_MS,
      goalMet: events.reached === events.orders && events.confirmedToWmsMs.p50 < EVENTS_GOAL_P50_MS,
    };
  } finally {
    await listener?.stop().catch(() => undefined);
    await rig.close();
  }
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const ms = (v: number) =>
  Number.isNaN(v)
    ? '–'
    : v >= 60_000
      ? `${round(v / 60_000, 1)} min`
      : v >= 1000
        ? `${round(v / 1000, 2)} s`
        : `${Math.round(v)} ms`;

/** The benchmark's section of bench/results/latest.md and docs/benchmarks.md. */
export function eventsMarkdown(r: EventsBenchResult, command: string): string {
  const row = (mode: string, interval: string, orders: string, d: Distribution) =>
    `| ${mode} | ${interval} | ${orders} | ${ms(d.p50)} | ${ms(d.p95)} | ${ms(d.max)} |`;
  const phaseRow = (p: EventsPhaseResult, note: string) =>
    row(p.mode, `${p.interval} (${note})`, `${p.reached} of ${p.orders}`, p.confirmedToWmsMs);
  const out = [
    '',
    '## 9. Confirmed in Fortnox → order in the WMS: Fortnox events against the order sync',
    '',
    `\`${command}\``,
    '',
    `${r.orders} orders confirmed in the Fortnox sandbox in each mode, one every ${round(r.paceMs / 1000)} s, Fortnox's ` +
      "rate limit on, the product's worker process; measured from the order's creation in the Fortnox sandbox to its " +
      'creation in the WMS sandbox. Events on: the event listener (`client/fortnox-events/listener.ts`) subscribed to the ' +
      `sandbox's event stream, the order sync at its safety-net interval. Schedule only: \`fortnoxEvents: off\`, the order ` +
      `sync every ${r.schedule.interval} instead of the default ${r.defaultInterval.interval}, so the run takes minutes ` +
      'rather than hours; schedule only ran first, so its runs do not re-read the events phase\u2019s orders.',
    '',
    '| mode | order sync every | orders in the WMS | p50 | p95 | max |',
    '|---|---|---|---|---|---|',
    phaseRow(r.events, `safety net; ${r.events.syncRuns} runs during the phase`),
    phaseRow(r.schedule, `${r.schedule.syncRuns} runs during the phase`),
    row(
      'schedule only, modelled',
      `${r.defaultInterval.interval} (the default)`,
      '–',
      r.defaultInterval.confirmedToWmsMs,
    ),
    '',
    `**Goal p50 < ${ms(r.goalP50Ms)} with events on: ${r.goalMet ? 'met' : 'not met'}** ` +
      `(p50 ${ms(r.events.confirmedToWmsMs.p50)}; ${r.events.listenerEvents} events received, ` +
      `${r.events.orderSignals} order workflows signalled).`,
    '',
    `Schedule only, an order waits for the next sync run (p50 ≈ interval ÷ 2 = ${ms(durationMs(r.schedule.interval) / 2)} ` +
      `here), then takes p50 ${ms(r.schedule.afterSyncStartMs.p50)} (p95 ${ms(r.schedule.afterSyncStartMs.p95)}) from ` +
      `the run's start to the WMS. At the default ${r.defaultInterval.interval}: p50 ≈ ` +
      `${ms(durationMs(r.defaultInterval.interval) / 2)}; the modelled row weighs every phase of the ` +
      `${r.defaultInterval.interval} tick equally and adds the processing measured here, a floor: at that interval each ` +
      `run finds ${round(durationMs(r.defaultInterval.interval) / durationMs(r.schedule.interval))} times as many ` +
      'orders to read under the same rate limit.',
  ];
  const missing = [...r.events.missing, ...r.schedule.missing];
  if (missing.length) out.push('', `**Orders that never reached the WMS: ${missing.join(', ')}.**`);
  return `${out.join('\n')}\n`;
}
