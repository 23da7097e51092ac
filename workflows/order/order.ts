// The order, as a small state machine: what the workflow does on each event. The loop that feeds it events is in
// ./workflow.ts; the messages it answers are in ./messages.ts.
import {
  log,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
  ActivityFailure,
} from '@temporalio/workflow';
import {
  backorder,
  checkSelection,
  describeChanges,
  orderSummary,
  readyToReport,
  toWmsOrder,
  warehouseHasStarted,
  sameForWms,
  WmsStatus,
  type DeliveredDiscrepancy,
  type OrderSnapshot,
} from '../../domain/order';
import { WMS_ORDER_CANCELLED_FAILURE_TYPE, WMS_ORDER_STARTED_FAILURE_TYPE } from '../../domain/names';
import { orderWorkflowSettings, type OrderWorkflowSettings } from '../../domain/order-settings';
import { failureMessage, failureType } from '../failures';
import { fortnoxActivities, mainActivities, profiles } from '../proxies';
import { fulfilmentSteps, reportFulfilmentStepwise } from './fulfilment';
import { NeedsAttentionAttr, OrderStageAttr, WmsOrderIdAttr } from '../search-attributes';
import type { CarriedState, OrderResult, OrderStage, OrderStatus, OrderWorkflowInput, WmsEvent } from './messages';

const MAX_ACTIONS = 100;
const MAX_SEEN_EVENTS = 200;

// ---- Activities -----------------------------------------------------------------------------------------------

/** The WMS calls, on the main task queue; the Fortnox ones go through the tenant's own queue (fortnoxSteps). */
const wms = mainActivities(profiles.wmsCall);

/** The tenant's settings as the worker holds them now: a few tries, then the order keeps the settings it has. */
const settingsNow = mainActivities(profiles.settingsRead).getTenantSettings;

function fortnoxSteps(tenantId: string) {
  return {
    ...fulfilmentSteps(tenantId),
    // The whole report in one activity, for runs that scheduled it before the report became single requests.
    reportFulfilment: fortnoxActivities(tenantId, profiles.fortnoxWholeReport).reportFulfilment,
  };
}

export class Order {
  state: CarriedState;
  result: OrderResult | null = null;
  busy = false;
  private readonly fortnox;

  constructor(private readonly input: OrderWorkflowInput) {
    this.fortnox = fortnoxSteps(input.tenantId);
    this.state = input.carried ?? {
      stage: 'starting',
      wmsOrderId: null,
      wmsStatus: null,
      syncedDraft: null,
      actions: [],
      rejectedChanges: [],
      attention: null,
      seenWebhookEvents: [],
      pendingFortnoxChange: false,
      pendingWmsCheck: false,
      resyncRequested: false,
    };
    this.publishSummary();
  }

  /**
   * The Web UI's "current details" of the run: order, customer and stage at a glance, updated as the order moves.
   * Kept in the worker's memory and answered through Temporal's metadata query: it writes nothing to the history.
   */
  private publishSummary(): void {
    setCurrentDetails(
      orderSummary({
        documentNumber: this.input.documentNumber,
        customerNumber: this.state.syncedDraft?.consignee.customerNumber,
        stage: this.state.stage,
        attention: this.state.attention,
      }),
    );
  }

  get done(): boolean {
    return this.result !== null;
  }

  status(): OrderStatus {
    return {
      ...this.state,
      tenantId: this.input.tenantId,
      documentNumber: this.input.documentNumber,
      busy: this.busy,
      result: this.result,
    };
  }

  record(action: string, detail?: string): void {
    this.state.actions.push({ at: new Date().toISOString(), action, detail });
    if (this.state.actions.length > MAX_ACTIONS) this.state.actions.splice(0, this.state.actions.length - MAX_ACTIONS);
    log.info(action, { tenant: this.input.tenantId, order: this.input.documentNumber, detail });
  }

  setStage(stage: OrderStage, attention: string | null = null): void {
    this.state.stage = stage;
    this.state.attention = attention;
    upsertSearchAttributes([
      { key: OrderStageAttr, value: stage },
      { key: NeedsAttentionAttr, value: attention !== null || this.state.rejectedChanges.length > 0 },
      ...(this.state.wmsOrderId !== null ? [{ key: WmsOrderIdAttr, value: String(this.state.wmsOrderId) }] : []),
    ]);
    this.publishSummary();
  }

  needsAttention(reason: string): void {
    this.record('needs attention', reason);
    this.setStage('needs-attention', reason);
  }

  finish(result: OrderResult, stage: OrderStage): void {
    this.result = result;
    this.record(`finished: ${result.outcome}`, result.detail);
    this.setStage(stage);
  }

  onWmsEvent(event: WmsEvent): void {
    if (this.state.seenWebhookEvents.includes(event.webhookEventId)) return; // a replayed webhook changes nothing
    this.state.seenWebhookEvents.push(event.webhookEventId);
    if (this.state.seenWebhookEvents.length > MAX_SEEN_EVENTS) this.state.seenWebhookEvents.shift();
    this.record('WMS event received', `status ${event.statusNumber ?? '?'} (event ${event.webhookEventId})`);
    this.state.pendingWmsCheck = true;
  }

  /** First run: read Fortnox, find or create the WMS order. */
  async start(): Promise<void> {
    // The read below is fresher than the "Fortnox changed" signal that started this workflow: don't read twice.
    // (Patched: runs recorded before this read the order again right after starting.)
    if (patched('start-read-covers-start-signal')) this.state.pendingFortnoxChange = false;
    const order = await this.fortnox.fetchFortnoxOrder(this.input.tenantId, this.input.documentNumber);
    if (!order)
      return this.finish(
        { outcome: 'closed-in-fortnox', rejectedChanges: [], detail: 'the order does not exist in Fortnox' },
        'closed-in-fortnox',
      );
    const existing = await wms.findWmsOrder(this.input.tenantId, this.input.documentNumber);
    if (existing) {
      // An earlier run already created it (the order was synced before, or a response was lost): carry on from
      // what the WMS says rather than creating it twice.
      this.state.wmsOrderId = existing.orderId;
      this.state.wmsStatus = existing.statusNumber;
      this.record('found the order in the WMS', `order ${existing.orderId}, status ${existing.statusNumber}`);
      if (existing.statusNumber === WmsStatus.Cancelled) return this.onWmsCancelled();
      if (warehouseHasStarted(existing.statusNumber)) {
        this.state.syncedDraft = toWmsOrder(order, this.input.settings.notifications);
        this.setStage('in-warehouse');
      } else {
        this.setStage('awaiting-warehouse');
        await this.applyFortnoxOrder(order);
      }
      this.state.pendingWmsCheck = true;
      return;
    }
    const verdict = checkSelection(order, this.input.settings.orderSelection);
    if (!verdict.selected) {
      return this.finish({ outcome: 'skipped', rejectedChanges: [], detail: verdict.reason }, 'skipped');
    }
    await this.createInWms(order);
  }

  private async createInWms(order: OrderSnapshot): Promise<void> {
    const draft = toWmsOrder(order, this.input.settings.notifications);
    let orderId: number;
    try {
      ({ orderId } = await wms.upsertWmsOrder(this.input.tenantId, draft));
    } catch (err) {
      // Our first PUT was stored but its answer was lost, and the floor cancelled the order before the retry: the
      // warehouse's cancellation stands, as if its webhook had come first. (Patched: this used to need attention.)
      if (failureType(err) === WMS_ORDER_CANCELLED_FAILURE_TYPE && patched('created-then-cancelled-before-retry')) {
        const existing = await wms.findWmsOrder(this.input.tenantId, this.input.documentNumber);
        if (!existing) throw err;
        this.state.wmsOrderId = existing.orderId;
        this.state.wmsStatus = existing.statusNumber;
        this.record('found the order in the WMS, already cancelled', `order ${existing.orderId}`);
        return this.onWmsCancelled();
      }
      // Our first PUT was stored but its answer was lost, and the warehouse started on the order before the retry:
      // the order is there, so carry on with it. (Patched: runs from before this went to needs-attention here.)
      if (failureType(err) !== WMS_ORDER_STARTED_FAILURE_TYPE || !patched('created-then-started-before-retry'))
        throw err;
      const existing = await wms.findWmsOrder(this.input.tenantId, this.input.documentNumber);
      if (!existing) throw err;
      this.state.wmsOrderId = existing.orderId;
      this.state.wmsStatus = existing.statusNumber;
      this.state.syncedDraft = draft;
      this.state.pendingWmsCheck = true;
      this.record(
        'found the order in the WMS, already started',
        `order ${existing.orderId}, status ${existing.statusNumber}`,
      );
      this.setStage('in-warehouse');
      return;
    }
    this.state.wmsOrderId = orderId;
    this.state.wmsStatus = WmsStatus.Open;
    this.state.syncedDraft = draft;
    this.record('created in the WMS', `order ${orderId}, ${draft.orderLines.length} lines`);
    this.setStage('awaiting-warehouse');
  }

  /** Fortnox changed: re-read it and decide what, if anything, may reach the WMS. */
  async onFortnoxChanged(): Promise<void> {
    const order = await this.fortnox.fetchFortnoxOrder(this.input.tenantId, this.input.documentNumber);
    if (!order) return this.closeInFortnox('deleted in Fortnox');
    await this.applyFortnoxOrder(order);
  }

  private async applyFortnoxOrder(order: OrderSnapshot): Promise<void> {
    if (order.Cancelled) return this.closeInFortnox('cancelled in Fortnox');
    if (order.InvoiceReference) {
      return this.closeInFortnox(
        `invoiced by hand in Fortnox (invoice ${order.InvoiceReference})`,
        order.InvoiceReference,
      );
    }
    const draft = toWmsOrder(order, this.input.settings.notifications);
    if (this.state.syncedDraft && sameForWms(this.state.syncedDraft, draft)) return;
    const changes = this.state.syncedDraft ? describeChanges(this.state.syncedDraft, draft) : ['order details'];
    if (this.state.wmsStatus !== null && warehouseHasStarted(this.state.wmsStatus)) return this.rejectChange(changes);
    try {
      await wms.upsertWmsOrder(this.input.tenantId, draft);
    } catch (err) {
      if (failureType(err) === WMS_ORDER_STARTED_FAILURE_TYPE) return this.rejectChange(changes);
      // Cancelled on the floor before its webhook reached us: the same end as the webhook's.
      if (failureType(err) === WMS_ORDER_CANCELLED_FAILURE_TYPE && patched('created-then-cancelled-before-retry'))
        return this.onWmsCancelled();
      throw err;
    }
    this.state.syncedDraft = draft;
    this.record('updated in the WMS', changes.join('; '));
  }

  private rejectChange(changes: string[]): void {
    const text = `change after the warehouse started: ${changes.join('; ')}`;
    this.state.rejectedChanges.push(text);
    this.record('change rejected: the warehouse has started', changes.join('; '));
    this.setStage(this.state.stage, this.state.attention);
  }

  private async closeInFortnox(reason: string, invoiceNumber?: string): Promise<void> {
    if (
      this.state.wmsOrderId !== null &&
      !(this.state.wmsStatus !== null && warehouseHasStarted(this.state.wmsStatus))
    ) {
      try {
        await wms.cancelWmsOrder(this.input.tenantId, this.state.wmsOrderId);
        this.record('cancelled in the WMS', reason);
      } catch (err) {
        if (failureType(err) !== WMS_ORDER_STARTED_FAILURE_TYPE) throw err;
        this.state.wmsStatus = WmsStatus.Picked;
      }
    }
    if (this.state.wmsStatus !== null && warehouseHasStarted(this.state.wmsStatus)) {
      // The goods may already be on their way: keep the workflow alive so the shipment is still accounted for.
      this.rejectChange([reason]);
      return;
    }
    const outcome = invoiceNumber ? 'invoiced-by-hand' : 'closed-in-fortnox';
    this.finish(
      { outcome, invoiceNumber, rejectedChanges: this.state.rejectedChanges, detail: reason },
      invoiceNumber ? 'completed' : 'cancelled',
    );
  }

  private onWmsCancelled(): void {
    this.finish(
      {
        outcome: 'cancelled',
        rejectedChanges: this.state.rejectedChanges,
        detail: 'cancelled in the WMS; the Fortnox order is left as it is',
      },
      'cancelled',
    );
    upsertSearchAttributes([{ key: NeedsAttentionAttr, value: true }]);
  }

  /** Ask the WMS where the order is, and report to Fortnox once it has reached the configured trigger. */
  async checkWms(): Promise<void> {
    if (this.state.wmsOrderId === null) return;
    const view = await wms.getWmsOrder(this.input.tenantId, this.state.wmsOrderId);
    if (view.statusNumber !== this.state.wmsStatus) {
      this.record('WMS status', `${this.state.wmsStatus ?? '-'} → ${view.statusNumber}`);
      this.state.wmsStatus = view.statusNumber;
    }
    if (view.statusNumber === WmsStatus.Cancelled) return this.onWmsCancelled();
    if (warehouseHasStarted(view.statusNumber) && this.state.stage === 'awaiting-warehouse')
      this.setStage('in-warehouse');
    if (!readyToReport(view.statusNumber, this.input.settings.reportOn)) return;
    if (!this.input.settings.fulfilmentReporting) {
      return this.finish(
        {
          outcome: 'reporting-off',
          rejectedChanges: this.state.rejectedChanges,
          detail: 'fulfilment reporting to Fortnox is switched off for this tenant',
        },
        'completed',
      );
    }
    this.setStage('reporting');
    // One Fortnox request per activity, so the queue's limit holds across workers. (Patched: runs recorded before
    // reported in one activity of up to five requests.)
    const report = patched('fortnox-one-request-per-activity')
      ? await reportFulfilmentStepwise(
          this.fortnox,
          this.input.tenantId,
          this.input.documentNumber,
          view.pickedLines,
          () => historyTooLong(this.input),
        )
      : await this.fortnox.reportFulfilment(this.input.tenantId, this.input.documentNumber, view.pickedLines);
    switch (report.outcome) {
      case 'put-off':
        this.record('report put off', report.reason);
        if (report.historyFull) {
          // The loop continues as new at once (the history is full), and the next run reports again first thing.
          this.state.pendingWmsCheck = true;
          return this.setStage('in-warehouse');
        }
        // Back to waiting, flagged: the reconciliation check reports again; a WMS event or a resync does so sooner.
        return this.setStage('in-warehouse', report.reason);
      case 'rows-unmatched':
        return this.needsAttention(`reporting the shipment failed: ${report.reason}`);
      case 'order-missing':
        return this.needsAttention('the order no longer exists in Fortnox, but the warehouse sent it');
      case 'discrepancies':
        return this.needsAttention(describeDiscrepancies(report.discrepancies));
      case 'nothing-delivered':
        return this.needsAttention('the warehouse sent the order without picking anything; nothing to invoice');
      case 'already-invoiced':
      case 'invoiced':
        await wms.markWmsOrderReported(this.input.tenantId, this.state.wmsOrderId);
        this.record(
          report.outcome === 'invoiced' ? 'invoice created' : 'invoice already existed',
          `invoice ${report.invoiceNumber}`,
        );
        return this.finish(
          {
            outcome: report.outcome,
            invoiceNumber: report.invoiceNumber,
            delivered: report.rows,
            backorder: backorder(report.rows),
            rejectedChanges: this.state.rejectedChanges,
            detail: backorder(report.rows).length ? 'partial shipment: the rest is a backorder' : undefined,
          },
          'completed',
        );
    }
  }

  /** Runs one step, turning a business failure into a needs-attention stage instead of a failed workflow. */
  async guarded(step: string, fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      this.needsAttention(`${step} failed: ${failureMessage(err)}`);
    } finally {
      this.busy = false;
    }
  }
}

function describeDiscrepancies(discrepancies: DeliveredDiscrepancy[]): string {
  const rows = discrepancies.map(
    (d) => `row ${d.position} ${d.ArticleNumber}: sent ${d.sent}, Fortnox stored ${d.stored}`,
  );
  return (
    `Fortnox did not store the delivered quantities (Fortnox Lager saves 0 for articles without stock): ${rows.join('; ')}. ` +
    'Not invoiced. Fix the stock in Fortnox, then resync the order.'
  );
}

/** The run's history has reached the order's limit (or Temporal suggests continuing as new): time for a fresh run. */
export function historyTooLong(input: OrderWorkflowInput): boolean {
  return (
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.settings.orderHistoryLimit ?? 2000)
  );
}

/** The order's settings from the tenant's current ones, or the ones it has when the worker cannot say (e.g. no such tenant). */
export async function currentSettings(input: OrderWorkflowInput): Promise<OrderWorkflowSettings> {
  try {
    return orderWorkflowSettings(await settingsNow(input.tenantId));
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn("kept the order's settings at continue-as-new: the tenant's could not be read", {
      tenant: input.tenantId,
      error: failureMessage(err),
    });
    return input.settings;
  }
}
