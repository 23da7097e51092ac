// The stock-level sync on a real dev server with both sandboxes, with and without Fortnox Lager: after shipments,
// receipts, adjustments and an order shipped but not yet reported, Fortnox agrees with the warehouse, and once that
// order is reported nothing was counted twice.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import type { PurchaseOrderSyncResult } from '../../activities/purchase-orders';
import type { StockSyncResult } from '../../activities/stock';
import { seedPurchaseOrderBacklog } from '../../simulators/purchase-order-backlog';
import { orderInWarehouse, orderResult, startHarness, waitFor, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ARTICLES = ['A100', 'A101', 'A102', 'A103', 'A104'];

async function wmsTotals(harness: Harness): Promise<Record<string, number>> {
  const inventory = await harness.wms.getInventoryPerWarehouse(ARTICLES);
  return Object.fromEntries(
    inventory.map((a) => [a.articleNumber, a.inventoryPerWarehouse.reduce((s, w) => s + w.numberOfItems, 0)]),
  );
}

async function fortnoxTotals(harness: Harness, lager: boolean): Promise<Record<string, number>> {
  if (lager) {
    const balances = await harness.fortnox.getStockBalance({ itemIds: ARTICLES });
    const totals: Record<string, number> = Object.fromEntries(ARTICLES.map((a) => [a, 0]));
    for (const b of balances) totals[b.itemId] = (totals[b.itemId] ?? 0) + b.inStock;
    return totals;
  }
  const articles = await harness.fortnox.listAllArticles();
  return Object.fromEntries(
    articles.filter((a) => ARTICLES.includes(a.ArticleNumber)).map((a) => [a.ArticleNumber, a.QuantityInStock ?? 0]),
  );
}

/** Shipments, a receipt, an adjustment, and an order the warehouse sent that Fortnox has not heard of yet. */
async function warehouseActivity(harness: Harness) {
  const goodsOwner = `${harness.sandboxes.wmsUrl}/_sandbox/goods-owners/${harness.tenant.wms.goodsOwnerId}`;
  // A shipment reported through the order workflow (under Lager its delivery moves Fortnox stock).
  const reported = await orderInWarehouse(harness, [{ ArticleNumber: 'A100', OrderedQuantity: 3 }]);
  await harness.floor(reported.wmsOrderId, 'send');
  expect((await orderResult(harness, reported.documentNumber)).outcome).toBe('invoiced');
  // A receipt Fortnox knows nothing of: a WMS purchase order received on the floor.
  const { purchaseOrderId } = await harness.wms.upsertPurchaseOrder({
    purchaseOrderNumber: 'WMS-ONLY-1',
    purchaseOrderLines: [{ rowNumber: '1', articleNumber: 'A101', numberOfItems: 10 }],
  });
  await got.post(`${goodsOwner}/purchase-orders/${purchaseOrderId}/receive`, { json: {} });
  // Damaged goods written off, and a recount.
  await got.post(`${goodsOwner}/stock-adjustments`, { json: { articleNumber: 'A102', delta: -5, reason: 'damage' } });
  await got.post(`${goodsOwner}/stock-adjustments`, { json: { articleNumber: 'A104', delta: 2, reason: 'count' } });
  // Shipped by the warehouse, not yet reported to Fortnox: its order exists there, undelivered.
  const pendingNumber = await harness.createOrder([{ ArticleNumber: 'A103', OrderedQuantity: 2 }]);
  const { orderId } = await harness.wms.upsertOrder({
    orderNumber: pendingNumber,
    deliveryDate: '2030-01-01',
    consignee: { name: 'Testkunden AB' },
    orderLines: [{ rowNumber: '1', articleNumber: 'A103', numberOfItems: 2 }],
  });
  await harness.floor(orderId, 'send');
  return { pendingNumber, pendingOrderId: orderId };
}

/** What the order workflow would do for the pending order: delivered quantities in Fortnox, lines reported in the WMS. */
async function reportPendingOrder(harness: Harness, lager: boolean, documentNumber: string, orderId: number) {
  let order = await harness.fortnox.getOrder(documentNumber);
  if (lager) order = await harness.fortnox.updateOrder(documentNumber, { DeliveryState: 'delivery' });
  await harness.fortnox.updateOrder(documentNumber, {
    OrderRows: [{ RowId: order.OrderRows[0]!.RowId, DeliveredQuantity: 2 }],
  });
  await harness.wms.markOrderReported(orderId);
}

describe.each([false, true])('stock-level sync (Lager %s)', (lager) => {
  it('makes Fortnox equal the warehouse, counting the not-yet-reported order once', async () => {
    h = await startHarness({ lager, settings: { processes: { stockLevels: true } } });
    expect(await fortnoxTotals(h, lager)).toEqual(await wmsTotals(h));
    const { pendingNumber, pendingOrderId } = await warehouseActivity(h);
    // Like Ongoing with a goods owner of some size, the WMS times out a list that is not read page by page: the sync
    // must page its reads of orders, articles and inventory (it used not to, and would retry here forever).
    await got.put(`${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}/limits`, {
      json: { unpagedListLimit: 1 },
    });

    const first = await h.runSync<StockSyncResult>('syncStockWorkflow', { record: 'mixed-scenario' });
    const wms = await wmsTotals(h);
    const fortnox = await fortnoxTotals(h, lager);
    if (lager) {
      expect(first).toMatchObject({ lager: true, inboundRows: 2, outboundRows: 1, pendingShipments: 2 });
      expect(first.documents).toHaveLength(1);
      expect(first.documents[0]).toMatch(/^\d{19}$/);
      // Everything agrees but the pending order, which Fortnox still counts in stock until it is reported.
      expect(fortnox).toEqual({ ...wms, A103: wms.A103! + 2 });
      const inbound = await h.fortnox.getInboundDocument('WMS-SYNC-IN', first.documents[0]!);
      expect(inbound).toMatchObject({ warehouseReady: true });
      expect(inbound.rows.map((r) => [r.itemId, r.quantity]).sort()).toEqual([
        ['A101', 10],
        ['A104', 2],
      ]);
      const outbound = await h.fortnox.getOutboundDocument('WMS-SYNC-OUT', first.documents[0]!);
      expect(outbound).toMatchObject({ warehouseReady: true, deliveryState: 'delivery' });
      expect(outbound.rows.map((r) => [r.itemId, r.deliveredQuantity])).toEqual([['A102', 5]]);
    } else {
      // Without Lager Fortnox moves no stock on delivery: the article register simply takes the warehouse's figures.
      expect(first).toMatchObject({ lager: false, articlesUpdated: 5 });
      expect(fortnox).toEqual(wms);
    }

    await reportPendingOrder(h, lager, pendingNumber, pendingOrderId);
    expect(await fortnoxTotals(h, lager)).toEqual(await wmsTotals(h));
    // The next run finds nothing to do: the reported order moved Fortnox once, and the sync did not move it again.
    const second = await h.runSync<StockSyncResult>('syncStockWorkflow');
    expect(second).toMatchObject({
      inboundRows: 0,
      outboundRows: 0,
      articlesUpdated: 0,
      documents: [],
      pendingShipments: 0,
    });
    expect(await fortnoxTotals(h, lager)).toEqual(await wmsTotals(h));
  });
});

describe('stock-level sync under a busy warehouse (Lager)', () => {
  it('leaves an article shipped and reported while Fortnox was read to the next run, and never moves it twice', async () => {
    h = await startHarness({ lager: true, settings: { processes: { stockLevels: true } } });
    const harness = h;
    const sandboxTenant = `${harness.sandboxes.fortnoxUrl}/_sandbox/tenants/${harness.fortnoxTenantId}`;
    const latencies = async () =>
      (await got(`${sandboxTenant}/calls`).json<{ faultsInjected: Record<string, number> }>()).faultsInjected.latency ??
      0;
    const order = await orderInWarehouse(harness, [{ ArticleNumber: 'A100', OrderedQuantity: 3 }]);
    // The balance read takes 7 s (under the client's 10 s timeout): room for a whole shipment and its report to land inside it.
    await got.put(`${sandboxTenant}/faults`, {
      json: { rules: [{ route: 'GET /api/warehouse/status-v1/stockbalance', latencyMs: 7000 }] },
    });
    const before = await latencies();
    const sync = await harness.client.workflow.start('syncStockWorkflow', {
      workflowId: `syncStockWorkflow:${harness.tenantId}:busy`,
      taskQueue: harness.taskQueue,
      args: [{ tenantId: harness.tenantId }],
    });
    await waitFor(async () => (await latencies()) > before, 30_000, 'the stock sync reading Fortnox balances');
    await harness.floor(order.wmsOrderId, 'send');
    expect((await orderResult(harness, order.documentNumber)).outcome).toBe('invoiced');
    // The race this test is about: the report landed while the balance read was still in flight.
    expect((await sync.describe()).status.name).toBe('RUNNING');
    await got.delete(`${sandboxTenant}/faults`);

    const first = (await sync.result()) as StockSyncResult;
    expect(first.deferredArticles).toEqual(['A100']);
    expect(first.documents).toEqual([]);
    // The report alone moved Fortnox: it agrees with the warehouse, and the next run has nothing to do.
    expect(await fortnoxTotals(harness, true)).toEqual(await wmsTotals(harness));
    const second = await harness.runSync<StockSyncResult>('syncStockWorkflow');
    expect(second).toMatchObject({ inboundRows: 0, outboundRows: 0, documents: [], deferredArticles: [] });
  });

  it('leaves the articles of an order Fortnox cannot answer for to the next run, and syncs the others', async () => {
    h = await startHarness({ lager: true, settings: { processes: { stockLevels: true } } });
    const harness = h;
    const sandboxTenant = `${harness.sandboxes.fortnoxUrl}/_sandbox/tenants/${harness.fortnoxTenantId}`;
    const goodsOwner = `${harness.sandboxes.wmsUrl}/_sandbox/goods-owners/${harness.tenant.wms.goodsOwnerId}`;
    await got.post(`${goodsOwner}/stock-adjustments`, { json: { articleNumber: 'A102', delta: -5, reason: 'damage' } });
    // Shipped by the warehouse, not yet reported: whether Fortnox delivered it can only be read from Fortnox.
    const pendingNumber = await harness.createOrder([{ ArticleNumber: 'A103', OrderedQuantity: 2 }]);
    const { orderId } = await harness.wms.upsertOrder({
      orderNumber: pendingNumber,
      deliveryDate: '2030-01-01',
      consignee: { name: 'Testkunden AB' },
      orderLines: [{ rowNumber: '1', articleNumber: 'A103', numberOfItems: 2 }],
    });
    await harness.floor(orderId, 'send');
    await got.put(`${sandboxTenant}/faults`, {
      json: { rules: [{ route: 'GET /3/orders/:DocumentNumber', errorRate: 1 }] },
    });

    const first = await harness.runSync<StockSyncResult>('syncStockWorkflow');
    expect(first.deferredArticles).toEqual(['A103']);
    expect(first).toMatchObject({ inboundRows: 0, outboundRows: 1 });
    await got.delete(`${sandboxTenant}/faults`);
    const second = await harness.runSync<StockSyncResult>('syncStockWorkflow');
    // Fortnox answers again: A103 is pending, not a difference, so nothing moves; Fortnox keeps it until the report.
    expect(second).toMatchObject({ deferredArticles: [], inboundRows: 0, outboundRows: 0, pendingShipments: 2 });
    const wms = await wmsTotals(harness);
    expect(await fortnoxTotals(harness, true)).toEqual({ ...wms, A103: wms.A103! + 2 });
  });
});

describe('stock-level sync beside a backlog of received purchase orders (Lager)', () => {
  it('counts 500 received, unposted purchase orders as pending page by page, and reads none of them once they are posted', async () => {
    h = await startHarness({ lager: true, fortnoxRateLimit: false, settings: { processes: { stockLevels: true } } });
    const harness = h;
    const sandboxTenant = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}`;
    const goodsOwner = `${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}`;
    type Calls = { byRoute: Record<string, number> };
    const calls = async () => ({
      fortnox: await got(`${sandboxTenant}/calls`).json<Calls>(),
      wms: await got(`${goodsOwner}/calls`).json<Calls>(),
    });
    const reset = async () => Promise.all([got.delete(`${sandboxTenant}/calls`), got.delete(`${goodsOwner}/calls`)]);
    // Reads of our receipt documents (the route also serves the stock sync's own WMS-SYNC-IN documents).
    const receiptReads = async () =>
      (
        await got(`${sandboxTenant}/log`, { searchParams: { limit: 1000 } }).json<
          Array<{ method: string; url: string }>
        >()
      ).filter((call) => call.method === 'GET' && call.url.includes('/inbound-v1/WMS-RECEIPT/')).length;
    const [supplier] = await h.fortnox.listAllSuppliers();
    await seedPurchaseOrderBacklog({
      fortnoxUrl: h.sandboxes.fortnoxUrl,
      fortnoxTenantId: h.fortnoxTenantId,
      wmsUrl: h.sandboxes.wmsUrl,
      goodsOwnerId: h.tenant.wms.goodsOwnerId,
      supplierNumber: supplier!.SupplierNumber,
      count: 500,
      rows: [{ itemId: 'A105', orderedQuantity: 2 }],
    });
    // A slow WMS purchase-order read would stall a sync that read each purchase order on its own (500 reads at 150 ms,
    // no heartbeat in between: past the heartbeat timeout on every attempt). Read a page at a time, it costs nothing.
    await got.put(`${goodsOwner}/faults`, { json: { rules: [{ route: 'GET /purchaseOrders', latencyMs: 300 }] } });
    await reset();

    const first = await h.runSync<StockSyncResult>('syncStockWorkflow');
    // The 1,000 received items are on their way to Fortnox through the purchase-order sync: not a difference to post.
    expect(first).toMatchObject({
      inboundRows: 0,
      outboundRows: 0,
      documents: [],
      pendingReceipts: 1000,
      deferredArticles: [],
    });
    const firstCalls = await calls();
    expect(firstCalls.wms.byRoute['GET /purchaseOrders']).toBeLessThanOrEqual(2);
    expect(await receiptReads()).toBe(500); // one "nothing posted yet" per purchase order

    await got.delete(`${goodsOwner}/faults`);
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toMatchObject({
      receiptsPosted: 500,
    });
    await got.put(`${goodsOwner}/faults`, { json: { rules: [{ route: 'GET /purchaseOrders', latencyMs: 300 }] } });
    await reset();
    const second = await h.runSync<StockSyncResult>('syncStockWorkflow');
    expect(second).toMatchObject({ inboundRows: 0, outboundRows: 0, documents: [], pendingReceipts: 0 });
    const secondCalls = await calls();
    console.log('stock sync beside 500 received purchase orders, calls per run:', {
      first: firstCalls,
      second: secondCalls,
    });
    expect(await receiptReads()).toBe(0);
    expect(secondCalls.fortnox.byRoute['GET /api/warehouse/purchaseorders-v1'] ?? 0).toBe(0);
    expect(secondCalls.wms.byRoute['GET /purchaseOrders']).toBeLessThanOrEqual(1);
    const a105 = (await harness.fortnox.getStockBalance({ itemIds: ['A105'] })).reduce((sum, b) => sum + b.inStock, 0);
    const wmsA105 = (await harness.wms.getInventoryPerWarehouse(['A105']))[0]!.inventoryPerWarehouse.reduce(
      (sum, w) => sum + w.numberOfItems,
      0,
    );
    expect(a105).toBe(wmsA105);
  });
});
