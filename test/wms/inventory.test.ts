// Articles, inventory per warehouse, adjustments, suppliers and purchase orders through the client against the sandbox.
import { PURCHASE_ORDER_STATUS } from '../../activities/wms/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WmsSandbox } from '../../simulators/wms/server';
import { newGoodsOwner, startSandbox } from './helpers';

let sandbox: WmsSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('articles and inventory', () => {
  it('upserts articles by articleNumber and lists them with inventoryInfo', async () => {
    const { client } = await newGoodsOwner(sandbox);
    const first = await client.upsertArticle({
      articleNumber: 'A-1',
      articleName: 'Lamp',
      barCodeInfo: { barCode: '7350000000101' },
      unitCode: 'st',
      weight: 1.5,
      isStockArticle: true,
      supplierInfo: { supplierNumber: 'S1', supplierName: 'Lamps AB' },
    });
    const again = await client.upsertArticle({ articleNumber: 'A-1', articleName: 'Lamp, brass' });
    expect(again.articleSystemId).toBe(first.articleSystemId);
    await client.upsertArticle({ articleNumber: 'A-2', articleName: 'Shade' });

    const list = await client.listArticles();
    expect(list.map((a) => a.articleNumber)).toEqual(['A-1', 'A-2']);
    const lamp = await client.getArticleByNumber('A-1');
    expect(lamp).toMatchObject({
      articleSystemId: first.articleSystemId,
      articleName: 'Lamp, brass',
      barCodeInfo: { barCode: '7350000000101' }, // kept from the first PUT
      weight: 1.5,
      supplierInfo: { supplierNumber: 'S1', supplierName: 'Lamps AB' },
      inventoryInfo: { numberOfItems: 0, sellableNumberOfItems: 0, allocatedNumberOfItems: 0 },
    });
    expect((await client.getArticle(first.articleSystemId)).articleNumber).toBe('A-1');
    expect(await client.getArticleByNumber('NOPE')).toBeUndefined();
  });

  it('adjusts stock (count and damage) and splits inventory per warehouse', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    expect((await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo.numberOfItems).toBe(120);
    await ctl('POST', '/stock-adjustments', { articleNumber: 'WIDGET-1', delta: -4, reason: 'damage' });
    await ctl('POST', '/stock-adjustments', {
      articleNumber: 'WIDGET-1',
      warehouse: 'Second',
      count: 30,
      reason: 'count',
    });
    await ctl('POST', '/stock-adjustments', {
      articleNumber: 'WIDGET-1',
      warehouse: 'Second',
      count: 25,
      reason: 'count',
    });

    const widget = (await client.getArticleByNumber('WIDGET-1'))!;
    expect(widget.inventoryInfo.numberOfItems).toBe(116 + 25);
    const perWarehouse = await client.getInventoryPerWarehouse(['WIDGET-1']);
    expect(perWarehouse).toHaveLength(1);
    // Like Ongoing, entries carry only the warehouse's id: its name comes from GET /warehouses.
    const names = new Map((await client.listWarehouses()).map((w) => [w.id, w.name]));
    expect(perWarehouse[0]!.inventoryPerWarehouse.map((w) => [names.get(w.warehouseId), w.numberOfItems])).toEqual([
      ['Main', 116],
      ['Second', 25],
    ]);
    expect(Object.keys(perWarehouse[0]!.inventoryPerWarehouse[0]!)).not.toContain('warehouseName');
    const all = await client.getInventoryPerWarehouse();
    expect(all.map((a) => a.articleNumber)).toEqual(['WIDGET-1', 'WIDGET-2', 'GADGET-1']);
    expect((await client.listWarehouses()).map((w) => w.name)).toEqual(['Main', 'Second']);

    const since = new Date(Date.now() - 60_000);
    const adjustments = await client.listInventoryAdjustments({ from: since });
    const widgetAdjustments = adjustments.find((l) => l.article.articleNumber === 'WIDGET-1')!.inventoryAdjustments;
    // The seed's stock count, then the three adjustments above.
    expect(
      widgetAdjustments.map((a) => [a.numberOfItems, a.inventoryAdjustmentCause?.code, a.warehouse?.name]),
    ).toEqual([
      [120, 'COUNT', 'Main'],
      [-4, 'DAMAGE', 'Main'],
      [30, 'COUNT', 'Second'],
      [-5, 'COUNT', 'Second'],
    ]);
    expect(await client.listInventoryAdjustments({ from: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('refuses an adjustment for an unknown warehouse', async () => {
    const { ctl } = await newGoodsOwner(sandbox, { seed: true });
    await expect(
      ctl('POST', '/stock-adjustments', { articleNumber: 'WIDGET-1', warehouse: 'Mars', delta: 1, reason: 'count' }),
    ).rejects.toThrow(/Mars/);
  });
});

describe('suppliers', () => {
  it("has no supplier endpoint, as Ongoing REST v1 has none: suppliers live in articles' supplierInfo", async () => {
    const { client, creds } = await newGoodsOwner(sandbox, { seed: true });
    const auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    const res = await fetch(`${sandbox.url}/${creds.warehouse}/api/v1/suppliers?goodsOwnerId=${creds.goodsOwnerId}`, {
      headers: { authorization: auth },
    });
    expect(res.status).toBe(404);
    expect((await client.getArticleByNumber('WIDGET-1'))!.supplierInfo).toMatchObject({
      supplierNumber: 'SUP-1',
      supplierName: 'Nordic Widgets AB',
    });
  });

  it('pages through articles and their inventory with articleSystemIdFrom and maxArticlesToGet', async () => {
    const { client } = await newGoodsOwner(sandbox, { seed: true });
    for (let i = 0; i < 4; i++) await client.upsertArticle({ articleNumber: `PG-${i}`, articleName: `Paged ${i}` });
    const sizes: number[] = [];
    const numbers: string[] = [];
    for await (const page of client.articlePages({}, 2)) {
      sizes.push(page.length);
      numbers.push(...page.map((a) => a.articleNumber));
    }
    expect(sizes).toEqual([2, 2, 2, 1]);
    expect(numbers).toEqual(['WIDGET-1', 'WIDGET-2', 'GADGET-1', 'PG-0', 'PG-1', 'PG-2', 'PG-3']);
    const inventory: string[] = [];
    for await (const page of client.inventoryPages(undefined, 3)) inventory.push(...page.map((a) => a.articleNumber));
    expect(inventory).toEqual(numbers);
  });
});

describe('purchase orders', () => {
  it('creates a purchase order, shows stock to receive, and a receipt raises stock', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { purchaseOrderId } = await client.upsertPurchaseOrder({
      purchaseOrderNumber: 'PO-1',
      inDate: '2030-02-01',
      supplierInfo: { supplierNumber: 'SUP-1', supplierName: 'Nordic Widgets AB' },
      purchaseOrderLines: [
        { rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: 10 },
        { rowNumber: '2', articleNumber: 'GADGET-1', numberOfItems: 5 },
      ],
    });
    const po = (await client.getPurchaseOrderByNumber('PO-1'))!;
    expect(po.purchaseOrderInfo).toMatchObject({ purchaseOrderId, purchaseOrderStatus: { number: 100 } });
    expect(po.purchaseOrderLines.map((l) => [l.rowNumber, l.advisedNumberOfItems, l.receivedNumberOfItems])).toEqual([
      ['1', 10, 0],
      ['2', 5, 0],
    ]);
    expect((await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo.toReceiveNumberOfItems).toBe(10);

    await ctl('POST', `/purchase-orders/${purchaseOrderId}/receive`, {
      lines: [{ rowNumber: 1, receivedNumberOfItems: 6 }],
    });
    const partly = (await client.getPurchaseOrderByNumber('PO-1'))!;
    // Goods coming in: Inbound (300). Ongoing's 400 is "Deflection", not "partly received".
    expect(partly.purchaseOrderInfo.purchaseOrderStatus).toMatchObject({ number: 300, text: 'Inbound' });
    expect((await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo).toMatchObject({
      numberOfItems: 126,
      toReceiveNumberOfItems: 4,
    });
    // Reception has started: the goods owner may no longer change it.
    await expect(
      client.upsertPurchaseOrder({
        purchaseOrderNumber: 'PO-1',
        purchaseOrderLines: [{ rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: 1 }],
      }),
    ).rejects.toMatchObject({ status: 400, kind: 'non-retryable' });

    await ctl('POST', `/purchase-orders/${purchaseOrderId}/receive`);
    const done = (await client.getPurchaseOrderByNumber('PO-1'))!;
    expect(done.purchaseOrderInfo.purchaseOrderStatus.number).toBe(500);
    expect(done.purchaseOrderLines.map((l) => l.receivedNumberOfItems)).toEqual([10, 5]);
    expect((await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo.numberOfItems).toBe(130);
    expect((await client.getArticleByNumber('GADGET-1'))!.inventoryInfo.numberOfItems).toBe(30);
    expect(await client.getPurchaseOrderByNumber('PO-404')).toBeUndefined();
  });

  it('finishes a reception that is short as Deflection (400), Ongoing\'s "Avvikelse"', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { purchaseOrderId } = await client.upsertPurchaseOrder({
      purchaseOrderNumber: 'PO-D',
      purchaseOrderLines: [{ rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: 10 }],
    });
    await ctl('POST', `/purchase-orders/${purchaseOrderId}/receive`, {
      lines: [{ rowNumber: '1', receivedNumberOfItems: 7 }],
      finish: true,
    });
    const po = (await client.getPurchaseOrderByNumber('PO-D'))!;
    expect(po.purchaseOrderInfo.purchaseOrderStatus).toMatchObject({
      number: PURCHASE_ORDER_STATUS.Deflection,
      text: 'Deflection',
    });
    expect(po.purchaseOrderLines[0]!.receivedNumberOfItems).toBe(7);
    // Reception is over: nothing more comes in, nothing is still expected.
    await expect(ctl('POST', `/purchase-orders/${purchaseOrderId}/receive`)).rejects.toThrow(/409/);
    expect((await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo.toReceiveNumberOfItems).toBe(0);
  });

  it('keeps what the ERP was told per line, and lists only purchase orders with lines still to report', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const seeded = (await ctl('POST', '/purchase-orders/bulk', {
      receive: true,
      purchaseOrders: ['R-1', 'R-2', 'R-3'].map((number) => ({
        purchaseOrderNumber: number,
        purchaseOrderLines: [{ rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: 4 }],
      })),
    })) as { purchaseOrderIds: number[] };
    await client.upsertPurchaseOrder({
      purchaseOrderNumber: 'N-1',
      purchaseOrderLines: [{ rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: 2 }],
    });
    const toReport = async () =>
      (await client.listPurchaseOrders({ onlyPurchaseOrdersWithOrderLinesToReport: true })).map(
        (po) => po.purchaseOrderInfo.purchaseOrderNumber,
      );
    // Received and never reported: listed. Notified with nothing received (reported null, received 0): not listed.
    expect(await toReport()).toEqual(['R-1', 'R-2', 'R-3']);

    const r1 = (await client.getPurchaseOrderByNumber('R-1'))!;
    expect(r1.purchaseOrderInfo.purchaseOrderStatus.number).toBe(PURCHASE_ORDER_STATUS.Received);
    await client.setPurchaseOrderLineReported(r1.purchaseOrderInfo.purchaseOrderId, r1.purchaseOrderLines[0]!.id, 4);
    expect((await client.getPurchaseOrderByNumber('R-1'))!.purchaseOrderLines[0]!.reportedNumberOfItems).toBe(4);
    expect(await toReport()).toEqual(['R-2', 'R-3']);
    // Told less than received: still to report.
    await client.setPurchaseOrderLineReported(r1.purchaseOrderInfo.purchaseOrderId, r1.purchaseOrderLines[0]!.id, 3);
    expect(await toReport()).toEqual(['R-1', 'R-2', 'R-3']);

    // Several numbers in one lookup (repeated purchaseOrderNumbers), paged as Ongoing pages.
    const found = await client.listPurchaseOrders({
      purchaseOrderNumbers: ['R-3', 'N-1', 'NOPE'],
      maxPurchaseOrdersToGet: 3,
    });
    expect(found.map((po) => po.purchaseOrderInfo.purchaseOrderNumber)).toEqual(['R-3', 'N-1']);
    expect(seeded.purchaseOrderIds).toHaveLength(3);
    await expect(
      client.setPurchaseOrderLineReported(r1.purchaseOrderInfo.purchaseOrderId, 999_999, 1),
    ).rejects.toMatchObject({ status: 404 });
  });
});
