// Every workflow the worker runs. The worker bundles this file; clients import the definitions from here.
export { orderWorkflow } from './order/workflow';
export { syncOrdersWorkflow } from './sync-orders';
export { billingExportWorkflow } from './billing-export';
export { billingPeriodCloseWorkflow } from './billing-period-close';
export { syncArticlesWorkflow } from './sync-articles';
export { syncSuppliersWorkflow } from './sync-suppliers';
export { syncStockWorkflow } from './sync-stock';
export { syncPurchaseOrdersWorkflow } from './sync-purchase-orders';
export { pollWmsStatusWorkflow } from './poll-wms-status';
export { stockReportWorkflow } from './stock-report';
export { fortnoxEventOffsetsWorkflow } from './fortnox-event-offsets';
