// Every name the integration gives a Temporal task queue, workflow id or schedule id, built in one place. Pure (no I/O,
// no Temporal), so workflow code, activities, clients, scripts and tests build them the same way. These names are
// durable state like workflow and signal names: running workflows, their schedules and the webhook receiver find each
// other by them, so a change here must keep the old names findable.

// ---- Task queues ------------------------------------------------------------------------------------------------

/** The main task queue (workflows and non-Fortnox activities) when TASK_QUEUE is not set. */
export const DEFAULT_TASK_QUEUE = 'wms-fortnox';

/** A tenant's Fortnox task queue: every Fortnox call of a tenant goes through it, rate-limited on the server. */
export const fortnoxTaskQueue = (tenantId: string) => `fortnox:${tenantId}`;

// ---- Workflow ids -----------------------------------------------------------------------------------------------

/** One order workflow per Fortnox order: `order:<tenant>:<DocumentNumber>`. */
export const orderWorkflowId = (tenantId: string, documentNumber: string) => `order:${tenantId}:${documentNumber}`;

/** The order number in an order workflow id (the part after the last colon). */
export const documentNumberOfOrderWorkflowId = (workflowId: string) =>
  workflowId.slice(workflowId.lastIndexOf(':') + 1);

/** The scheduled runs of each tenant's syncs (the schedule appends its own timestamp to these). */
export const syncOrdersWorkflowId = (tenantId: string) => `sync-orders:${tenantId}`;
export const pollWmsStatusWorkflowId = (tenantId: string) => `poll-wms-status:${tenantId}`;
export const syncArticlesWorkflowId = (tenantId: string) => `sync-articles:${tenantId}`;
export const syncSuppliersWorkflowId = (tenantId: string) => `sync-suppliers:${tenantId}`;
export const syncStockWorkflowId = (tenantId: string) => `sync-stock:${tenantId}`;
export const syncPurchaseOrdersWorkflowId = (tenantId: string) => `sync-purchase-orders:${tenantId}`;
export const billingCloseWorkflowId = (tenantId: string) => `billing-close:${tenantId}`;

/**
 * The workflow id of a period's export, `billing:<tenant>:<YYYY-MM>`: the scheduled period close and an operator's
 * export of the same month share it, so the two can never run at once.
 */
export const billingExportWorkflowId = (tenantId: string, period: string) => `billing:${tenantId}:${period}`;
/** A dry run of a period's export: its own id each time (`nonce`), so it never joins or blocks the export itself. */
export const billingExportDryRunWorkflowId = (tenantId: string, period: string, nonce: string) =>
  `${billingExportWorkflowId(tenantId, period)}:dry-run:${nonce}`;

/** An operator's backfill of the orders changed since a date: one per tenant and date, so a repeat finds the first. */
export const backfillWorkflowId = (tenantId: string, since: string) => `backfill:${tenantId}:${since}`;
/** A backfill's preview: its own id each time (`nonce`), so it never joins (or blocks) the backfill itself. */
export const backfillPreviewWorkflowId = (tenantId: string, since: string, nonce: string) =>
  `${backfillWorkflowId(tenantId, since)}:preview:${nonce}`;

/** An operator's stock report: its own id each time (`nonce`); reports only read, so any number may run. */
export const stockReportWorkflowId = (tenantId: string, nonce: string) => `stock-report:${tenantId}:${nonce}`;

// ---- Schedule ids -----------------------------------------------------------------------------------------------

/** The order sync's schedule; its previous result is the next run's cursor. */
export const ordersScheduleId = (tenantId: string) => `orders:${tenantId}`;
export const wmsStatusScheduleId = (tenantId: string) => `wms-status:${tenantId}`;
export const articlesScheduleId = (tenantId: string) => `articles:${tenantId}`;
export const suppliersScheduleId = (tenantId: string) => `suppliers:${tenantId}`;
export const stockLevelsScheduleId = (tenantId: string) => `stock-levels:${tenantId}`;
export const purchaseOrdersScheduleId = (tenantId: string) => `purchase-orders:${tenantId}`;
/** The monthly billing period close (a schedule id: it does not clash with the `billing:<tenant>:<period>` workflow ids). */
export const billingScheduleId = (tenantId: string) => `billing:${tenantId}`;

/** The tenant a schedule belongs to: every schedule id above ends in `:<tenant>`. */
export const tenantOfScheduleId = (scheduleId: string) => scheduleId.slice(scheduleId.lastIndexOf(':') + 1);

// ---- Failure types ----------------------------------------------------------------------------------------------
// The ApplicationFailure types activities throw and the order workflow branches on. They live here, not beside the
// WMS client's errors, because workflow code may not import activity modules.

/** The warehouse has started on the order: it may not be changed or cancelled any more. */
export const WMS_ORDER_STARTED_FAILURE_TYPE = 'WmsOrderStarted';
/** The order was cancelled in the WMS (on the floor): it may not be changed any more. */
export const WMS_ORDER_CANCELLED_FAILURE_TYPE = 'WmsOrderCancelled';
