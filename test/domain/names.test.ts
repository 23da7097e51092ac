// The names in domain/names.ts are durable: running workflows, schedules, the webhook receiver and recorded histories
// find each other by them. This pins each format, so changing one is a deliberate act with a migration, not a refactor.
import { describe, expect, it } from 'vitest';
import * as names from '../../domain/names';
import { ORDER_WORKFLOW_TYPE, type OrderWorkflow } from '../../workflows/order/messages';
import { orderWorkflow } from '../../workflows/order/workflow';

describe('names of task queues, workflows and schedules', () => {
  it('keep their formats', () => {
    expect(names.DEFAULT_TASK_QUEUE).toBe('wms-fortnox');
    expect(names.fortnoxTaskQueue('acme')).toBe('fortnox:acme');
    expect(names.orderWorkflowId('acme', '1042')).toBe('order:acme:1042');
    expect(names.syncOrdersWorkflowId('acme')).toBe('sync-orders:acme');
    expect(names.pollWmsStatusWorkflowId('acme')).toBe('poll-wms-status:acme');
    expect(names.syncArticlesWorkflowId('acme')).toBe('sync-articles:acme');
    expect(names.syncSuppliersWorkflowId('acme')).toBe('sync-suppliers:acme');
    expect(names.syncStockWorkflowId('acme')).toBe('sync-stock:acme');
    expect(names.syncPurchaseOrdersWorkflowId('acme')).toBe('sync-purchase-orders:acme');
    expect(names.billingCloseWorkflowId('acme')).toBe('billing-close:acme');
    expect(names.billingExportWorkflowId('acme', '2025-01')).toBe('billing:acme:2025-01');
    expect(names.billingExportDryRunWorkflowId('acme', '2025-01', 'x1')).toBe('billing:acme:2025-01:dry-run:x1');
    expect(names.backfillWorkflowId('acme', '2025-01-01')).toBe('backfill:acme:2025-01-01');
    expect(names.backfillPreviewWorkflowId('acme', '2025-01-01', 'x1')).toBe('backfill:acme:2025-01-01:preview:x1');
    expect(names.ordersScheduleId('acme')).toBe('orders:acme');
    expect(names.wmsStatusScheduleId('acme')).toBe('wms-status:acme');
    expect(names.articlesScheduleId('acme')).toBe('articles:acme');
    expect(names.suppliersScheduleId('acme')).toBe('suppliers:acme');
    expect(names.stockLevelsScheduleId('acme')).toBe('stock-levels:acme');
    expect(names.purchaseOrdersScheduleId('acme')).toBe('purchase-orders:acme');
    expect(names.billingScheduleId('acme')).toBe('billing:acme');
    expect(names.stockReportWorkflowId('acme', 'k1')).toBe('stock-report:acme:k1');
    expect(names.WMS_ORDER_STARTED_FAILURE_TYPE).toBe('WmsOrderStarted');
    expect(names.WMS_ORDER_CANCELLED_FAILURE_TYPE).toBe('WmsOrderCancelled');
  });

  it('name the order workflow type as the worker registers it: the function name, of the type activities start it as', () => {
    expect(orderWorkflow.name).toBe(ORDER_WORKFLOW_TYPE);
    // Activities start the workflow by name as OrderWorkflow: the function must keep that signature (checked by tsc).
    const typed: OrderWorkflow = orderWorkflow;
    expect(typed).toBe(orderWorkflow);
  });

  it('read the tenant and the order back out of the ids', () => {
    expect(names.tenantOfScheduleId(names.stockLevelsScheduleId('acme'))).toBe('acme');
    expect(names.documentNumberOfOrderWorkflowId(names.orderWorkflowId('acme', '1042'))).toBe('1042');
  });
});
