// Inbound goods under Fortnox Lager on a real dev server: Fortnox purchase orders → WMS purchase orders, received
// quantities → released inbound deliveries in Fortnox, each receipt posted once, also when the stock sync runs between,
// and a backlog of hundreds of received purchase orders synced page by page, interrupted, and skipped once settled.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import type { PurchaseOrderSyncResult } from '../../activities/purchase-orders';
import type { StockSyncResult } from '../../activities/stock';
import { seedPurchaseOrderBacklog } from '../../simulators/purchase-order-backlog';
import { startHarness, waitFor, type Harness } from './harness';
import { recordHistory } from './record';

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
      supplierNumber: supplier!.SupplierNumber,
      orderDate: new Date().toISOString().slice(0, 10),
      deliveryName: '3PL Lager AB',
      deliveryAddress: 'Lagervägen 4',
      deliveryZipCode: '151 36',
      deliveryCity: 'Södertälje',
      paymentTermsCode: '30',
      currencyCode: 'SEK',
      currencyRate: 1,
      rows: [
        { itemId: 'A105', orderedQuantity: 10, price: 45 },
        { itemId: 'A106', orderedQuantity: 4 },
      ],
    });
    const first = await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow', { record: 'first-run' });
    expect(first).toMatchObject({ lager: true, listed: 1, createdInWms: 1, receiptsPosted: 0 });
    const wmsPo = await h.wms.getPurchaseOrderByNumber(po.id);
    expect(wmsPo?.purchaseOrderLines.map((l) => [l.article.articleNumber, l.advisedNumberOfItems])).toEqual([
      ['A105', 10],
      ['A106', 4],
    ]);
    expect(wmsPo?.supplierInfo?.supplierNumber).toBe(supplier!.SupplierNumber);
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toMatchObject({
      createdInWms: 0,
      updatedInWms: 0,
    });

    const receive = (lines?: unknown) =>
      got.post(
        `${h!.sandboxes.wmsUrl}/_sandbox/goods-owners/${h!.tenant.wms.goodsOwnerId}/purchase-orders/${wmsPo!.purchaseOrderInfo.purchaseOrderId}/receive`,
        { json: lines ? { lines } : {} },
      );
    const a105Before = await inStock(h, 'A105');
    await receive([{ rowNumber: '1', receivedNumberOfItems: 6 }]);
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow', { record: 'receipt' })).toMatchObject(
      { receiptsPosted: 1 },
    );
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
    expect(await h.runSync<StockSyncResult>('syncStockWorkflow')).toMatchObject({
      inboundRows: 0,
      outboundRows: 0,
      pendingReceipts: 0,
    });
  });

  it('without Lager it does nothing', async () => {
    h = await startHarness();
    expect(await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toEqual({
      lager: false,
      listed: 0,
      createdInWms: 0,
      updatedInWms: 0,
      receiptsPosted: 0,
      receiptsChecked: 0,
    });
  });
});

type Calls = { total: number; byRoute: Record<string, number> };
const RECEIPT = '/api/warehouse/documentdeliveries/custom/inbound-v1/:type/:id';

/** Both sandboxes' call counters: read, and reset so the next run is counted on its own. */
function callCounters(harness: Harness) {
  const fortnox = `${harness.sandboxes.fortnoxUrl}/_sandbox/tenants/${harness.fortnoxTenantId}`;
  const wms = `${harness.sandboxes.wmsUrl}/_sandbox/goods-owners/${harness.tenant.wms.goodsOwnerId}`;
  return {
    read: async () => ({
      fortnox: await got(`${fortnox}/calls`).json<Calls>(),
      wms: await got(`${wms}/calls`).json<Calls>(),
    }),
    reset: async () => {
      await got.delete(`${fortnox}/calls`);
      await got.delete(`${wms}/calls`);
    },
  };
}

/** The receipt documents Fortnox holds, per purchase order. */
async function receiptDocuments(
  harness: Harness,
): Promise<Map<string, Array<{ id: string; warehouseReady: boolean }>>> {
  const state = await got(`${harness.sandboxes.fortnoxUrl}/_sandbox/tenants/${harness.fortnoxTenantId}/state`).json<{
    warehouse: { documents: Array<{ type?: string; id: string; warehouseReady: boolean }> };
  }>();
  const byOrder = new Map<string, Array<{ id: string; warehouseReady: boolean }>>();
  for (const doc of state.warehouse.documents.filter((d) => d.type === 'WMS-RECEIPT')) {
    const order = doc.id.slice(0, -3);
    byOrder.set(order, [...(byOrder.get(order) ?? []), doc]);
  }
  return byOrder;
}

async function backlog(harness: Harness, count: number) {
  const [supplier] = await harness.fortnox.listAllSuppliers();
  return seedPurchaseOrderBacklog({
    fortnoxUrl: harness.sandboxes.fortnoxUrl,
    fortnoxTenantId: harness.fortnoxTenantId,
    wmsUrl: harness.sandboxes.wmsUrl,
    goodsOwnerId: harness.tenant.wms.goodsOwnerId,
    supplierNumber: supplier!.SupplierNumber,
    count,
    rows: [{ itemId: 'A105', orderedQuantity: 2, price: 45 }],
  });
}

describe('purchase-order sync of a large backlog', () => {
  it('posts 500 received purchase orders once each, page by page, and the next run reads none of them again', async () => {
    h = await startHarness({ lager: true, fortnoxRateLimit: false });
    const { ids } = await backlog(h, 500);
    const calls = callCounters(h);
    const a105Before = await inStock(h, 'A105');
    await calls.reset();

    const first = await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow', { record: 'paged-backlog' });
    expect(first).toEqual({
      lager: true,
      listed: 500,
      createdInWms: 0,
      updatedInWms: 0,
      receiptsPosted: 500,
      receiptsChecked: 500,
    });
    const firstCalls = await calls.read();
    // Each receipt saved and released exactly once, and marked reported in the WMS once.
    expect(firstCalls.fortnox.byRoute[`PUT ${RECEIPT}`]).toBe(500);
    expect(firstCalls.fortnox.byRoute[`PUT ${RECEIPT}/release`]).toBe(500);
    expect(
      firstCalls.wms.byRoute['PATCH /purchaseOrders/:purchaseOrderId/lines/:purchaseOrderLineId/reportedNumberOfItems'],
    ).toBe(500);
    // The WMS side is read a page at a time, never once per purchase order.
    expect(firstCalls.wms.byRoute['GET /purchaseOrders']).toBeLessThanOrEqual(12);
    const documents = await receiptDocuments(h);
    expect([...documents.keys()].sort()).toEqual([...ids].sort());
    expect([...documents.values()].every((docs) => docs.length === 1 && docs[0]!.warehouseReady)).toBe(true);
    expect(await inStock(h, 'A105')).toBe(a105Before + 1000);
    expect(
      await h.wms.listPurchaseOrders({ onlyPurchaseOrdersWithOrderLinesToReport: true, maxPurchaseOrdersToGet: 10 }),
    ).toEqual([]);

    // Settled purchase orders are not read again. A slow Fortnox document read would stall a sync that still read two
    // per purchase order (1,000 reads at 300 ms, no heartbeat: past its heartbeat timeout on every attempt).
    await calls.reset();
    await got.put(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`, {
      json: { rules: [{ route: `GET ${RECEIPT}`, latencyMs: 300 }] },
    });
    const second = await h.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow');
    expect(second).toEqual({
      lager: true,
      listed: 500,
      createdInWms: 0,
      updatedInWms: 0,
      receiptsPosted: 0,
      receiptsChecked: 0,
    });
    const secondCalls = await calls.read();
    console.log(
      `500 received purchase orders: first run ${firstCalls.fortnox.total} Fortnox + ${firstCalls.wms.total} WMS calls, ` +
        `second run ${secondCalls.fortnox.total} Fortnox + ${secondCalls.wms.total} WMS calls`,
      secondCalls,
    );
    expect(secondCalls.fortnox.byRoute[`GET ${RECEIPT}`] ?? 0).toBe(0);
    expect(secondCalls.fortnox.total).toBeLessThanOrEqual(4); // Lager check and one purchase-order list per to-WMS page
    expect(secondCalls.wms.total).toBeLessThanOrEqual(6); // a lookup per 100 numbers and one empty receipt page
  });

  it('continues as new with its cursor and totals after its pages per run, and the chain adds up', async () => {
    h = await startHarness({ lager: true, fortnoxRateLimit: false });
    const { ids } = await backlog(h, 120);
    const workflowId = `sync-purchase-orders-chain:${h.tenantId}`;
    // 3 to-WMS pages (50, 50, 20) and 7 receipt pages (6 × 20, then an empty one), 3 per run: 4 runs.
    const handle = await h.client.workflow.start('syncPurchaseOrdersWorkflow', {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ tenantId: h.tenantId, paging: { toWms: 50, receipts: 20, pagesPerRun: 3 } }],
    });
    expect(await handle.result()).toEqual({
      lager: true,
      listed: 120,
      createdInWms: 0,
      updatedInWms: 0,
      receiptsPosted: 120,
      receiptsChecked: 120,
    });
    const client = h.client;
    const statuses = async () => {
      const names: string[] = [];
      for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
        names.push(run.status.name);
      return names.sort();
    };
    // Visibility catches up with the runs shortly after they close.
    await waitFor(async () => (await statuses()).length === 4, 10_000, 'four runs visible');
    expect(await statuses()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
    await recordHistory(workflowId, 'syncPurchaseOrdersWorkflow', 'continued-as-new', handle.firstExecutionRunId);
    const documents = await receiptDocuments(h);
    expect([...documents.keys()].sort()).toEqual([...ids].sort());
    expect([...documents.values()].every((docs) => docs.length === 1)).toBe(true);
  });

  it('a worker stopped in the middle of the receipts leaves none posted twice, and the run finishes', async () => {
    h = await startHarness({ lager: true, fortnoxRateLimit: false });
    const harness = h;
    const { ids } = await backlog(h, 150);
    const calls = callCounters(h);
    await calls.reset();
    // Slow releases keep the receipt page busy long enough to stop the worker inside it.
    await got.put(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`, {
      json: { rules: [{ route: `PUT ${RECEIPT}/release`, latencyMs: 60 }] },
    });
    const handle = await h.client.workflow.start('syncPurchaseOrdersWorkflow', {
      workflowId: `sync-purchase-orders-stop:${h.tenantId}`,
      taskQueue: h.taskQueue,
      args: [{ tenantId: h.tenantId }],
    });
    const released = async () => (await calls.read()).fortnox.byRoute[`PUT ${RECEIPT}/release`] ?? 0;
    await waitFor(async () => (await released()) >= 40, 60_000, '40 receipts released');
    await h.stopWorkers();
    expect(await released()).toBeLessThan(150);
    await h.startWorkers();
    const result = (await handle.result()) as PurchaseOrderSyncResult;

    expect(result.receiptsPosted).toBeGreaterThan(0);
    const documents = await receiptDocuments(harness);
    expect([...documents.keys()].sort()).toEqual([...ids].sort());
    expect([...documents.values()].every((docs) => docs.length === 1 && docs[0]!.warehouseReady)).toBe(true);
    // A document saved just before the stop is found and released by the retry, never saved again under a new number.
    expect((await calls.read()).fortnox.byRoute[`PUT ${RECEIPT}`]).toBe(150);
    expect(await harness.runSync<PurchaseOrderSyncResult>('syncPurchaseOrdersWorkflow')).toMatchObject({
      receiptsPosted: 0,
      receiptsChecked: 0,
    });
  });
});
