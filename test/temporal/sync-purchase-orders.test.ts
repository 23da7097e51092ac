// Inbound goods under Fortnox Lager on a real dev server: Fortnox purchase orders → WMS purchase orders, received
// quantities → released inbound deliveries in Fortnox, each receipt posted once, also when the stock sync runs between.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import type { PurchaseOrderSyncResult } from '../../activities/purchase-orders';
import type { StockSyncResult } from '../../activities/stock';
import { startHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const inStock = async (harness: Harness, itemId: string) =>
  (await harness.fortnox.getStockBalance({ itemIds: [itemId] })).reduce((sum, b) => sum + b.inStock, 0);

describe('purchase-order sync', () => {
  it('with Lager: purchase orders reach the WMS, receipts reach Fortnox once, and the stock sync does not post them again', async () => {
    h = await startHarness({ lager: true });
    const [supplier] = await h.fortnox.listAllSuppliers();
    const po = await h.fortnox.createPurchaseOrder({
      supplierNumber: supplier!.SupplierNumber, orderDate: new Date().toISOString().slice(0, 10),
      deliveryName: '3PL Lager AB', deliveryAddress: 'Lagervägen 4', deliveryZipCode: '151 36', deliveryCity: 'Södertälje',
      paymentTermsCode: '30', currencyCode: 'SEK', currencyRate: 1,
      rows: [{ itemId: 'A105', orderedQuantity: 10, price: 45 }, { itemId: 'A106', orderedQuantity: 4 }],
    });
    const first = await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow', { record: 'first-run' });
    expect(first).toMatchObject({ lager: true, listed: 1, createdInWms: 1, receiptsPosted: 0 });
    const wmsPo = await h.wms.getPurchaseOrderByNumber(po.id);
    expect(wmsPo?.purchaseOrderLines.map((l) => [l.article.articleNumber, l.advisedNumberOfItems])).toEqual([['A105', 10], ['A106', 4]]);
    expect(wmsPo?.supplierInfo?.supplierNumber).toBe(supplier!.SupplierNumber);
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toMatchObject({ createdInWms: 0, updatedInWms: 0 });

    const receive = (lines?: unknown) => got.post(
      `${h!.sandboxes.wmsUrl}/_sandbox/goods-owners/${h!.tenant.wms.goodsOwnerId}/purchase-orders/${wmsPo!.purchaseOrderInfo.purchaseOrderId}/receive`,
      { json: lines ? { lines } : {} },
    );
    const a105Before = await inStock(h, 'A105');
    await receive([{ rowNumber: '1', receivedNumberOfItems: 6 }]);
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow', { record: 'receipt' })).toMatchObject({ receiptsPosted: 1 });
    expect(await inStock(h, 'A105')).toBe(a105Before + 6);
    const receipt = await h.fortnox.getInboundDocument('WMS-RECEIPT', `${po.id}001`);
    expect(receipt).toMatchObject({ warehouseReady: true });
    expect(receipt.rows.map((r) => [r.itemId, r.quantity, r.directCost])).toEqual([['A105', 6, 45]]);
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toMatchObject({ receiptsPosted: 0 });
    expect(await inStock(h, 'A105')).toBe(a105Before + 6);

    // The rest arrives; the stock sync runs before the purchase-order sync has posted it, and must leave it alone.
    const a106Before = await inStock(h, 'A106');
    await receive();
    const stock = await h.runSync<StockSyncResult>('syncStockWorkflow');
    expect(stock.pendingReceipts).toBe(8);
    expect(stock).toMatchObject({ inboundRows: 0, outboundRows: 0 });
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toMatchObject({ receiptsPosted: 1 });
    expect(await inStock(h, 'A105')).toBe(a105Before + 10);
    expect(await inStock(h, 'A106')).toBe(a106Before + 4);
    expect(await h.runSync<StockSyncResult>('syncStockWorkflow')).toMatchObject({ inboundRows: 0, outboundRows: 0, pendingReceipts: 0 });
  });

  it('without Lager it does nothing', async () => {
    h = await startHarness();
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toEqual({
      lager: false, listed: 0, createdInWms: 0, updatedInWms: 0, receiptsPosted: 0,
    });
  });
});
