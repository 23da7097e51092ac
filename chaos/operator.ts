// An operator at the Web UI: filters orders on OrderStage = "needs-attention", resyncs them now and then at random
// moments (as `npm run cli -- order resync` does: the resync signal), aims some resyncs at the iteration that will
// continue as new, and after a while fixes the cause (books the missing stock in to Fortnox Lager) and resyncs.
import { setTimeout as sleep } from 'node:timers/promises';
import { orderWorkflowId } from '../domain/names';
import { resyncSignal } from '../workflows/order/messages';
import type { SoakContext } from './profile';
import type { StockShortage } from './stock-shortage';

export interface OperatorPlan {
  /** How long an order waits in needs-attention before the operator fixes its cause. */
  fixAfterMs: [number, number];
  /** Gap between plain resyncs of one waiting order. */
  resyncEveryMs: [number, number];
  /** Resync pairs aimed at a continue-as-new, at most this many per order (before its fix). */
  aimedPerOrder: number;
  /** The tenant's orderHistoryLimit, to know when a run is about to continue as new. */
  orderHistoryLimit: number;
}

interface Waiting {
  fixAt: number;
  fixed: boolean;
  nextResyncAt: number;
  aimed: number;
  aiming: boolean;
}

export class Operator {
  readonly resyncs = { sent: 0, failed: 0, aimedPairs: 0, afterFix: 0 };
  fixes = 0;
  readonly waitingSeen = new Set<string>();
  private readonly waiting = new Map<string, Waiting>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly acting = new Set<Promise<unknown>>();

  constructor(
    private readonly context: SoakContext,
    private readonly shortage: StockShortage,
    private readonly plan: OperatorPlan,
  ) {}

  start(): void {
    this.loop = this.run().catch((err: Error) => this.context.log(`operator stopped: ${err.message}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all(this.acting);
  }

  private between([min, max]: [number, number]): number {
    return min + this.context.random() * (max - min);
  }

  private async run(): Promise<void> {
    const { rig } = this.context;
    while (!this.stopped) {
      await sleep(1000);
      const now = new Set<string>();
      try {
        const list = rig.client.workflow.list({
          query: 'WorkflowType = "orderWorkflow" AND ExecutionStatus = "Running" AND OrderStage = "needs-attention"',
        });
        for await (const run of list) {
          const documentNumber = run.workflowId.slice(run.workflowId.lastIndexOf(':') + 1);
          now.add(documentNumber);
        }
      } catch {
        continue; // the server restarts: look again shortly
      }
      // An order leaves needs-attention for a while at each resync (it reports again); the operator remembers it, and
      // its fix comes when planned however often it left and came back.
      for (const documentNumber of now) this.look(documentNumber);
    }
  }

  private look(documentNumber: string): void {
    const at = Date.now();
    let order = this.waiting.get(documentNumber);
    if (!order) {
      this.waitingSeen.add(documentNumber);
      // An order waiting for another reason than short stock is "fixed" (resynced) at once.
      order = {
        fixAt: at + (this.shortage.isShort(documentNumber) ? this.between(this.plan.fixAfterMs) : 0),
        fixed: false,
        nextResyncAt: at + this.between(this.plan.resyncEveryMs),
        aimed: 0,
        aiming: false,
      };
      this.waiting.set(documentNumber, order);
    }
    if (!order.fixed && at >= order.fixAt) {
      order.fixed = true;
      const booked = this.shortage.refill(documentNumber);
      if (booked.length) this.fixes++;
      this.context.log(
        `operator: order ${documentNumber} ${booked.length ? `stock booked in for ${booked.join(', ')}` : 'has no short article'}; resync`,
      );
      order.nextResyncAt = at + this.between(this.plan.resyncEveryMs);
      this.act(
        this.resync(documentNumber, 'chaos operator: stock booked in to Fortnox').then(
          (ok) => ok && this.resyncs.afterFix++,
        ),
      );
      return;
    }
    if (at >= order.nextResyncAt) {
      order.nextResyncAt = at + this.between(this.plan.resyncEveryMs);
      if (order.fixed) this.resyncs.afterFix++;
      this.act(
        this.resync(
          documentNumber,
          order.fixed ? 'chaos operator: again, after the fix' : 'chaos operator: at a random moment',
        ),
      );
      return;
    }
    if (!order.fixed && !order.aiming && order.aimed < this.plan.aimedPerOrder) {
      order.aiming = true;
      this.act(this.aimAtContinueAsNew(documentNumber, order).finally(() => (order.aiming = false)));
    }
  }

  private act(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.acting.delete(tracked));
    this.acting.add(tracked);
  }

  private async resync(documentNumber: string, reason: string): Promise<boolean> {
    const { rig } = this.context;
    try {
      await rig.client.workflow
        .getHandle(orderWorkflowId(rig.tenant.id, documentNumber))
        .signal(resyncSignal, { reason });
      this.resyncs.sent++;
      return true;
    } catch {
      this.resyncs.failed++;
      return false;
    }
  }

  /**
   * When the run is a report's worth of events short of its limit: one resync, and a second once the workflow acts
   * on the first (an activity is pending). The second lands in the iteration that ends past the limit, so the run
   * continues as new with that resync not yet acted on: the case that was lost before the resync was carried.
   */
  private async aimAtContinueAsNew(documentNumber: string, order: Waiting): Promise<void> {
    const { rig } = this.context;
    const handle = rig.client.workflow.getHandle(orderWorkflowId(rig.tenant.id, documentNumber));
    const before = await handle.describe();
    const length = before.historyLength;
    // About 25 events from a resync to the end of its iteration: a signal, four workflow tasks, three activities, stages.
    if (
      length < this.plan.orderHistoryLimit - 25 ||
      length > this.plan.orderHistoryLimit - 5 ||
      order.aimed >= this.plan.aimedPerOrder
    )
      return;
    order.aimed++;
    if (!(await this.resync(documentNumber, 'chaos operator: resync near the history limit'))) return;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const now = await handle.describe();
      if (now.runId !== before.runId) return;
      if (now.raw.pendingActivities?.length) break;
      await sleep(100);
    }
    if (await this.resync(documentNumber, 'chaos operator: resync while it acts on the last one'))
      this.resyncs.aimedPairs++;
  }
}
