// `npm run chaos -- --long`: months of an order's life compressed into minutes, as a profile of the chaos soak. The
// reconciliation timer wakes every 2 s instead of every 4 h and a run continues as new after 150 events instead of
// 2000, so an order that waits (held on the floor, or in needs-attention for an operator) lives through many wakes and
// continue-as-news; an operator resyncs waiting orders at random moments and aims some resyncs at a continue-as-new;
// Fortnox turns slow past the old activity timeouts and the worker is killed mid-report; "sync now" comes from the CLI's
// trigger and the console. Afterwards the histories are read back: no workflow spins, none outgrows its limit, and the
// worker goes back to idle.
import { setTimeout as sleep } from 'node:timers/promises';
import { orderRows, seededRandom } from '../bench/lifecycle';
import { cpuShare } from './cpu';
import { readHistories, type HistoryLimits, type HistoryReport } from './histories';
import { Operator, type OperatorPlan } from './operator';
import type { ProfileReport, SoakContext, SoakProfile } from './profile';
import { ScheduleTriggers } from './schedule-triggers';
import { SlowFortnox, type SlowFortnoxPlan } from './slow-fortnox';
import { StockShortage } from './stock-shortage';

export interface LongPlan extends HistoryLimits {
  /** The tenant's reconciliationInterval: the wake of every waiting order. */
  reconciliationInterval: string;
  /** Share of orders with a row Fortnox Lager has no stock for: they wait in needs-attention for the operator. */
  shortStockRate: number;
  /** Share of orders the floor leaves waiting (awaiting-warehouse through many wakes), and for how long. */
  holdRate: number;
  holdMs: [number, number];
  operator: Omit<OperatorPlan, 'orderHistoryLimit'>;
  slow: SlowFortnoxPlan;
  /** Mean gap between two "sync now" of the order schedule (alternately the CLI's trigger and the console's). */
  triggerEveryMs: number;
  /**
   * How long the worker's CPU is sampled once all is quiet, and the most of one core it may use then (with the
   * tenant's schedules paused); whether it is also sampled, for the record, with the schedules still running.
   */
  idleWindowMs: number;
  idleMaxShare: number;
  idleWithSchedules: boolean;
}

/**
 * Why these limits. Margin: the order workflow checks its history once per loop iteration (and between report rounds),
 * so a run ends at most one iteration past the limit, and never waits on a timer once its history is full (checked
 * apart from the margin). The heaviest iteration (a resync: fetch the order, update the WMS, read it, one report round
 * of read, delivery state, write and invoice, mark reported, read the settings, continue as new) runs 9 activities of
 * 6 events each with their workflow tasks, about 55 events; signals landing meanwhile (webhooks, "Fortnox changed",
 * resyncs) add about 4 each and a task a killed worker or restarting server left 3: 100 covers it with five signals and
 * three lost tasks. (CI saw one run end 66 events past the limit, over the 60 this used to allow.) Storms: a healthy order completes at most one
 * workflow task per reconciliation wake, per activity and per signal; the busiest (held on the floor: a wake and a WMS
 * read every 2 s) does about 60 a minute. A spinning workflow completes them as fast as the server hands them out,
 * hundreds to thousands a minute: 120 (twice the busiest healthy order) tells the two apart. Idle: with every order
 * closed, the worker only runs the schedules' short syncs every 10 s; a busy loop anywhere shows as a whole core.
 */
export function longPlan(short: boolean): LongPlan {
  return {
    reconciliationInterval: '2s',
    orderHistoryLimit: short ? 80 : 150,
    margin: 100,
    maxWorkflowTasksPerMinute: 120,
    shortStockRate: short ? 0.3 : 0.15,
    holdRate: short ? 0.2 : 0.15,
    holdMs: short ? [20_000, 45_000] : [60_000, 240_000],
    operator: short
      ? { fixAfterMs: [25_000, 40_000], resyncEveryMs: [8_000, 15_000], aimedPerOrder: 2 }
      : { fixAfterMs: [90_000, 360_000], resyncEveryMs: [20_000, 60_000], aimedPerOrder: 3 },
    slow: short
      ? {
          latencyMs: [7_000, 9_500],
          fastForMs: [15_000, 20_000],
          slowForMs: [50_000, 50_000],
          spells: 1,
          kills: 2,
          killsPerSpell: 2,
          killAfterMs: [1_000, 6_500],
        }
      : {
          latencyMs: [7_000, 9_500],
          fastForMs: [60_000, 150_000],
          slowForMs: [60_000, 90_000],
          spells: 8,
          kills: 6,
          killsPerSpell: 1,
          killAfterMs: [1_000, 6_500],
        },
    triggerEveryMs: short ? 10_000 : 20_000,
    idleWindowMs: short ? 10_000 : 15_000,
    idleMaxShare: 0.05,
    idleWithSchedules: !short,
  };
}

export function longProfile(plan: LongPlan, seed: number): SoakProfile {
  // A random source of its own, so the soak's own draws (and so its orders) stay those of the same seed without it.
  const random = seededRandom(seed + 16);
  const between = ([min, max]: [number, number]) => min + random() * (max - min);
  let shortage: StockShortage | undefined;
  let operator: Operator | undefined;
  let slow: SlowFortnox | undefined;
  let triggers: ScheduleTriggers | undefined;
  let held = 0;
  let stopping: Promise<void> | undefined;

  return {
    lager: true,
    settings: {
      reconciliationInterval: plan.reconciliationInterval,
      orderHistoryLimit: plan.orderHistoryLimit,
      processes: { stockLevels: false },
    },
    rows(soakRandom, rig) {
      const rows = orderRows(soakRandom, rig.articles);
      if (shortage && random() < plan.shortStockRate) rows.push(shortage.shortRow(1 + Math.floor(random() * 3)));
      return rows;
    },
    holdMs() {
      if (random() >= plan.holdRate) return undefined;
      held++;
      return between(plan.holdMs);
    },
    async start(context) {
      const own = { ...context, random };
      shortage = new StockShortage(context.rig);
      operator = new Operator(own, shortage, { ...plan.operator, orderHistoryLimit: plan.orderHistoryLimit });
      slow = new SlowFortnox(own, plan.slow);
      triggers = new ScheduleTriggers(context.rig, random, context.log);
      operator.start();
      slow.start();
      await triggers.start(plan.triggerEveryMs);
    },
    stop() {
      stopping ??= (async () => {
        await Promise.all([operator?.stop(), slow?.stop(), triggers?.stop()]);
      })();
      return stopping;
    },
    async check(context, settled) {
      const history = await readHistories(context.rig.client, plan);
      const schedule = await triggers!.outcome().catch(() => undefined);
      const worker = settled ? context.supervisor.current : undefined;
      const idleWithSchedules =
        worker && plan.idleWithSchedules ? await cpuShare(worker.pid, plan.idleWindowMs) : undefined;
      const idle = worker ? await quietCpu(context, worker.pid, plan.idleWindowMs) : undefined;
      return report({
        plan,
        history,
        idle,
        idleWithSchedules,
        schedule,
        held,
        shortage: shortage!,
        operator: operator!,
        slow: slow!,
        triggers: triggers!,
        context,
      });
    },
  };
}

/**
 * The worker's CPU with nothing to do: the tenant's schedules paused (as `npm run cli -- pause` does; their 10 s
 * interval here is compressed time too) and every run they started finished, so only a leak or a spin would show.
 */
async function quietCpu(context: SoakContext, pid: number, windowMs: number): Promise<number | undefined> {
  const { client, tenant } = context.rig;
  for await (const schedule of client.schedule.list()) {
    if (schedule.scheduleId.endsWith(`:${tenant.id}`))
      await client.schedule.getHandle(schedule.scheduleId).pause('chaos: measuring the idle worker');
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await client.workflow.count('ExecutionStatus = "Running"')).count > 0)
    await sleep(500);
  return cpuShare(pid, windowMs);
}

interface Observed {
  plan: LongPlan;
  history: HistoryReport;
  idle: number | undefined;
  idleWithSchedules: number | undefined;
  schedule: { taken: number; skippedOverlap: number } | undefined;
  held: number;
  shortage: StockShortage;
  operator: Operator;
  slow: SlowFortnox;
  triggers: ScheduleTriggers;
  context: SoakContext;
}

function report(o: Observed): ProfileReport {
  const { plan, history: h, operator, slow, triggers } = o;
  const examples = [...h.examples];
  const idleFailed = o.idle === undefined || o.idle > plan.idleMaxShare;
  if (idleFailed)
    examples.push(
      o.idle === undefined
        ? 'worker CPU not measured (not settled, or no worker running)'
        : `worker CPU ${(o.idle * 100).toFixed(1)} % of one core once quiet (limit ${plan.idleMaxShare * 100} %)`,
    );
  const notActedOn = h.resyncsCarried - h.resyncsCarriedActedOn;
  const stages = Object.entries(h.continuedAsNewByStage)
    .sort(([, a], [, b]) => b - a)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const ran = slow.kills.map((k) => k.reportRanMs / 1000);
  const causes = Object.entries(h.workflowTasksFailedByCause)
    .map(([cause, n]) => `${cause} ${n}`)
    .join(', ');
  const percent = (share: number | undefined) =>
    share === undefined ? 'not measured' : `${(share * 100).toFixed(1)} %`;
  const rows: [string, string | number][] = [
    [
      'long life, compressed',
      `reconciliation every ${plan.reconciliationInterval}, history limit ${plan.orderHistoryLimit} events; ` +
        `${o.shortage.refills} orders short of stock in Fortnox Lager fixed by the operator, ${o.held} held on the floor`,
    ],
    [
      'order runs',
      `${h.orderRuns} runs of ${h.orderWorkflows} orders (most runs of one order: ${h.mostRunsOfOneOrder})`,
    ],
    ['continue-as-new', `${h.continuedAsNew} (by the stage carried: ${stages || '-'})`],
    [
      'needs-attention',
      `${h.needsAttentionEntries} entries by ${h.ordersInNeedsAttention} orders; ` +
        `most continue-as-new of one order while waiting for the operator: ${h.mostContinuedAsNewInNeedsAttention}`,
    ],
    [
      'operator resyncs',
      `${operator.resyncs.sent} sent (${operator.resyncs.aimedPairs} pairs aimed at a continue-as-new, ` +
        `${operator.resyncs.afterFix} after a fix; ${operator.resyncs.failed} failed), ${h.resyncSignals} received`,
    ],
    [
      'resyncs carried across continue-as-new',
      `${h.resyncsCarried} (acted on first by the next run: ${h.resyncsCarriedActedOn})`,
    ],
    [
      'Fortnox slow spells',
      `${slow.spells} (${plan.slow.latencyMs.map((ms) => ms / 1000).join('-')} s per order call; ` +
        `${(slow.slowMs / 1000).toFixed(0)} s slow in all)`,
    ],
    [
      'worker kills during reports',
      slow.kills.length
        ? `${slow.kills.length} (the report had run ${Math.min(...ran).toFixed(1)}-` +
          `${Math.max(...ran).toFixed(1)} s)`
        : '0',
    ],
    [
      'sync now (order schedule)',
      `${triggers.counts.cli} via the CLI's trigger, ${triggers.counts.console} via the console ` +
        `(${triggers.counts.failed} failed); schedule runs ${o.schedule ? `${o.schedule.taken} taken, ${o.schedule.skippedOverlap} skipped as overlapping` : '?'}`,
    ],
    [
      'largest order history',
      `${h.largestOrderHistory.events} events (limit + margin ${plan.orderHistoryLimit + plan.margin}); ` +
        `runs over: ${h.overLimit}; past the limit it wrote ${h.largestOrderHistory.pastLimit}`,
    ],
    ['largest other history', `${h.largestOtherHistory.events} events (${h.largestOtherHistory.type})`],
    [
      'workflow tasks per workflow per minute',
      `max ${h.busiestMinute.workflowTasks} (${h.busiestMinute.workflowId}); ` +
        `storms over ${plan.maxWorkflowTasksPerMinute}: ${h.storms}`,
    ],
    [
      'workflow tasks failed or timed out',
      `${h.workflowTasksFailed} failed (${causes || '-'}), ${h.workflowTasksTimedOut} timed out (tasks a killed worker or the restarting server left)`,
    ],
    [
      'worker CPU once quiet',
      `${percent(o.idle)} of one core over ${plan.idleWindowMs / 1000} s with the schedules paused ` +
        `(limit ${plan.idleMaxShare * 100} %)${o.idleWithSchedules === undefined ? '' : `; ${percent(o.idleWithSchedules)} with them running every 10 s`}`,
    ],
  ];
  return {
    rows,
    violations: h.overLimit + h.storms + notActedOn + (idleFailed ? 1 : 0),
    summary: {
      reconciliationInterval: plan.reconciliationInterval,
      orderHistoryLimit: plan.orderHistoryLimit,
      margin: plan.margin,
      orderRuns: h.orderRuns,
      orderWorkflows: h.orderWorkflows,
      continuedAsNew: h.continuedAsNew,
      continuedAsNewByStage: h.continuedAsNewByStage,
      needsAttentionEntries: h.needsAttentionEntries,
      ordersInNeedsAttention: h.ordersInNeedsAttention,
      mostContinuedAsNewInNeedsAttention: h.mostContinuedAsNewInNeedsAttention,
      resyncs: {
        ...operator.resyncs,
        received: h.resyncSignals,
        carried: h.resyncsCarried,
        carriedActedOn: h.resyncsCarriedActedOn,
      },
      fixes: operator.fixes,
      slowSpells: slow.spells,
      killsDuringReports: slow.kills.length,
      triggers: triggers.counts,
      schedule: o.schedule,
      largestOrderHistory: h.largestOrderHistory.events,
      overLimit: h.overLimit,
      largestOtherHistory: h.largestOtherHistory,
      busiestMinute: h.busiestMinute,
      storms: h.storms,
      workflowTasksFailed: h.workflowTasksFailedByCause,
      workflowTasksTimedOut: h.workflowTasksTimedOut,
      idleCpuShare: o.idle ?? null,
      idleCpuShareWithSchedules: o.idleWithSchedules ?? null,
    },
    examples,
  };
}
