// A Fortnox that turns slow now and then: for a while every read and write of an order takes 7-9.5 s (each call under
// the product's 10 s request timeout; a report of four such calls past the 30 s its activity once had), and while it
// is slow the worker is SIGKILLed in the middle of a running report, at a random point of one of its requests.
import { setTimeout as sleep } from 'node:timers/promises';
import proto from '@temporalio/proto';
import { applyFortnoxFaults } from './faults';
import type { SoakContext } from './profile';

/** The report's activities: one request each now (workflows/order/fulfilment.ts), the whole report in runs from before. */
const REPORT_ACTIVITIES = new Set([
  'reportFulfilment',
  'readFortnoxOrderForReport',
  'lagerActive',
  'moveFortnoxOrderToDelivery',
  'writeDeliveredQuantities',
  'createInvoiceFromOrder',
]);

export interface SlowFortnoxPlan {
  /** Latency of each order call while Fortnox is slow, drawn per slow spell. */
  latencyMs: [number, number];
  /** How long Fortnox is fast before a slow spell (the first one included), and how long a spell lasts. */
  fastForMs: [number, number];
  slowForMs: [number, number];
  /** Slow spells in all (then Fortnox stays fast). */
  spells: number;
  /** Worker kills in all, each in a slow spell while a report runs on the worker; at most this many per spell. */
  kills: number;
  killsPerSpell: number;
  /**
   * How long the report's running step has run when the worker is killed, drawn per kill. A step is one Fortnox
   * request (7-9.5 s while slow), so keep this inside that.
   */
  killAfterMs: [number, number];
}

const STARTED = proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

export class SlowFortnox {
  spells = 0;
  slowMs = 0;
  /** Kills made while a report was running on the killed worker, with how long it had run. */
  readonly kills: { reportRanMs: number; workflowId: string }[] = [];
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly context: SoakContext,
    private readonly plan: SlowFortnoxPlan,
  ) {}

  start(): void {
    this.loop = this.run().catch((err: Error) => this.context.log(`slow Fortnox stopped: ${err.message}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private between([min, max]: [number, number]): number {
    return min + this.context.random() * (max - min);
  }

  /** Sleeps up to `ms`, waking early when stopped. */
  private async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopped && Date.now() < until) await sleep(Math.min(250, until - Date.now()));
  }

  private async setLatency(latencyMs: number | undefined): Promise<void> {
    const { rig, faults, seed } = this.context;
    faults.orderCallLatencyMs = latencyMs;
    await applyFortnoxFaults(rig, faults, seed + 7000 + this.spells);
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.spells < this.plan.spells) {
      await this.pause(this.between(this.plan.fastForMs));
      if (this.stopped) break;
      this.spells++;
      const latency = Math.round(this.between(this.plan.latencyMs));
      const spell = this.between(this.plan.slowForMs);
      this.context.log(`Fortnox slow: ${latency} ms per order call for ${(spell / 1000).toFixed(0)} s`);
      const began = Date.now();
      await this.setLatency(latency);
      let killsThisSpell = 0;
      let killAfter = this.between(this.plan.killAfterMs);
      while (!this.stopped && Date.now() - began < spell) {
        if (
          this.kills.length < this.plan.kills &&
          killsThisSpell < this.plan.killsPerSpell &&
          (await this.killDuringReport(killAfter))
        ) {
          killsThisSpell++;
          killAfter = this.between(this.plan.killAfterMs);
        }
        await this.pause(500);
      }
      await this.setLatency(undefined).catch((err: Error) =>
        this.context.log(`could not end the slow spell: ${err.message}`),
      );
      this.slowMs += Date.now() - began;
    }
  }

  /**
   * Finds a report that has run on the current worker for at least `ranMs` (so it is somewhere in its slow calls) and
   * SIGKILLs the worker; false if there is none now.
   */
  private async killDuringReport(ranMs: number): Promise<boolean> {
    const { rig, supervisor } = this.context;
    const worker = supervisor.current;
    if (!worker) return false;
    const reporting = rig.client.workflow.list({
      query: 'WorkflowType = "orderWorkflow" AND ExecutionStatus = "Running" AND OrderStage = "reporting"',
    });
    for await (const run of reporting) {
      const description = await rig.client.workflow
        .getHandle(run.workflowId)
        .describe()
        .catch(() => undefined);
      const report = description?.raw.pendingActivities?.find(
        (a) =>
          REPORT_ACTIVITIES.has(a.activityType?.name ?? '') &&
          a.state === STARTED &&
          (a.lastWorkerIdentity ?? '').startsWith(`${worker.pid}@`),
      );
      const startedAt = report?.lastStartedTime
        ? Number(report.lastStartedTime.seconds) * 1000 + (report.lastStartedTime.nanos ?? 0) / 1e6
        : 0;
      if (!report || Date.now() - startedAt < ranMs) continue;
      if (supervisor.current !== worker) return false;
      this.kills.push({ reportRanMs: Date.now() - startedAt, workflowId: run.workflowId });
      this.context.log(
        `killing the worker while ${run.workflowId} reports (running ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
      );
      supervisor.kill();
      return true;
    }
    return false;
  }
}
