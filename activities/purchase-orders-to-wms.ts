// Fortnox purchase orders → WMS purchase orders, one page of Fortnox ids at a time. The WMS side of a whole page is read
// in a few calls (Ongoing's purchaseOrderNumbers filter), so a purchase order already there costs no call of its own.
import { Context } from '@temporalio/activity';
import { idPage } from '../domain/purchase-orders';
import type { FortnoxClient } from './fortnox/client';
import type { PurchaseOrder } from './fortnox/schemas';
import { warehousePurchaseOrders } from './purchase-order-receipts';
import type { WmsClient } from './wms/client';
import { PURCHASE_ORDER_STATUS, type WmsPurchaseOrder } from './wms/schemas';

/** Purchase-order numbers per WMS lookup: keeps the query string well under common URL limits. */
const LOOKUP_BATCH = 100;

export interface ToWmsPageInput {
  /** The last Fortnox purchase-order id of the previous page; null: from the start. */
  after: string | null;
  limit: number;
}

export interface ToWmsCounts {
  /** Fortnox purchase orders of this page that go to the warehouse. */
  listed: number;
  createdInWms: number;
  updatedInWms: number;
}

export interface ToWmsPageResult extends ToWmsCounts {
  next: string | null;
  resumed: number;
}

/** What the page heartbeats, and is handed back on a retry. */
export interface ToWmsProgress {
  /** The last purchase order finished; null before the first. */
  done: string | null;
  counts: ToWmsCounts;
  resumed: number;
}

function wmsLines(po: PurchaseOrder) {
  return po.rows
    .filter((row) => row.isStockItem !== false && row.orderedQuantity > 0)
    .map((row, index) => ({
      rowNumber: String(row.rowNum ?? index + 1),
      articleNumber: row.itemId,
      numberOfItems: row.orderedQuantity,
    }));
}

function sameLines(wmsOrder: WmsPurchaseOrder, lines: ReturnType<typeof wmsLines>): boolean {
  if (wmsOrder.purchaseOrderLines.length !== lines.length) return false;
  return lines.every((line) =>
    wmsOrder.purchaseOrderLines.some(
      (l) =>
        l.rowNumber === line.rowNumber &&
        l.article.articleNumber === line.articleNumber &&
        l.advisedNumberOfItems === line.numberOfItems,
    ),
  );
}

async function wmsOrdersByNumber(wms: WmsClient, numbers: string[]): Promise<Map<string, WmsPurchaseOrder>> {
  const found = await wms.listPurchaseOrders({ purchaseOrderNumbers: numbers, maxPurchaseOrdersToGet: numbers.length });
  return new Map(found.map((po) => [po.purchaseOrderInfo.purchaseOrderNumber, po]));
}

/**
 * One page of Fortnox purchase orders (in id order, after `after`): each created in the WMS, or updated while the
 * WMS has not started receiving it (it refuses changes after). Purchase orders Fortnox already counts as received are
 * left out: nothing more is on its way to the warehouse. Heartbeats after each; `previous` (the last heartbeat of a failed
 * attempt) resumes there.
 */
export async function purchaseOrdersToWmsPage(
  fortnox: FortnoxClient,
  wms: WmsClient,
  input: ToWmsPageInput,
  previous?: ToWmsProgress,
): Promise<ToWmsPageResult> {
  const context = Context.current();
  const progress: ToWmsProgress = previous
    ? { ...previous, counts: { ...previous.counts }, resumed: previous.resumed + 1 }
    : { done: null, counts: { listed: 0, createdInWms: 0, updatedInWms: 0 }, resumed: 0 };
  context.heartbeat(progress);
  const open = (await warehousePurchaseOrders(fortnox)).filter(
    (po) => po.purchaseOrderState?.toUpperCase() !== 'RECEIVED',
  );
  const { page, next } = idPage(open, (po) => po.id, input.after, input.limit);
  const todo = progress.done === null ? page : page.slice(page.findIndex((po) => po.id === progress.done) + 1);
  for (let i = 0; i < todo.length; i += LOOKUP_BATCH) {
    const batch = todo.slice(i, i + LOOKUP_BATCH);
    const inWms = await wmsOrdersByNumber(
      wms,
      batch.map((po) => po.id),
    );
    for (const po of batch) {
      if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
      const lines = wmsLines(po);
      const wmsOrder = inWms.get(po.id);
      const notified = wmsOrder?.purchaseOrderInfo.purchaseOrderStatus.number === PURCHASE_ORDER_STATUS.Notified;
      if (lines.length > 0 && (!wmsOrder || (notified && !sameLines(wmsOrder, lines)))) {
        await wms.upsertPurchaseOrder({
          purchaseOrderNumber: po.id,
          goodsOwnerReference: po.id,
          ...(po.deliveryDate ? { inDate: po.deliveryDate } : {}),
          ...(po.note ? { purchaseOrderRemark: po.note } : {}),
          supplierInfo: {
            supplierNumber: po.supplierNumber,
            ...(po.supplierName ? { supplierName: po.supplierName } : {}),
          },
          purchaseOrderLines: lines,
        });
        progress.counts[wmsOrder ? 'updatedInWms' : 'createdInWms']++;
      }
      progress.counts.listed++;
      progress.done = po.id;
      context.heartbeat(progress);
    }
  }
  return { ...progress.counts, next, resumed: progress.resumed };
}
