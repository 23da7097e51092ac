// The purchase-order sync, run per tenant by a Temporal Schedule: with Fortnox Lager, Fortnox purchase orders → WMS
// purchase orders, and what the warehouse received → released inbound deliveries in Fortnox. Without Lager it ends at once.
// It walks both a page at a time, one activity per page with ids and counts in and out, and continues as new with its
// cursor after a bounded number of pages, so neither a payload nor the history grows with the number of purchase orders.
import { continueAsNew, log, patched, workflowInfo } from '@temporalio/workflow';
import { fortnoxActivities, profiles } from './proxies';
import type { PurchaseOrderSyncResult, ReceiptPageResult, ToWmsPageResult } from '../activities/purchase-orders';

/** Where a run stopped: the Fortnox id the next to-WMS page starts after, or the WMS id the next receipt page starts at. */
export type PurchaseOrderSyncCursor = { phase: 'to-wms'; after: string | null } | { phase: 'receipts'; from: number };

export interface PurchaseOrderPaging {
  /** Fortnox purchase orders per to-WMS page. */
  toWms: number;
  /** WMS purchase orders per receipt page (each up to ~5 Fortnox calls). */
  receipts: number;
  /** Page activities per run before it continues as new (about 7 history events each). */
  pagesPerRun: number;
}

export const DEFAULT_PURCHASE_ORDER_PAGING: PurchaseOrderPaging = { toWms: 200, receipts: 100, pagesPerRun: 50 };

export interface SyncPurchaseOrdersInput {
  tenantId: string;
  /** Smaller pages or fewer per run than the defaults (tests; an operator nursing a slow account). */
  paging?: Partial<PurchaseOrderPaging>;
  /** Set only by continue-as-new: where the previous run stopped and what it had done so far. */
  resume?: { cursor: PurchaseOrderSyncCursor; totals: Required<PurchaseOrderSyncResult> };
}

/** Runs scheduled before the sync was paged made one long activity; their histories replay through the old branch. */
export const PAGED_PURCHASE_ORDER_SYNC = 'purchase-order-sync-paged';

export async function syncPurchaseOrdersWorkflow(input: SyncPurchaseOrdersInput): Promise<PurchaseOrderSyncResult> {
  const { tenantId } = input;
  if (!patched(PAGED_PURCHASE_ORDER_SYNC)) {
    const whole = fortnoxActivities(tenantId, profiles.fortnoxWholePurchaseOrderSync);
    const result = await whole.syncPurchaseOrders(tenantId);
    log.info('purchase-order sync done', { tenantId, ...result });
    return result;
  }

  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxPurchaseOrderPage);
  const totals: Required<PurchaseOrderSyncResult> = input.resume?.totals ?? {
    lager: true,
    listed: 0,
    createdInWms: 0,
    updatedInWms: 0,
    receiptsPosted: 0,
    receiptsChecked: 0,
  };
  if (!input.resume && !(await fortnox.lagerActive(tenantId))) return { ...totals, lager: false };

  const paging = { ...DEFAULT_PURCHASE_ORDER_PAGING, ...input.paging };
  let cursor: PurchaseOrderSyncCursor | null = input.resume?.cursor ?? { phase: 'to-wms', after: null };
  for (let pages = 0; cursor !== null; pages++) {
    if (pages >= paging.pagesPerRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof syncPurchaseOrdersWorkflow>({
        tenantId,
        paging: input.paging,
        resume: { cursor, totals },
      });
    }
    if (cursor.phase === 'to-wms') {
      const page: ToWmsPageResult = await fortnox.syncPurchaseOrdersToWms(tenantId, {
        after: cursor.after,
        limit: paging.toWms,
      });
      totals.listed += page.listed;
      totals.createdInWms += page.createdInWms;
      totals.updatedInWms += page.updatedInWms;
      cursor = page.next !== null ? { phase: 'to-wms', after: page.next } : { phase: 'receipts', from: 0 };
    } else {
      const page: ReceiptPageResult = await fortnox.postPurchaseOrderReceipts(tenantId, {
        from: cursor.from,
        limit: paging.receipts,
      });
      totals.receiptsPosted += page.receiptsPosted;
      totals.receiptsChecked += page.checked;
      cursor = page.next !== null ? { phase: 'receipts', from: page.next } : null;
    }
  }
  log.info('purchase-order sync done', { tenantId, ...totals });
  return totals;
}
