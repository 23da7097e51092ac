// The invariants of ../shared/DESIGN.md, checked against both sandboxes' state after the soak: at most one invoice per
// order and every sent order invoiced; delivered quantities equal what was picked, row by row; no change reached the
// WMS after the warehouse started; cancellations in Fortnox reached the WMS while it had not started; after the syncs go
// quiet Fortnox Lager holds what the warehouse holds, and the stock sync moved nothing the order reports moved already.
import type { FloorRecord } from '../bench/floor';
import type { Rig } from '../bench/rig';
import { STOCK_SYNC_INBOUND_TYPE, STOCK_SYNC_OUTBOUND_TYPE } from '../activities/stock';

export interface InvariantReport {
  orders: number;
  ordersInWms: number;
  sent: number;
  invoices: number;
  duplicateInvoices: number;
  /** Sent by the warehouse, never invoiced. */
  lostOrders: number;
  /** Invoiced although the warehouse never sent it (cancelled on the floor or in Fortnox). */
  invoicedWithoutShipment: number;
  /** Rows whose delivered quantity (order or invoice) differs from what was picked. */
  wrongQuantities: number;
  /** WMS orders whose lines differ from what they were when the warehouse started. */
  changesAfterStart: number;
  /** Cancelled in Fortnox before the warehouse started, but still open in the WMS. */
  cancellationsMissed: number;
  /** Articles whose Fortnox Lager balance differs from the warehouse's; null when the soak ran without stock sync. */
  stockMismatches: number | null;
  /**
   * Articles the stock sync moved more than the warehouse-only movements (adjustments) could explain: a shipment
   * counted by both the order report and the sync, even if a later sync put it right. null without stock sync.
   */
  stockMovedTwice: number | null;
  stockNote: string;
  examples: string[];
}

/** What the warehouse did to an article's stock outside orders (counts, damage), summed. */
export interface AdjustmentTotals {
  net: number;
  gross: number;
}

export function checkInvariants(
  rig: Rig,
  seeded: string[],
  records: Map<string, FloorRecord>,
  cancelledInFortnox: Set<string>,
  adjustments?: Map<string, AdjustmentTotals>,
): InvariantReport {
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < 20) examples.push(text);
  };
  const invoicesByOrder = new Map<string, number[]>();
  for (const invoice of rig.fortnoxTenant.invoices.values()) {
    const key = String(invoice.OrderReference);
    invoicesByOrder.set(key, [...(invoicesByOrder.get(key) ?? []), invoice.DocumentNumber]);
  }
  const wmsOrders = new Map([...rig.goodsOwner.orders.values()].map((o) => [o.orderNumber, o]));
  let sent = 0,
    duplicateInvoices = 0,
    lostOrders = 0,
    invoicedWithoutShipment = 0,
    wrongQuantities = 0,
    changesAfterStart = 0;
  let cancellationsMissed = 0;

  for (const documentNumber of seeded) {
    const invoices = invoicesByOrder.get(documentNumber) ?? [];
    const wms = wmsOrders.get(documentNumber);
    const record = records.get(documentNumber);
    if (invoices.length > 1) {
      duplicateInvoices += invoices.length - 1;
      note(`order ${documentNumber}: ${invoices.length} invoices (${invoices.join(', ')})`);
    }
    const wasSent = wms !== undefined && wms.statusNumber >= 450 && wms.statusNumber < 1000;
    if (wasSent) sent++;
    if (wasSent && invoices.length === 0) {
      lostOrders++;
      note(`order ${documentNumber}: sent by the warehouse, never invoiced`);
    }
    if (!wasSent && invoices.length > 0) {
      invoicedWithoutShipment++;
      note(
        `order ${documentNumber}: invoiced (${invoices.join(', ')}) but not sent (WMS status ${wms?.statusNumber ?? 'none'})`,
      );
    }
    if (wasSent && invoices.length > 0) {
      // Rows match by position: the WMS lines are the Fortnox order's article rows, in order.
      const fortnoxRows = rig.fortnoxTenant.orders
        .get(Number(documentNumber))!
        .OrderRows.filter((r) => r.ArticleNumber);
      const invoiceRows = rig.fortnoxTenant.invoices.get(invoices[0]!)!.InvoiceRows.filter((r) => r.ArticleNumber);
      wms.lines.forEach((line, i) => {
        const picked = line.pickedNumberOfItems;
        // Lines the floor added have no rowNumber: the floor picked nothing for them.
        const floorPicked = line.rowNumber === null ? undefined : record?.picked?.get(line.rowNumber);
        const delivered = fortnoxRows[i]?.DeliveredQuantity;
        const invoiced = invoiceRows[i]?.DeliveredQuantity;
        if (
          fortnoxRows[i]?.ArticleNumber !== line.articleNumber ||
          delivered !== picked ||
          invoiced !== picked ||
          (floorPicked !== undefined && floorPicked !== picked)
        ) {
          wrongQuantities++;
          note(
            `order ${documentNumber} row ${i + 1} ${line.articleNumber}: picked ${picked} (floor ${floorPicked}), ` +
              `Fortnox delivered ${delivered} (${fortnoxRows[i]?.ArticleNumber}), invoiced ${invoiced}`,
          );
        }
      });
    }
    if (wms && record?.linesAtStart) {
      const now = wms.lines.map((l) => `${l.rowNumber}:${l.articleNumber}:${l.orderedNumberOfItems}`).join(' ');
      const atStart = record.linesAtStart.map((l) => `${l.rowNumber}:${l.articleNumber}:${l.ordered}`).join(' ');
      if (now !== atStart) {
        changesAfterStart++;
        note(`order ${documentNumber}: WMS lines changed after start: ${atStart} → ${now}`);
      }
    }
    if (cancelledInFortnox.has(documentNumber) && wms && wms.statusNumber === 200) {
      cancellationsMissed++;
      note(`order ${documentNumber}: cancelled in Fortnox before the warehouse started, still open in the WMS`);
    }
  }
  const stock = adjustments ? checkStock(rig, adjustments, note) : undefined;
  return {
    orders: seeded.length,
    ordersInWms: wmsOrders.size,
    sent,
    invoices: rig.fortnoxTenant.invoices.size,
    duplicateInvoices,
    lostOrders,
    invoicedWithoutShipment,
    wrongQuantities,
    changesAfterStart,
    cancellationsMissed,
    stockMismatches: stock?.mismatches ?? null,
    stockMovedTwice: stock?.movedTwice ?? null,
    stockNote: stock ? stock.note : 'n/a (run without stock sync)',
    examples,
  };
}

/**
 * Compares Fortnox Lager with the warehouse per article, and the stock sync's own documents with the warehouse-only
 * movements: only adjustments should ever need a sync document, so an article that was only shipped must have none,
 * and no article may have been moved by the sync more than it was adjusted.
 */
function checkStock(rig: Rig, adjustments: Map<string, AdjustmentTotals>, note: (text: string) => void) {
  const fortnox = new Map<string, number>();
  for (const b of rig.fortnoxTenant.warehouse.stockBalance({ itemIds: rig.articles })) {
    fortnox.set(b.itemId, (fortnox.get(b.itemId) ?? 0) + b.inStock);
  }
  const wms = new Map<string, number>();
  for (const article of rig.goodsOwner.articles.values()) {
    wms.set(
      article.articleNumber,
      [...article.stock.values()].reduce((sum, n) => sum + n, 0),
    );
  }
  const synced = new Map<string, { net: number; gross: number }>();
  let documents = 0;
  for (const doc of rig.fortnoxTenant.warehouse.documents.values()) {
    const type = doc.type.toUpperCase();
    if (type !== STOCK_SYNC_INBOUND_TYPE && type !== STOCK_SYNC_OUTBOUND_TYPE) continue;
    if (!doc.warehouseReady || doc.voided) continue;
    documents++;
    for (const row of doc.rows) {
      const moved = type === STOCK_SYNC_INBOUND_TYPE ? row.quantity : -row.deliveredQuantity;
      const totals = synced.get(row.itemId) ?? { net: 0, gross: 0 };
      synced.set(row.itemId, { net: totals.net + moved, gross: totals.gross + Math.abs(moved) });
    }
  }
  let mismatches = 0,
    movedTwice = 0;
  for (const article of rig.articles) {
    const inFortnox = fortnox.get(article) ?? 0;
    const inWms = wms.get(article) ?? 0;
    if (inFortnox !== inWms) {
      mismatches++;
      note(`article ${article}: Fortnox Lager holds ${inFortnox}, the warehouse ${inWms}`);
    }
    const adjusted = adjustments.get(article) ?? { net: 0, gross: 0 };
    const bySync = synced.get(article) ?? { net: 0, gross: 0 };
    if (bySync.gross > adjusted.gross || bySync.net !== adjusted.net) {
      movedTwice++;
      note(
        `article ${article}: the stock sync moved ${bySync.net} (gross ${bySync.gross}), ` +
          `the warehouse adjusted ${adjusted.net} (gross ${adjusted.gross})`,
      );
    }
  }
  const adjustedArticles = [...adjustments.values()].filter((a) => a.gross > 0).length;
  return { mismatches, movedTwice, note: `${documents} sync documents for ${adjustedArticles} adjusted articles` };
}

export function violations(report: InvariantReport): number {
  return (
    report.duplicateInvoices +
    report.lostOrders +
    report.invoicedWithoutShipment +
    report.wrongQuantities +
    report.changesAfterStart +
    report.cancellationsMissed +
    (report.stockMismatches ?? 0) +
    (report.stockMovedTwice ?? 0)
  );
}
