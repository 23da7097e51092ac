// Seeds a backlog of Lager purchase orders into both sandboxes through their /_sandbox controls, a thousand per call:
// the Fortnox purchase orders, and the same orders in the WMS as the purchase-order sync would have put them there,
// received in full. For tests and benches that need hundreds of received purchase orders quickly.
import got from 'got';

export interface PurchaseOrderBacklogOptions {
  fortnoxUrl: string;
  /** The Fortnox sandbox tenant (DatabaseNumber); it must have Lager. */
  fortnoxTenantId: string;
  wmsUrl: string;
  goodsOwnerId: number;
  count: number;
  /** An existing Fortnox supplier. */
  supplierNumber: string;
  /** The rows of every purchase order; the items must exist on both sides. Default: 10 × A100 at 320. */
  rows?: Array<{ itemId: string; orderedQuantity: number; price?: number }>;
  /** received (default): in the WMS and received in full; notified: in the WMS, nothing received; none: Fortnox only. */
  wms?: 'received' | 'notified' | 'none';
}

export interface PurchaseOrderBacklog {
  /** The Fortnox purchase-order ids (the WMS purchase-order numbers). */
  ids: string[];
  wmsPurchaseOrderIds: number[];
}

const CHUNK = 1000;

export async function seedPurchaseOrderBacklog(options: PurchaseOrderBacklogOptions): Promise<PurchaseOrderBacklog> {
  const rows = options.rows ?? [{ itemId: 'A100', orderedQuantity: 10, price: 320 }];
  const orderDate = new Date().toISOString().slice(0, 10);
  const fortnoxBody = {
    supplierNumber: options.supplierNumber,
    orderDate,
    deliveryName: '3PL Lager AB',
    deliveryAddress: 'Lagervägen 4',
    deliveryZipCode: '151 36',
    deliveryCity: 'Södertälje',
    paymentTermsCode: '30',
    currencyCode: 'SEK',
    currencyRate: 1,
    rows: rows.map((row) => ({ ...row, remainingOrderedQuantity: row.orderedQuantity, currencyCode: 'SEK' })),
  };
  const ids: string[] = [];
  for (let done = 0; done < options.count; done += CHUNK) {
    const purchaseOrders = Array.from({ length: Math.min(CHUNK, options.count - done) }, () => fortnoxBody);
    const created = await got
      .post(`${options.fortnoxUrl}/_sandbox/tenants/${options.fortnoxTenantId}/purchase-orders`, {
        json: { purchaseOrders },
      })
      .json<{ ids: number[] }>();
    ids.push(...created.ids.map(String));
  }
  const wmsPurchaseOrderIds: number[] = [];
  if ((options.wms ?? 'received') === 'none') return { ids, wmsPurchaseOrderIds };
  for (let done = 0; done < ids.length; done += CHUNK) {
    // The shape the purchase-order sync sends: number and reference = the Fortnox id, a line per row numbered from 1.
    const purchaseOrders = ids.slice(done, done + CHUNK).map((id) => ({
      purchaseOrderNumber: id,
      goodsOwnerReference: id,
      supplierInfo: { supplierNumber: options.supplierNumber },
      purchaseOrderLines: rows.map((row, i) => ({
        rowNumber: String(i + 1),
        articleNumber: row.itemId,
        numberOfItems: row.orderedQuantity,
      })),
    }));
    const created = await got
      .post(`${options.wmsUrl}/_sandbox/goods-owners/${options.goodsOwnerId}/purchase-orders/bulk`, {
        json: { purchaseOrders, receive: options.wms !== 'notified' },
      })
      .json<{ purchaseOrderIds: number[] }>();
    wmsPurchaseOrderIds.push(...created.purchaseOrderIds);
  }
  return { ids, wmsPurchaseOrderIds };
}
