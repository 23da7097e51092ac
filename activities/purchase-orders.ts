// Inbound goods under Fortnox Lager, as activities: Fortnox purchase orders → WMS purchase orders, and what the
// warehouse received → released inbound deliveries in Fortnox, each a page at a time with small inputs and results
// (the workflow walks the pages). The work itself lives in purchase-orders-to-wms.ts and purchase-order-receipts.ts.
import { Context } from '@temporalio/activity';
import { patiently } from './articles';
import {
  postReceiptsPage,
  type ReceiptPageInput,
  type ReceiptPageResult,
  type ReceiptProgress,
} from './purchase-order-receipts';
import {
  purchaseOrdersToWmsPage,
  type ToWmsPageInput,
  type ToWmsPageResult,
  type ToWmsProgress,
} from './purchase-orders-to-wms';
import type { TenantRegistry } from './tenant-registry';
import { activityFortnox } from './activity-fortnox';

export { RECEIPT_DOCUMENT_TYPE } from './purchase-order-receipts';
export type { ReceiptPageInput, ReceiptPageResult, ToWmsPageInput, ToWmsPageResult };

export interface PurchaseOrderSyncResult {
  lager: boolean;
  /** Fortnox purchase orders that go to the warehouse and are not yet received in Fortnox. */
  listed: number;
  createdInWms: number;
  updatedInWms: number;
  receiptsPosted: number;
  /** WMS purchase orders with receipts not yet reported that were looked at (settled ones are not listed at all). */
  receiptsChecked?: number;
}

/** Page sizes of the one-activity form (`syncPurchaseOrders`); the workflow chooses its own. */
const PAGE = { toWms: 200, receipts: 100 };

export function createPurchaseOrderActivities(registry: TenantRegistry) {
  /** The tenant's clients for this activity: a cancelled or timed-out attempt stops its Fortnox calls. */
  const clients = (tenantId: string) => ({
    fortnox: activityFortnox(registry, tenantId),
    wms: registry.wms(tenantId),
  });

  return {
    /** Whether Fortnox Lager is on: without it Fortnox has no purchase orders to receive against. */
    async lagerActive(tenantId: string): Promise<boolean> {
      return patiently(() => registry.lagerActive(tenantId, Context.current().cancellationSignal));
    },

    /** One page of Fortnox purchase orders → the WMS (see purchaseOrdersToWmsPage). */
    async syncPurchaseOrdersToWms(tenantId: string, page: ToWmsPageInput): Promise<ToWmsPageResult> {
      const { fortnox, wms } = clients(tenantId);
      return purchaseOrdersToWmsPage(
        fortnox,
        wms,
        page,
        Context.current().info.heartbeatDetails as ToWmsProgress | undefined,
      );
    },

    /** One page of WMS receipts not yet reported → Fortnox (see postReceiptsPage). */
    async postPurchaseOrderReceipts(tenantId: string, page: ReceiptPageInput): Promise<ReceiptPageResult> {
      const { fortnox, wms } = clients(tenantId);
      return postReceiptsPage(
        fortnox,
        wms,
        page,
        Context.current().info.heartbeatDetails as ReceiptProgress | undefined,
      );
    },

    /**
     * The whole sync in one activity, page after page. Kept for runs scheduled before the sync was paged in the workflow
     * (their histories call it) and for one-off use; a retry starts over, which finds settled work settled.
     */
    async syncPurchaseOrders(tenantId: string): Promise<PurchaseOrderSyncResult> {
      const { fortnox, wms } = clients(tenantId);
      const result: Required<PurchaseOrderSyncResult> = {
        lager: true,
        listed: 0,
        createdInWms: 0,
        updatedInWms: 0,
        receiptsPosted: 0,
        receiptsChecked: 0,
      };
      if (!(await patiently(() => registry.lagerActive(tenantId, Context.current().cancellationSignal))))
        return { ...result, lager: false };
      for (let after: string | null = null, first = true; first || after !== null; first = false) {
        const page: ToWmsPageResult = await purchaseOrdersToWmsPage(fortnox, wms, { after, limit: PAGE.toWms });
        result.listed += page.listed;
        result.createdInWms += page.createdInWms;
        result.updatedInWms += page.updatedInWms;
        after = page.next;
      }
      for (let from: number | null = 0; from !== null;) {
        const page: ReceiptPageResult = await postReceiptsPage(fortnox, wms, { from, limit: PAGE.receipts });
        result.receiptsPosted += page.receiptsPosted;
        result.receiptsChecked += page.checked;
        from = page.next;
      }
      return result;
    },
  };
}
