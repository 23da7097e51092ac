// Goods the warehouse received against Fortnox purchase orders → released inbound deliveries in Fortnox, one WMS page at
// a time. What is settled is kept where Ongoing keeps it: a line's reportedNumberOfItems, set once Fortnox has the
// receipt, so `onlyPurchaseOrdersWithOrderLinesToReport` lists only what is still open and a rerun skips the rest.
import { Context } from '@temporalio/activity';
import { unreportedLines } from '../domain/purchase-orders';
import { receiptDocumentId, unpostedReceipts, type PendingMovement } from '../domain/stock';
import { patiently } from './articles';
import type { FortnoxClient } from './fortnox/client';
import { FortnoxError } from './fortnox/errors';
import type { PurchaseOrder } from './fortnox/schemas';
import { formatStockholmTimestamp } from './fortnox/stockholm-time';
import type { WmsClient } from './wms/client';
import type { WmsPurchaseOrder } from './wms/schemas';

/** Our inbound document type for goods received against a purchase order (not one of Fortnox's reserved names). */
export const RECEIPT_DOCUMENT_TYPE = 'WMS-RECEIPT';

/** Says "alive, and here is where I am" between calls; a no-op outside an activity. */
export type Beat = () => void;

export interface ReceiptPageInput {
  /** The WMS purchaseOrderId to start at (Ongoing's purchaseOrderIdFrom is inclusive). */
  from: number;
  limit: number;
}

export interface ReceiptCounts {
  /** WMS purchase orders with lines not yet reported that were looked at. */
  checked: number;
  receiptsPosted: number;
  /** Lines whose reportedNumberOfItems was set. */
  linesReported: number;
  /** Not a Fortnox purchase order to receive against (unknown to Fortnox, voided or drop-shipped). */
  skipped: number;
}

export interface ReceiptPageResult extends ReceiptCounts {
  /** Where the next page starts; null when this was the last. */
  next: number | null;
  /** How many attempts resumed from a heartbeat. */
  resumed: number;
}

/** What the receipt page heartbeats, and is handed back on a retry. */
export interface ReceiptProgress {
  from: number;
  counts: ReceiptCounts;
  resumed: number;
}

const isNotFound = (err: unknown) => err instanceof FortnoxError && err.status === 404;
const today = () => formatStockholmTimestamp(new Date()).slice(0, 10);

/** Purchase orders that go to the warehouse, by id: not voided, not drop-shipped. One call: the list has no paging. */
export async function warehousePurchaseOrders(fortnox: FortnoxClient): Promise<PurchaseOrder[]> {
  const orders = await patiently(() => fortnox.listPurchaseOrders({ state: 'ALL' }));
  return orders.filter((po) => !po.voided && (po.purchaseType ?? 'WAREHOUSE').toUpperCase() !== 'DROPSHIP');
}

/**
 * The receipts already posted for a purchase order: our documents 1, 2, ... until the first that does not exist.
 * A document saved but not released (a crash in between) is released here: it was meant, and only then counts.
 */
async function postedReceipts(fortnox: FortnoxClient, purchaseOrderId: string, beat: Beat) {
  const rows: Array<{ itemId: string; quantity: number }> = [];
  for (let sequence = 1; sequence <= 999; sequence++) {
    const documentId = receiptDocumentId(purchaseOrderId, sequence);
    beat();
    try {
      const doc = await patiently(() => fortnox.getInboundDocument(RECEIPT_DOCUMENT_TYPE, documentId));
      if (doc.voided) continue;
      if (!doc.warehouseReady)
        await patiently(() => fortnox.releaseDocument('inbound', RECEIPT_DOCUMENT_TYPE, documentId));
      rows.push(...doc.rows.map((row) => ({ itemId: row.itemId, quantity: row.quantity })));
    } catch (err) {
      if (isNotFound(err)) return { rows, nextSequence: sequence };
      throw err;
    }
  }
  throw new Error(`Purchase order ${purchaseOrderId} has 999 receipt documents: no sequence left`);
}

function receivedLines(wmsOrder: WmsPurchaseOrder) {
  return wmsOrder.purchaseOrderLines.map((l) => ({
    articleNumber: l.article.articleNumber,
    receivedNumberOfItems: l.receivedNumberOfItems,
  }));
}

/**
 * Received in the WMS but not yet posted to Fortnox, per article, over every purchase order with lines not yet
 * reported. The stock sync counts these as on their way to Fortnox, so a receipt is never posted by both syncs.
 * Settled purchase orders are not listed, so this reads Fortnox only for the few still open.
 */
export async function pendingPurchaseReceipts(
  fortnox: FortnoxClient,
  wms: WmsClient,
  beat: Beat,
): Promise<PendingMovement[]> {
  const pending: PendingMovement[] = [];
  let fortnoxOrders: Map<string, PurchaseOrder> | undefined;
  for await (const page of wms.purchaseOrderPages({ onlyPurchaseOrdersWithOrderLinesToReport: true })) {
    beat();
    for (const wmsOrder of page) {
      if (unreportedLines(wmsOrder.purchaseOrderLines).length === 0) continue;
      fortnoxOrders ??= new Map((await warehousePurchaseOrders(fortnox)).map((po) => [po.id, po]));
      const number = wmsOrder.purchaseOrderInfo.purchaseOrderNumber;
      if (!fortnoxOrders.has(number)) continue;
      const posted = await postedReceipts(fortnox, number, beat);
      pending.push(...unpostedReceipts(receivedLines(wmsOrder), posted.rows));
    }
  }
  return pending;
}

/**
 * Posts what the WMS received and Fortnox does not have yet as the purchase order's next inbound delivery, releases it,
 * then marks each line reported at the received number read here (exactly what Fortnox now has: goods arriving
 * meanwhile stay unreported for the next run). A retry after a crash finds the posted document and only marks.
 */
async function settleReceipts(
  fortnox: FortnoxClient,
  wms: WmsClient,
  po: PurchaseOrder,
  wmsOrder: WmsPurchaseOrder,
  beat: Beat,
) {
  const posted = await postedReceipts(fortnox, po.id, beat);
  const pending = unpostedReceipts(receivedLines(wmsOrder), posted.rows);
  let receiptsPosted = 0;
  if (pending.length > 0) {
    const documentId = receiptDocumentId(po.id, posted.nextSequence);
    const priceOf = (itemId: string) => po.rows.find((row) => row.itemId === itemId)?.price ?? undefined;
    const pointOf = (itemId: string) =>
      po.rows.find((row) => row.itemId === itemId)?.stockPointCode || po.stockPointCode || undefined;
    await patiently(() =>
      fortnox.putInboundDocument(RECEIPT_DOCUMENT_TYPE, documentId, {
        date: today(),
        note: `Received in the warehouse against purchase order ${po.id}`,
        rows: pending.map((m) => ({
          itemId: m.articleNumber,
          quantity: m.quantity,
          ...(priceOf(m.articleNumber) !== undefined ? { directCost: priceOf(m.articleNumber) } : {}),
          ...(pointOf(m.articleNumber) ? { stockPointCode: pointOf(m.articleNumber) } : {}),
        })),
      }),
    );
    beat();
    await patiently(() => fortnox.releaseDocument('inbound', RECEIPT_DOCUMENT_TYPE, documentId));
    receiptsPosted = 1;
  }
  const lines = unreportedLines(wmsOrder.purchaseOrderLines);
  for (const line of lines) {
    beat();
    await wms.setPurchaseOrderLineReported(
      wmsOrder.purchaseOrderInfo.purchaseOrderId,
      line.id,
      line.receivedNumberOfItems,
    );
  }
  return { receiptsPosted, linesReported: lines.length };
}

/**
 * One page of WMS purchase orders with lines not yet reported: each receipt posted to Fortnox once, then marked. It
 * heartbeats its position after every purchase order; `previous` (the last heartbeat of a failed attempt) resumes there.
 */
export async function postReceiptsPage(
  fortnox: FortnoxClient,
  wms: WmsClient,
  input: ReceiptPageInput,
  previous?: ReceiptProgress,
): Promise<ReceiptPageResult> {
  const context = Context.current();
  const progress: ReceiptProgress = previous
    ? { ...previous, counts: { ...previous.counts }, resumed: previous.resumed + 1 }
    : { from: input.from, counts: { checked: 0, receiptsPosted: 0, linesReported: 0, skipped: 0 }, resumed: 0 };
  const beat = () => context.heartbeat(progress);
  beat();
  const page = await wms.listPurchaseOrders({
    onlyPurchaseOrdersWithOrderLinesToReport: true,
    purchaseOrderIdFrom: progress.from,
    maxPurchaseOrdersToGet: input.limit,
  });
  page.sort((a, b) => a.purchaseOrderInfo.purchaseOrderId - b.purchaseOrderInfo.purchaseOrderId);
  let fortnoxOrders: Map<string, PurchaseOrder> | undefined;
  for (const wmsOrder of page) {
    if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
    if (unreportedLines(wmsOrder.purchaseOrderLines).length > 0) {
      progress.counts.checked++;
      fortnoxOrders ??= new Map((await warehousePurchaseOrders(fortnox)).map((po) => [po.id, po]));
      const po = fortnoxOrders.get(wmsOrder.purchaseOrderInfo.purchaseOrderNumber);
      if (po) {
        const settled = await settleReceipts(fortnox, wms, po, wmsOrder, beat);
        progress.counts.receiptsPosted += settled.receiptsPosted;
        progress.counts.linesReported += settled.linesReported;
      } else {
        progress.counts.skipped++;
      }
    }
    progress.from = wmsOrder.purchaseOrderInfo.purchaseOrderId + 1;
    beat();
  }
  return { ...progress.counts, next: page.length < input.limit ? null : progress.from, resumed: progress.resumed };
}
