// Inbound goods under Fortnox Lager: Fortnox purchase orders → WMS purchase orders, and what the warehouse received →
// released inbound deliveries in Fortnox (custom documents numbered per purchase order, so a retry never posts twice).
import { Context } from '@temporalio/activity';
import { receiptDocumentId, unpostedReceipts, type PendingMovement } from '../domain/stock';
import { patiently } from './articles';
import type { FortnoxClient } from './fortnox/client';
import { FortnoxError, toApplicationFailure as fortnoxFailure } from './fortnox/errors';
import type { PurchaseOrder } from './fortnox/schemas';
import { formatStockholmTimestamp } from './fortnox/stockholm-time';
import type { TenantRegistry } from './tenant-registry';
import type { WmsClient } from './wms/client';
import { toApplicationFailure as wmsFailure, WmsError } from './wms/errors';
import { PURCHASE_ORDER_STATUS, type WmsPurchaseOrder } from './wms/schemas';

/** Our inbound document type for goods received against a purchase order (not one of Fortnox's reserved names). */
export const RECEIPT_DOCUMENT_TYPE = 'WMS-RECEIPT';

export interface PurchaseOrderSyncResult {
  lager: boolean;
  listed: number;
  createdInWms: number;
  updatedInWms: number;
  receiptsPosted: number;
}

const isNotFound = (err: unknown) => err instanceof FortnoxError && err.status === 404;
const today = () => formatStockholmTimestamp(new Date()).slice(0, 10);

/** Lager is on when tenants-v4 says so; no warehouse licence or scope (403/404) means off. */
export async function isLagerActive(fortnox: FortnoxClient): Promise<boolean> {
  try {
    return (await patiently(() => fortnox.getWarehouseTenant())).activated;
  } catch (err) {
    if (err instanceof FortnoxError && (err.status === 403 || err.status === 404)) return false;
    throw err;
  }
}

/** Purchase orders that go to the warehouse: not voided, not drop-shipped. */
export async function warehousePurchaseOrders(fortnox: FortnoxClient): Promise<PurchaseOrder[]> {
  const orders = await patiently(() => fortnox.listPurchaseOrders({ state: 'ALL' }));
  return orders.filter((po) => !po.voided && (po.purchaseType ?? 'WAREHOUSE').toUpperCase() !== 'DROPSHIP');
}

/**
 * The receipts already posted for a purchase order: our documents 1, 2, ... until the first that does not exist.
 * A document saved but not released (a crash in between) is released here: it was meant, and only then counts.
 */
async function postedReceipts(fortnox: FortnoxClient, purchaseOrderId: string) {
  const rows: Array<{ itemId: string; quantity: number }> = [];
  for (let sequence = 1; sequence <= 999; sequence++) {
    const documentId = receiptDocumentId(purchaseOrderId, sequence);
    try {
      const doc = await patiently(() => fortnox.getInboundDocument(RECEIPT_DOCUMENT_TYPE, documentId));
      if (doc.voided) continue;
      if (!doc.warehouseReady) await patiently(() => fortnox.releaseDocument('inbound', RECEIPT_DOCUMENT_TYPE, documentId));
      rows.push(...doc.rows.map((row) => ({ itemId: row.itemId, quantity: row.quantity })));
    } catch (err) {
      if (isNotFound(err)) return { rows, nextSequence: sequence };
      throw err;
    }
  }
  throw new Error(`Purchase order ${purchaseOrderId} has 999 receipt documents: no sequence left`);
}

function receivedLines(wmsOrder: WmsPurchaseOrder) {
  return wmsOrder.purchaseOrderLines.map((l) => ({ articleNumber: l.article.articleNumber, receivedNumberOfItems: l.receivedNumberOfItems }));
}

/**
 * Received in the WMS but not yet posted to Fortnox, per article, over every purchase order. The stock sync counts
 * these as on their way to Fortnox, so a receipt is never posted by both syncs.
 */
export async function pendingPurchaseReceipts(fortnox: FortnoxClient, wms: WmsClient): Promise<PendingMovement[]> {
  const pending: PendingMovement[] = [];
  for (const po of await warehousePurchaseOrders(fortnox)) {
    const wmsOrder = await wms.getPurchaseOrderByNumber(po.id);
    if (!wmsOrder || wmsOrder.purchaseOrderLines.every((l) => l.receivedNumberOfItems === 0)) continue;
    const posted = await postedReceipts(fortnox, po.id);
    pending.push(...unpostedReceipts(receivedLines(wmsOrder), posted.rows));
  }
  return pending;
}

function wmsLines(po: PurchaseOrder) {
  return po.rows
    .filter((row) => row.isStockItem !== false && row.orderedQuantity > 0)
    .map((row, index) => ({ rowNumber: String(row.rowNum ?? index + 1), articleNumber: row.itemId, numberOfItems: row.orderedQuantity }));
}

function sameLines(wmsOrder: WmsPurchaseOrder, lines: ReturnType<typeof wmsLines>): boolean {
  if (wmsOrder.purchaseOrderLines.length !== lines.length) return false;
  return lines.every((line) => wmsOrder.purchaseOrderLines.some((l) =>
    l.rowNumber === line.rowNumber && l.article.articleNumber === line.articleNumber && l.advisedNumberOfItems === line.numberOfItems));
}

async function syncPurchaseOrders(fortnox: FortnoxClient, wms: WmsClient): Promise<PurchaseOrderSyncResult> {
  const result: PurchaseOrderSyncResult = { lager: true, listed: 0, createdInWms: 0, updatedInWms: 0, receiptsPosted: 0 };
  const orders = await warehousePurchaseOrders(fortnox);
  result.listed = orders.length;
  for (const po of orders) {
    const lines = wmsLines(po);
    if (lines.length === 0) continue;
    let wmsOrder = await wms.getPurchaseOrderByNumber(po.id);
    // The WMS refuses changes once reception started: only a notified purchase order is updated.
    if (!wmsOrder || (wmsOrder.purchaseOrderInfo.purchaseOrderStatus.number === PURCHASE_ORDER_STATUS.Notified && !sameLines(wmsOrder, lines))) {
      await wms.upsertPurchaseOrder({
        purchaseOrderNumber: po.id,
        goodsOwnerReference: po.id,
        ...(po.deliveryDate ? { inDate: po.deliveryDate } : {}),
        ...(po.note ? { purchaseOrderRemark: po.note } : {}),
        supplierInfo: { supplierNumber: po.supplierNumber, ...(po.supplierName ? { supplierName: po.supplierName } : {}) },
        purchaseOrderLines: lines,
      });
      result[wmsOrder ? 'updatedInWms' : 'createdInWms']++;
      wmsOrder = await wms.getPurchaseOrderByNumber(po.id);
    }
    if (!wmsOrder || wmsOrder.purchaseOrderLines.every((l) => l.receivedNumberOfItems === 0)) continue;

    const posted = await postedReceipts(fortnox, po.id);
    const pending = unpostedReceipts(receivedLines(wmsOrder), posted.rows);
    if (pending.length === 0) continue;
    const documentId = receiptDocumentId(po.id, posted.nextSequence);
    const priceOf = (itemId: string) => po.rows.find((row) => row.itemId === itemId)?.price ?? undefined;
    const pointOf = (itemId: string) => po.rows.find((row) => row.itemId === itemId)?.stockPointCode || po.stockPointCode || undefined;
    await patiently(() => fortnox.putInboundDocument(RECEIPT_DOCUMENT_TYPE, documentId, {
      date: today(),
      note: `Received in the warehouse against purchase order ${po.id}`,
      rows: pending.map((m) => ({
        itemId: m.articleNumber,
        quantity: m.quantity,
        ...(priceOf(m.articleNumber) !== undefined ? { directCost: priceOf(m.articleNumber) } : {}),
        ...(pointOf(m.articleNumber) ? { stockPointCode: pointOf(m.articleNumber) } : {}),
      })),
    }));
    await patiently(() => fortnox.releaseDocument('inbound', RECEIPT_DOCUMENT_TYPE, documentId));
    result.receiptsPosted++;
    Context.current().heartbeat(result);
  }
  return result;
}

export function createPurchaseOrderActivities(registry: TenantRegistry) {
  return {
    /** Lager only (without it Fortnox has no purchase orders to receive against): skipped when Lager is off. */
    async syncPurchaseOrders(tenantId: string): Promise<PurchaseOrderSyncResult> {
      const fortnox = registry.fortnox(tenantId);
      try {
        if (!(await isLagerActive(fortnox))) return { lager: false, listed: 0, createdInWms: 0, updatedInWms: 0, receiptsPosted: 0 };
        return await syncPurchaseOrders(fortnox, registry.wms(tenantId));
      } catch (err) {
        if (err instanceof FortnoxError) throw fortnoxFailure(err);
        if (err instanceof WmsError) throw wmsFailure(err);
        throw err;
      }
    },
  };
}
