// The chaos soak: N orders through the whole lifecycle while both sandboxes inject faults, the worker process is
// SIGKILLed at random moments and restarted, and the Temporal dev server is restarted once on its SQLite file.
// Then every invariant is checked against the sandboxes' state.
import { randomInt } from 'node:crypto';
import got from 'got';
import { Floor } from '../bench/floor';
import { orderRows, seededRandom } from '../bench/lifecycle';
import { startRig, type Rig } from '../bench/rig';
import { bootstrapSchedules } from '../client/schedules';
import { orderStatusQuery } from '../workflows/order/messages';
import { orderWorkflow } from '../workflows/order/workflow';
import { applyFaults, clearFaults, type FaultPlan, type WmsFaultCounts } from './faults';
import { cancelOrder, changeQuantity } from './fortnox-user';
import type { ProfileReport, SoakContext, SoakProfile } from './profile';
import { WorkerSupervisor } from './supervisor';
import { EventListenerChaos, ordersNotStartedByEvents } from './event-listener';
import { checkInvariants, violations, type AdjustmentTotals, type InvariantReport } from './invariants';

export interface SoakOptions {
  orders: number;
  kills: number;
  serverRestarts: number;
  seed: number;
  faults: FaultPlan;
  /** Share of orders changed in Fortnox before / after the warehouse starts, and cancelled in Fortnox / on the floor. */
  changeBeforeRate: number;
  changeAfterRate: number;
  cancelInFortnoxRate: number;
  cancelOnFloorRate: number;
  partialPickRate: number;
  /** How often a burst of 429s hits the tenant. */
  burstEveryMs: number;
  /**
   * Fortnox Lager and the stock-level sync on, with the warehouse adjusting stock (counts, damage) every this many ms
   * on half of the articles; false: the order flow alone.
   */
  stockAdjustEveryMs: number | false;
  /**
   * true (default): the WMS sends HTTP Basic webhooks, as Ongoing does, with a 30 s reconciliation as the backstop.
   * false: no webhooks at all; the status-change poll (every 10 s here) is what reports shipments, and the
   * reconciliation timer is set an hour away so it cannot do the poll's work.
   */
  webhooks?: boolean;
  /** LOG_LEVEL of the worker processes (default info, as in production). */
  workerLogLevel?: string;
  /** Over how long the orders arrive, in ten batches (default: 10 × max(2 s, 60 ms per order)). */
  seedOverMs?: number;
  /** A profile's settings, orders, actors and checks on top of the soak's (chaos/long.ts). */
  profile?: SoakProfile;
  /**
   * Run on the compose file's deployment, natively (PostgreSQL + the Temporal server: scripts/stack/), instead of the
   * dev server, with this many worker and webhook receiver processes, and PostgreSQL restarted this many times under
   * the running server. Fortnox's rate limit must then hold across the worker processes: a 429 from it is a violation.
   */
  stack?: { workers: number; receivers: number; postgresRestarts: number };
  /**
   * Fortnox's event stream brings the orders (the default): the listener process runs, is SIGKILLed `listenerKills`
   * times and has its connection dropped `connectionDrops` times; the order sync runs only at start-up and hourly, so
   * every order workflow must have been started by the listener. false: events off, the order sync every 10 s.
   */
  events?: { listenerKills: number; connectionDrops: number } | false;
  /** How long to wait for everything to settle before checking. */
  timeoutMs: number;
  log: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface SoakResult {
  webhooks: boolean;
  /** The tenant's reconciliation interval in this soak. */
  reconciliationInterval: string;
  invariants: InvariantReport;
  violations: number;
  kills: number;
  workerExits: number;
  serverRestarts: number;
  serverDowntimeMs: number[];
  /** With the stack: the processes it ran, PostgreSQL's restarts, and the webhook connections each receiver took. */
  stack?: {
    workers: number;
    receivers: number;
    postgresDowntimeMs: number[];
    webhooksPerReceiver: number[];
  };
  /**
   * 429 answers in all (`rateLimited429`), and those from Fortnox's own rate limit (`rateLimitedByLimit`), i.e. not
   * the injected bursts.
   */
  faults: {
    fortnox: Record<string, number>;
    wms: WmsFaultCounts;
    bursts429: number;
    rateLimited429: number;
    rateLimitedByLimit: number;
  };
  fortnoxChanges: { beforeStart: number; afterStart: number; cancelled: number };
  floorCancelled: number;
  stockAdjustments: number;
  /** Stock sync runs that completed in the whole soak; whether one completed after it went quiet (null: no stock sync). */
  stockSyncRuns: number;
  stockSyncAfterQuiet: boolean | null;
  settled: boolean;
  durationMs: number;
  /** The profile's own report, when the soak ran one. */
  profile?: ProfileReport;
  /** With events: the listener's kills, dropped connections and starts, and the orders its events started. */
  events?: { kills: number; drops: number; starts: number; orders: number; startedByEvents: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const started = Date.now();
  const random = seededRandom(options.seed);
  const withStock = options.stockAdjustEveryMs !== false;
  const webhooks = options.webhooks !== false;
  const profile = options.profile;
  const stack = options.stack;
  const events = options.events ?? false;
  const rig = await startRig({
    temporal: stack ? 'stack' : 'dev',
    receiverProcesses: stack?.receivers,
    log: stack ? options.log : undefined,
    fortnoxRateLimit: true,
    lager: withStock || profile?.lager === true,
    webhooks,
    // Syncs every few seconds so Fortnox-side changes arrive during the run. With webhooks, a short reconciliation
    // interval is the backstop for webhooks that run out of retries while the server is down; without, the status
    // poll must do all the work, so the reconciliation timer is out of its way.
    settings: {
      syncInterval: '10s',
      // With events the order sync is the hourly safety net: an order it had to bring in is a violation.
      fortnoxEvents: events ? 'on' : 'off',
      syncOverlap: '10s',
      wmsStatusPollInterval: '10s',
      reconciliationInterval: webhooks ? '30s' : '1h',
      processes: { stockLevels: withStock },
      ...profile?.settings,
    },
    webhookRetryScheduleMs: [500, 1000, 2000, 4000, 8000, 15_000, 30_000, 60_000],
  });
  const log = options.log;
  const supervisor = new WorkerSupervisor(rig, log, options.workerLogLevel, stack?.workers ?? 1);
  const listener = events ? new EventListenerChaos(rig, log) : undefined;
  const context: SoakContext = { rig, supervisor, random, faults: options.faults, seed: options.seed, log };
  const wmsFaults: WmsFaultCounts = { error503: 0, timeoutAfterCommit: 0, latency: 0 };
  const cancelledInFortnox = new Set<string>();
  const changes = { beforeStart: 0, afterStart: 0, cancelled: 0 };
  const plannedChangeBefore = new Set<string>();
  const plannedChangeAfter = new Set<string>();
  let bursts = 0;
  const adjustments = new Map<string, AdjustmentTotals>();
  const adjusting = new Set<Promise<unknown>>();
  let adjustmentCount = 0;
  const serverDowntimeMs: number[] = [];
  const postgresDowntimeMs: number[] = [];
  const timers: NodeJS.Timeout[] = [];
  let floor: Floor | undefined;
  /** Violations of the stack's own checks (429s from the rate limit, an idle receiver). */
  const stackViolations: string[] = [];
  try {
    await applyFaults(rig, options.faults, options.seed, wmsFaults);
    await supervisor.start();
    await listener?.start();
    const seeded: string[] = [];
    floor = new Floor(rig, {
      random,
      concurrency: 64,
      partialPickRate: options.partialPickRate,
      cancelRate: options.cancelOnFloorRate,
      maxHoldMs: 2000,
      skip: (n) => cancelledInFortnox.has(n),
      onSeen: (n) => {
        const r = random();
        if (r < options.cancelInFortnoxRate) {
          if (cancelOrder(rig, n)) {
            cancelledInFortnox.add(n);
            changes.cancelled++;
          }
        } else if (r < options.cancelInFortnoxRate + options.changeBeforeRate) {
          if (changeQuantity(rig, n, 1)) {
            plannedChangeBefore.add(n);
            changes.beforeStart++;
          }
        } else if (r < options.cancelInFortnoxRate + options.changeBeforeRate + options.changeAfterRate) {
          plannedChangeAfter.add(n);
        }
      },
      // A change made before the start gets a few seconds to reach the WMS (it may lose the race: then it is refused).
      holdMs: (n) => (plannedChangeBefore.has(n) ? 4000 + random() * 6000 : profile?.holdMs?.(n)),
      onReleased: (n) => {
        if (plannedChangeAfter.has(n) && changeQuantity(rig, n, 2)) changes.afterStart++;
      },
    });
    floor.start();
    await bootstrapSchedules(rig.client, [rig.tenant], rig.taskQueue);
    await profile?.start(context);

    // Orders arrive in ten batches; a few are cancelled in Fortnox before the order sync ever sees them.
    const batches = 10;
    const perBatch = Math.ceil(options.orders / batches);
    const batchGapMs = (options.seedOverMs ?? batches * Math.max(2000, options.orders * 60)) / batches;
    const seeding = (async () => {
      for (let b = 0; b < batches && seeded.length < options.orders; b++) {
        const count = Math.min(perBatch, options.orders - seeded.length);
        const numbers = rig.seedOrders(
          Array.from({ length: count }, () => profile?.rows?.(random, rig) ?? orderRows(random, rig.articles)),
        );
        seeded.push(...numbers);
        for (const n of numbers) {
          if (random() < options.cancelInFortnoxRate / 2 && cancelOrder(rig, n)) {
            cancelledInFortnox.add(n);
            changes.cancelled++;
          }
        }
        await sleep(batchGapMs);
      }
    })();

    // Chaos at random moments, spread over the run by progress (share of orders done).
    const done = () =>
      rig.fortnoxTenant.invoices.size +
      cancelledInFortnox.size +
      [...floor!.records.values()].filter((r) => r.cancelledByFloor).length;
    const killAt = Array.from({ length: options.kills }, () => 0.05 + random() * 0.8).sort((a, b) => a - b);
    const restartAt = Array.from({ length: options.serverRestarts }, () => 0.3 + random() * 0.4).sort((a, b) => a - b);
    const postgresRestartAt = Array.from({ length: stack?.postgresRestarts ?? 0 }, () => 0.2 + random() * 0.6).sort(
      (a, b) => a - b,
    );
    const listenerKillAt = Array.from({ length: events ? events.listenerKills : 0 }, () => 0.05 + random() * 0.8).sort(
      (a, b) => a - b,
    );
    const dropAt = Array.from({ length: events ? events.connectionDrops : 0 }, () => 0.05 + random() * 0.8).sort(
      (a, b) => a - b,
    );
    let restarting = false;
    const serverName = stack ? 'Temporal server' : 'Temporal dev server';
    const chaos = setInterval(() => {
      const progress = done() / options.orders;
      options.onProgress?.(done(), options.orders);
      if (listener && listenerKillAt.length && progress >= listenerKillAt[0]!) {
        listenerKillAt.shift();
        setTimeout(() => listener.kill(), randomInt(0, 2000));
      }
      if (listener && dropAt.length && progress >= dropAt[0]!) {
        dropAt.shift();
        void listener.drop().catch((err: Error) => log(`dropping the event stream failed: ${err.message}`));
      }
      if (killAt.length && progress >= killAt[0]! && supervisor.current && !restarting) {
        killAt.shift();
        setTimeout(() => supervisor.kill(), randomInt(0, 2000));
      }
      if (restartAt.length && progress >= restartAt[0]! && !restarting) {
        restartAt.shift();
        restarting = true;
        log(`restarting the ${serverName} on its database`);
        void rig
          .restartServer()
          .then(
            (ms) => {
              serverDowntimeMs.push(ms);
              log(`${serverName} back after ${ms} ms`);
            },
            (err: Error) => log(`server restart failed: ${err.message}`),
          )
          .finally(() => (restarting = false));
      } else if (postgresRestartAt.length && progress >= postgresRestartAt[0]! && !restarting && rig.stack) {
        postgresRestartAt.shift();
        restarting = true;
        log('restarting PostgreSQL under the running Temporal server');
        void rig.stack
          .restartPostgres()
          .then(
            (ms) => {
              postgresDowntimeMs.push(ms);
              log(`PostgreSQL back after ${ms} ms`);
            },
            (err: Error) => log(`PostgreSQL restart failed: ${err.message}`),
          )
          .finally(() => (restarting = false));
      }
    }, 250);
    timers.push(chaos);
    // Bursts of 429 now and then, on top of the sandbox's own rate limit.
    timers.push(
      setInterval(() => {
        bursts++;
        void applyFaults(rig, options.faults, options.seed + bursts * 100, wmsFaults, 5 + randomInt(0, 6)).catch(
          () => undefined,
        );
      }, options.burstEveryMs),
    );

    // The warehouse's own stock movements, which only the stock sync can bring to Fortnox: half of the articles are
    // recounted or written off now and then; the other half only ever move by orders.
    if (options.stockAdjustEveryMs !== false) {
      const adjustable = rig.articles.filter((_, i) => i % 2 === 0);
      timers.push(
        setInterval(() => {
          const articleNumber = adjustable[Math.floor(random() * adjustable.length)]!;
          const delta = (random() < 0.5 ? -1 : 1) * (1 + Math.floor(random() * 5));
          const adjusted = got
            .post(`${rig.wms.url}/_sandbox/goods-owners/${rig.goodsOwner.goodsOwnerId}/stock-adjustments`, {
              json: { articleNumber, delta, reason: delta < 0 ? 'damage' : 'count' },
            })
            .then(
              () => {
                const totals = adjustments.get(articleNumber) ?? { net: 0, gross: 0 };
                adjustments.set(articleNumber, { net: totals.net + delta, gross: totals.gross + Math.abs(delta) });
                adjustmentCount++;
              },
              (err: Error) => log(`stock adjustment failed: ${err.message}`),
            )
            .finally(() => adjusting.delete(adjusted));
          adjusting.add(adjusted);
        }, options.stockAdjustEveryMs),
      );
    }

    await seeding;
    // Settled: every order handled on the floor, every sent order invoiced, no order workflow running, chaos spent.
    const deadline = started + options.timeoutMs;
    let settled = false;
    while (Date.now() < deadline) {
      await sleep(1000);
      if (
        killAt.length ||
        restartAt.length ||
        postgresRestartAt.length ||
        listenerKillAt.length ||
        dropAt.length ||
        restarting
      ) {
        // Chaos not spent yet because progress stalled near the end: spend it now.
        if (done() >= options.orders * 0.9) {
          killAt.fill(0);
          restartAt.fill(0);
          postgresRestartAt.fill(0);
          listenerKillAt.fill(0);
          dropAt.fill(0);
        }
        continue;
      }
      const wmsOrders = [...rig.goodsOwner.orders.values()];
      const sentWithoutInvoice = wmsOrders.filter(
        (o) =>
          o.statusNumber >= 450 &&
          o.statusNumber < 1000 &&
          ![...rig.fortnoxTenant.invoices.values()].some((i) => String(i.OrderReference) === o.orderNumber),
      ).length;
      const openNotCancelled = wmsOrders.filter(
        (o) => o.statusNumber < 450 && !cancelledInFortnox.has(o.orderNumber),
      ).length;
      const openCancelled = wmsOrders.filter(
        (o) => o.statusNumber === 200 && cancelledInFortnox.has(o.orderNumber),
      ).length;
      if (sentWithoutInvoice || openNotCancelled || openCancelled || !floor.idle()) continue;
      const running = await rig.client.workflow
        .count('WorkflowType = "orderWorkflow" AND ExecutionStatus = "Running"')
        .catch(() => ({ count: -1 }));
      if (running.count === 0) {
        settled = true;
        break;
      }
    }
    for (const t of timers) clearInterval(t);
    floor.stop();
    await profile?.stop();
    await clearFaults(rig);
    // Quiet now (once the last adjustment has landed): the stock sync's next run must leave Fortnox equal to the warehouse.
    await Promise.all(adjusting);
    const stockSync =
      withStock && settled ? await awaitStockSyncAfter(rig, new Date(), deadline + 5 * 60_000, log) : undefined;
    const fortnoxCalls = await got(`${rig.fortnox.url}/_sandbox/tenants/${rig.fortnoxTenant.tenantId}/calls`).json<{
      rateLimited: number;
      faultsInjected: Record<string, number>;
    }>();
    // Every 429 is counted; the injected bursts are counted as faults too: the rest came from the rate limit itself.
    const rateLimitedByLimit = fortnoxCalls.rateLimited - (fortnoxCalls.faultsInjected.rateLimitBurst ?? 0);
    const webhooksPerReceiver = rig.balancer ? [...rig.balancer.connections.values()] : [];
    if (stack && rateLimitedByLimit > 0)
      stackViolations.push(
        `${rateLimitedByLimit} answers of 429 from Fortnox's rate limit with ${stack.workers} worker processes`,
      );
    if (stack && webhooksPerReceiver.some((n) => n === 0))
      stackViolations.push(`a webhook receiver took no webhook: ${webhooksPerReceiver.join(', ')}`);
    const invariants = checkInvariants(
      rig,
      seeded,
      floor.records,
      cancelledInFortnox,
      withStock ? adjustments : undefined,
    );
    if (!settled) invariants.examples.unshift(...(await unsettledReasons(rig, floor, cancelledInFortnox)));
    invariants.examples.push(...stackViolations);
    // With events, every order workflow was started by the listener: none waited for the safety-net order sync.
    const byEvents = listener ? await ordersNotStartedByEvents(rig) : undefined;
    if (byEvents?.notByEvents.length)
      invariants.examples.push(
        ...byEvents.notByEvents.slice(0, 10).map((o) => `order not started by a Fortnox event: ${o}`),
      );
    const profileReport = await profile?.check(context, settled);
    if (profileReport) invariants.examples.push(...profileReport.examples);
    return {
      webhooks,
      reconciliationInterval: rig.tenant.settings.reconciliationInterval,
      invariants,
      violations:
        violations(invariants) +
        (settled ? 0 : 1) +
        (stockSync && !stockSync.afterQuiet ? 1 : 0) +
        (profileReport?.violations ?? 0) +
        stackViolations.length +
        (byEvents?.notByEvents.length ?? 0),
      kills: supervisor.kills,
      workerExits: supervisor.exits,
      serverRestarts: serverDowntimeMs.length,
      serverDowntimeMs,
      stack: stack && {
        workers: stack.workers,
        receivers: stack.receivers,
        postgresDowntimeMs,
        webhooksPerReceiver,
      },
      faults: {
        fortnox: fortnoxCalls.faultsInjected,
        wms: wmsFaults,
        bursts429: bursts,
        rateLimited429: fortnoxCalls.rateLimited,
        rateLimitedByLimit,
      },
      fortnoxChanges: changes,
      floorCancelled: [...floor.records.values()].filter((r) => r.cancelledByFloor).length,
      stockAdjustments: adjustmentCount,
      stockSyncRuns: stockSync?.runs ?? 0,
      stockSyncAfterQuiet: withStock ? (stockSync?.afterQuiet ?? false) : null,
      settled,
      durationMs: Date.now() - started,
      profile: profileReport,
      events:
        listener && byEvents
          ? {
              kills: listener.kills,
              drops: listener.drops,
              starts: listener.starts(),
              orders: byEvents.total,
              startedByEvents: byEvents.total - byEvents.notByEvents.length,
            }
          : undefined,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    floor?.stop();
    await profile?.stop();
    supervisor.stop();
    await listener?.stop();
    await rig.close();
  }
}

/**
 * Waits for a stock sync run that started after `quietAt` to complete (the schedule runs every interval; a run that
 * started earlier may still be retrying).
 */
async function awaitStockSyncAfter(rig: Rig, quietAt: Date, deadline: number, log: (line: string) => void) {
  const completed = 'WorkflowType = "syncStockWorkflow" AND ExecutionStatus = "Completed"';
  let afterQuiet = false;
  while (Date.now() < deadline && !afterQuiet) {
    const after = await rig.client.workflow
      .count(`${completed} AND StartTime > "${quietAt.toISOString()}"`)
      .catch(() => ({ count: 0 }));
    afterQuiet = after.count > 0;
    if (!afterQuiet) await sleep(1000);
  }
  const durations: number[] = [];
  for await (const run of rig.client.workflow.list({ query: completed })) {
    if (run.closeTime) durations.push(run.closeTime.getTime() - run.startTime.getTime());
  }
  durations.sort((a, b) => a - b);
  const seconds = (ms = 0) => `${(ms / 1000).toFixed(1)} s`;
  log(
    `${afterQuiet ? 'a stock sync completed after the soak went quiet' : 'no stock sync completed after the soak went quiet'}; ` +
      `${durations.length} stock sync runs, median ${seconds(durations[Math.floor(durations.length / 2)])}, longest ${seconds(durations.at(-1))}`,
  );
  return { afterQuiet, runs: durations.length };
}

/** Why the soak did not settle: what the floor and the WMS still hold, and what each running workflow waits on. */
async function unsettledReasons(rig: Rig, floor: Floor, cancelledInFortnox: Set<string>): Promise<string[]> {
  const reasons: string[] = [];
  const invoiced = new Set([...rig.fortnoxTenant.invoices.values()].map((i) => String(i.OrderReference)));
  for (const o of rig.goodsOwner.orders.values()) {
    if (o.statusNumber >= 450 && o.statusNumber < 1000 && !invoiced.has(o.orderNumber))
      reasons.push(`WMS order ${o.orderNumber}: sent, no invoice`);
    if (o.statusNumber < 450 && !cancelledInFortnox.has(o.orderNumber))
      reasons.push(`WMS order ${o.orderNumber}: open at status ${o.statusNumber}`);
  }
  if (!floor.idle()) reasons.push('the floor still has orders in hand');
  const running = rig.client.workflow.list({ query: 'ExecutionStatus = "Running"' });
  for await (const run of running) {
    if (reasons.length >= 15) break;
    let text = `still running: ${run.type} ${run.workflowId}`;
    try {
      const d = await rig.client.workflow.getHandle(run.workflowId, run.runId).describe();
      const pending = d.raw.pendingActivities
        ?.map((a) => `${a.activityType?.name} attempt ${a.attempt} ` + `(${a.lastFailure?.message ?? 'no failure'})`)
        .join('; ');
      if (pending) text += `, pending: ${pending}`;
      if (run.type === orderWorkflow.name) {
        const status = await rig.client.workflow.getHandle(run.workflowId).query(orderStatusQuery);
        text += `, stage ${status.stage}${status.attention ? ` (${status.attention})` : ''}`;
      }
    } catch (err) {
      text += ` (${err instanceof Error ? err.message : String(err)})`;
    }
    reasons.push(text);
  }
  return reasons;
}
