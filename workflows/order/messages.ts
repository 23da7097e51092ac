// What clients of the order workflow import: its signal and query definitions, its input, result and status types.
// No activity proxies and no workflow code, so the webhook receiver, the CLI and activities can import it without
// pulling in the workflow (as temporalio/samples-typescript's safe-message-handlers keeps its definitions apart).
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BackorderRow, DeliveredRow, WmsOrderDraft } from '../../domain/order';
import type { OrderWorkflowSettings } from '../../domain/order-settings';

/**
 * The order workflow's type, for processes and modules that must not load workflow code: the webhook receiver's
 * visibility queries (`WorkflowType="orderWorkflow"`), and activities, which start it as `OrderWorkflow` by this name
 * (importing the function would make activities → workflow code → activity types a circle). It is the name of the
 * function `orderWorkflow`, whose type is `OrderWorkflow` (both tested).
 */
export const ORDER_WORKFLOW_TYPE = 'orderWorkflow';

/** The order workflow's signature: what a typed start (`client.workflow.start<OrderWorkflow>`) checks its args against. */
export type OrderWorkflow = (input: OrderWorkflowInput) => Promise<OrderResult>;

/** The order changed in Fortnox (sent by the order sync, or by a Fortnox push subscriber). */
export const fortnoxChangedSignal = defineSignal('fortnoxChanged');

export interface WmsEvent {
  webhookEventId: string;
  orderId: number;
  statusNumber?: number;
  timestamp?: string;
}
/** The WMS reported an event for this order (sent by the webhook receiver). */
export const wmsEventSignal = defineSignal<[WmsEvent]>('wmsEvent');
/** An operator asks the workflow to re-read both sides now, e.g. after fixing stock for a needs-attention order. */
export const resyncSignal = defineSignal<[{ reason?: string }?]>('resync');

export const orderStatusQuery = defineQuery<OrderStatus>('status');

// ---- State ----------------------------------------------------------------------------------------------------

export type OrderStage =
  | 'starting'
  | 'awaiting-warehouse'
  | 'in-warehouse'
  | 'reporting'
  | 'needs-attention'
  | 'completed'
  | 'cancelled'
  | 'skipped'
  | 'closed-in-fortnox';

export interface ActionLogEntry {
  at: string;
  action: string;
  detail?: string;
}

export type { OrderWorkflowSettings } from '../../domain/order-settings';

export interface OrderWorkflowInput {
  tenantId: string;
  documentNumber: string;
  settings: OrderWorkflowSettings;
  /** Carried over by continue-as-new. */
  carried?: CarriedState;
}

export interface CarriedState {
  stage: OrderStage;
  wmsOrderId: number | null;
  wmsStatus: number | null;
  syncedDraft: WmsOrderDraft | null;
  actions: ActionLogEntry[];
  rejectedChanges: string[];
  attention: string | null;
  seenWebhookEvents: string[];
  pendingFortnoxChange: boolean;
  pendingWmsCheck: boolean;
  /**
   * An operator's resync not yet acted on. Carried, so a resync that lands while the run continues as new is not lost
   * (absent in states carried by runs from before it was: read as false).
   */
  resyncRequested?: boolean;
}

export interface OrderStatus extends CarriedState {
  tenantId: string;
  documentNumber: string;
  /** True while the workflow is acting (an activity in flight); false when it is waiting. */
  busy: boolean;
  result: OrderResult | null;
}

export interface OrderResult {
  outcome:
    | 'invoiced'
    | 'already-invoiced'
    | 'invoiced-by-hand'
    | 'cancelled'
    | 'skipped'
    | 'closed-in-fortnox'
    | 'reporting-off';
  invoiceNumber?: string;
  delivered?: DeliveredRow[];
  backorder?: BackorderRow[];
  rejectedChanges: string[];
  detail?: string;
}
