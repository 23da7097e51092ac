// The purchase-order sync, run per tenant by a Temporal Schedule: with Fortnox Lager, Fortnox purchase orders → WMS
// purchase orders, and what the warehouse received → released inbound deliveries in Fortnox. Without Lager it ends at once.
import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PurchaseOrderSyncResult } from '../activities/purchase-orders';
import { fortnoxTaskQueue } from '../domain/order';

export interface SyncPurchaseOrdersInput {
  tenantId: string;
}

export async function syncPurchaseOrdersWorkflow({ tenantId }: SyncPurchaseOrdersInput): Promise<PurchaseOrderSyncResult> {
  const fortnox = proxyActivities<Activities>({
    taskQueue: fortnoxTaskQueue(tenantId),
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes' },
  });
  const result = await fortnox.syncPurchaseOrders(tenantId);
  log.info('purchase-order sync done', { tenantId, ...result });
  return result;
}
