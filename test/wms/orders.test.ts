// Orders through the client against the sandbox: create, update, cancel, refusals after start, filters, floor, reporting.
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WmsError, WmsOrderStartedError } from '../../activities/wms/errors';
import type { WmsOrder } from '../../activities/wms/schemas';
import type { WmsSandbox } from '../../simulators/wms/server';
import { toActivityFailure } from '../../activities/integration-error';
import { consignee, newGoodsOwner, startSandbox } from './helpers';

let sandbox: WmsSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const orderBody = (orderNumber: string, lines: Array<[string | number, string, number]>) => ({
  orderNumber,
  deliveryDate: '2030-01-15',
  orderRemark: 'Leave at the door',
  consignee,
  orderLines: lines.map(([rowNumber, articleNumber, numberOfItems]) => ({
    rowNumber: String(rowNumber),
    articleNumber,
    numberOfItems,
  })),
});

describe('orders', () => {
  it('creates an order by PUT, updates it by the same orderNumber while Open, and reads it back', async () => {
    const { client } = await newGoodsOwner(sandbox, { seed: true });
    const created = await client.upsertOrder({
      ...orderBody('FN-1001', [[1, 'WIDGET-1', 2]]),
      smsNotification: { toBeNotified: false },
      emailNotification: { toBeNotified: true, value: 'kund@example.com' },
    });
    const again = await client.upsertOrder(
      orderBody('FN-1001', [
        [1, 'WIDGET-1', 3],
        [2, 'GADGET-1', 1],
      ]),
    );
    expect(again.orderId).toBe(created.orderId);

    const order = await client.getOrder(created.orderId);
    expect(order.orderInfo.orderNumber).toBe('FN-1001');
    expect(order.orderInfo.orderStatus.number).toBe(200);
    expect(order.orderInfo.deliveryDate).toBe('2030-01-15');
    expect(order.consignee?.name).toBe('Kund AB');
    expect(order.orderLines.map((l) => [l.rowNumber, l.article.articleNumber, l.orderedNumberOfItems])).toEqual([
      ['1', 'WIDGET-1', 3],
      ['2', 'GADGET-1', 1],
    ]);
    // The second PUT carried no notification: both flags are back to off.
    expect(order.orderInfo.emailNotification?.toBeNotified).toBe(false);
    expect((await client.findOrderByNumber('FN-1001'))?.orderInfo.orderId).toBe(created.orderId);
    expect(await client.findOrderByNumber('NOPE')).toBeUndefined();
  });

  it('stores and shows the notification flags from the PUT', async () => {
    const { client } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder({
      ...orderBody('FN-N1', [[1, 'WIDGET-1', 1]]),
      emailNotification: { toBeNotified: true, value: 'kund@example.com' },
      smsNotification: { toBeNotified: false },
    });
    const order = await client.getOrder(orderId);
    expect(order.orderInfo.emailNotification).toEqual({ toBeNotified: true, value: 'kund@example.com' });
    expect(order.orderInfo.smsNotification?.toBeNotified).toBe(false);
  });

  it('refuses an order line for an unknown article as a non-retryable error', async () => {
    const { client } = await newGoodsOwner(sandbox, { seed: true });
    const err = await client.upsertOrder(orderBody('FN-X', [[1, 'NO-SUCH', 1]])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect(err).not.toBeInstanceOf(WmsOrderStartedError);
    expect((err as WmsError).kind).toBe('non-retryable');
    expect((err as WmsError).status).toBe(400);
    expect((err as WmsError).message).toContain('NO-SUCH');
  });

  it('cancels an Open order with DELETE (status 1000)', async () => {
    const { client } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(orderBody('FN-C1', [[1, 'WIDGET-1', 1]]));
    await client.cancelOrder(orderId);
    expect((await client.getOrder(orderId)).orderInfo.orderStatus.number).toBe(1000);
    await client.cancelOrder(orderId); // a retried cancel is harmless
    expect((await client.getOrder(orderId)).orderInfo.orderStatus.number).toBe(1000);
  });

  it('refuses update and cancel once the warehouse has started, with WmsOrderStartedError', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(orderBody('FN-S1', [[1, 'WIDGET-1', 2]]));
    await ctl('POST', `/orders/${orderId}/release`);

    const update = await client.upsertOrder(orderBody('FN-S1', [[1, 'WIDGET-1', 5]])).catch((e: unknown) => e);
    expect(update).toBeInstanceOf(WmsOrderStartedError);
    expect(update).toMatchObject({
      orderNumber: 'FN-S1',
      orderStatus: 300,
      orderId,
      kind: 'non-retryable',
      status: 400,
    });

    const cancel = await client.cancelOrder(orderId).catch((e: unknown) => e);
    expect(cancel).toBeInstanceOf(WmsOrderStartedError);
    expect(cancel).toMatchObject({ orderNumber: 'FN-S1', orderStatus: 300 });

    // Nothing changed in the WMS.
    const order = await client.getOrder(orderId);
    expect(order.orderInfo.orderStatus.number).toBe(300);
    expect(order.orderLines[0]!.orderedNumberOfItems).toBe(2);

    const failure = toActivityFailure(update) as ApplicationFailure;
    expect(failure.type).toBe('WmsOrderStarted');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details?.[0]).toMatchObject({ orderNumber: 'FN-S1', orderStatus: 300 });
  });

  it('turns a refusal it cannot explain, because reading the order back failed for a passing reason, into a retryable error', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(orderBody('FN-S2', [[1, 'WIDGET-1', 2]]));
    await ctl('POST', `/orders/${orderId}/release`);
    await ctl('PUT', '/faults', { rules: [{ route: 'GET /orders', errorRate: 1 }] });
    const update = await client.upsertOrder(orderBody('FN-S2', [[1, 'WIDGET-1', 5]])).catch((e: unknown) => e);
    await ctl('DELETE', '/faults');
    expect(update).toBeInstanceOf(WmsError);
    expect(update).toMatchObject({ kind: 'retryable', status: 503 });
    // Once the WMS answers again, the same call is explained as "started".
    expect(await client.upsertOrder(orderBody('FN-S2', [[1, 'WIDGET-1', 5]])).catch((e: unknown) => e)).toBeInstanceOf(
      WmsOrderStartedError,
    );
  });

  it('lets the floor cancel a started order, after which the goods owner cannot update it', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(orderBody('FN-FC', [[1, 'WIDGET-1', 2]]));
    await ctl('POST', `/orders/${orderId}/allocate`);
    await ctl('POST', `/orders/${orderId}/cancel`);
    expect((await client.getOrder(orderId)).orderInfo.orderStatus.number).toBe(1000);
    const err = await client.upsertOrder(orderBody('FN-FC', [[1, 'WIDGET-1', 1]])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect(err).not.toBeInstanceOf(WmsOrderStartedError); // cancelled is not "started"
  });

  it('walks the floor: release, allocate, partial pick with batches, sent with parcels and tracking', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const before = (await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo.numberOfItems;
    const { orderId } = await client.upsertOrder(
      orderBody('FN-P1', [
        [1, 'WIDGET-1', 5],
        [2, 'WIDGET-2', 2],
        [3, 'GADGET-1', 1],
      ]),
    );
    const booked = (await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo;
    expect(booked.numberOfBookedItems).toBe(5);
    expect(booked.sellableNumberOfItems).toBe(before - 5);

    await ctl('POST', `/orders/${orderId}/release`);
    expect((await client.getOrder(orderId)).orderInfo.orderStatus.number).toBe(300);
    await ctl('POST', `/orders/${orderId}/allocate`);
    const allocated = await client.getOrder(orderId);
    expect(allocated.orderInfo.orderStatus.number).toBe(320);
    expect(allocated.orderLines.map((l) => l.allocatedNumberOfItems)).toEqual([5, 2, 1]);
    expect((await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo.allocatedNumberOfItems).toBe(5);

    await ctl('POST', `/orders/${orderId}/pick`, {
      lines: [
        { rowNumber: 1, pickedNumberOfItems: 3, batchNumber: 'B-42' },
        { rowNumber: 2, pickedNumberOfItems: 0 },
      ],
    });
    const picked = await client.getOrder(orderId);
    expect(picked.orderInfo.orderStatus.number).toBe(400);
    expect(picked.orderLines.map((l) => l.pickedNumberOfItems)).toEqual([3, 0, 0]);
    expect(picked.orderLines[0]!.pickedArticleItems).toEqual([{ batchNumber: 'B-42', serial: null, numberOfItems: 3 }]);
    expect((await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo.pickedToBeCollectedNumberOfItems).toBe(3);

    await ctl('POST', `/orders/${orderId}/send`, { parcels: 2, trackingNumbers: ['TRK1', 'TRK2'] });
    const sent = await client.getOrder(orderId);
    expect(sent.orderInfo.orderStatus.number).toBe(450);
    expect(sent.orderInfo.shippedTime).toBeTruthy();
    expect(sent.orderInfo.wayBill).toBeTruthy();
    expect(sent.parcels.map((p) => p.tracking?.trackingUrl)).toEqual([
      'https://tracking.sandbox.invalid/TRK1',
      'https://tracking.sandbox.invalid/TRK2',
    ]);
    expect(sent.tracking.map((t) => t.waybill)).toEqual([sent.orderInfo.wayBill, sent.orderInfo.wayBill]);
    const after = (await client.getArticleByNumber('WIDGET-1'))!.inventoryInfo;
    expect(after.numberOfItems).toBe(before - 3); // only what was picked left the building
    expect(after.allocatedNumberOfItems).toBe(0);
    expect(after.numberOfBookedItems).toBe(0);
  });

  it('sending an unpicked order picks everything first', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(orderBody('FN-Q', [[1, 'WIDGET-2', 4]]));
    await ctl('POST', `/orders/${orderId}/send`);
    const sent = await client.getOrder(orderId);
    expect(sent.orderInfo.orderStatus.number).toBe(450);
    expect(sent.orderLines[0]!.pickedNumberOfItems).toBe(4);
    expect(sent.parcels).toHaveLength(1);
  });

  it('marks picked numbers as reported (PATCH setReportedNumberOfItemsToPickedNumberOfItems)', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(
      orderBody('FN-R', [
        [1, 'WIDGET-1', 2],
        [2, 'WIDGET-2', 1],
      ]),
    );
    await ctl('POST', `/orders/${orderId}/pick`, { lines: [{ rowNumber: '1', pickedNumberOfItems: 2 }] });
    await ctl('POST', `/orders/${orderId}/send`);
    expect(
      (await client.listOrders({ onlyOrdersWithOrderLinesToReport: true })).map((o) => o.orderInfo.orderId),
    ).toEqual([orderId]);
    expect((await client.getOrder(orderId)).orderLines.map((l) => l.reportedNumberOfItems)).toEqual([null, null]);
    await client.markOrderReported(orderId);
    expect((await client.getOrder(orderId)).orderLines.map((l) => l.reportedNumberOfItems)).toEqual([2, 0]);
    expect(await client.listOrders({ onlyOrdersWithOrderLinesToReport: true })).toEqual([]);
  });

  it('lists orders with the real filters: orderNumber, status range, shippedTimeFrom', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const a = await client.upsertOrder(orderBody('L-1', [[1, 'WIDGET-1', 1]]));
    const b = await client.upsertOrder(orderBody('L-2', [[1, 'WIDGET-1', 1]]));
    const c = await client.upsertOrder(orderBody('L-3', [[1, 'WIDGET-1', 1]]));
    await ctl('POST', `/orders/${b.orderId}/release`);
    const beforeSend = new Date(Date.now() - 1000);
    await ctl('POST', `/orders/${c.orderId}/send`);
    const ids = (orders: WmsOrder[]) => orders.map((o) => o.orderInfo.orderId);

    expect(ids(await client.listOrders())).toEqual([a.orderId, b.orderId, c.orderId]);
    expect(ids(await client.listOrders({ orderNumber: 'L-2' }))).toEqual([b.orderId]);
    expect(ids(await client.listOrders({ orderStatusFrom: 200, orderStatusTo: 200 }))).toEqual([a.orderId]);
    expect(ids(await client.listOrders({ orderStatusFrom: 300 }))).toEqual([b.orderId, c.orderId]);
    expect(ids(await client.listOrders({ orderStatusFrom: 450, orderStatusTo: 450 }))).toEqual([c.orderId]);
    expect(ids(await client.listOrders({ shippedTimeFrom: beforeSend }))).toEqual([c.orderId]);
    expect(ids(await client.listOrders({ shippedTimeFrom: new Date(Date.now() + 60_000) }))).toEqual([]);
    expect(ids(await client.listOrders({ orderIdFrom: b.orderId, maxOrdersToGet: 1 }))).toEqual([b.orderId]);
  });

  it('pages through every order with orderIdFrom and maxOrdersToGet', async () => {
    const { client } = await newGoodsOwner(sandbox, { seed: true });
    const created: number[] = [];
    for (let i = 0; i < 7; i++)
      created.push((await client.upsertOrder(orderBody(`PG-${i}`, [[1, 'WIDGET-1', 1]]))).orderId);
    const pages: number[][] = [];
    for await (const page of client.orderPages({}, 3)) pages.push(page.map((o) => o.orderInfo.orderId));
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(created);
  });

  it('keeps goods owners apart and refuses wrong credentials as non-retryable 401', async () => {
    const one = await newGoodsOwner(sandbox, { seed: true });
    const two = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await one.client.upsertOrder(orderBody('ISO-1', [[1, 'WIDGET-1', 1]]));
    const err = await two.client.getOrder(orderId).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, kind: 'non-retryable' });
    expect(await two.client.listOrders()).toEqual([]);

    const { WmsClient } = await import('../../activities/wms/client');
    const bad = new WmsClient({
      baseUrl: `${sandbox.url}/${one.creds.warehouse}`,
      username: one.creds.username,
      password: 'wrong',
      goodsOwnerId: one.creds.goodsOwnerId,
    });
    await expect(bad.listOrders()).rejects.toMatchObject({ status: 401, kind: 'non-retryable' });
  });
});

// Ongoing's PostOrderModel requires deliveryDate and consignee, has no goodsOwnerOrderReference and no consignee e-mail
// or phone, and GetOrderLine.rowNumber is a string that is null on a line the warehouse added itself.
describe('orders as Ongoing models them', () => {
  const rawPut = async (creds: { warehouse: string; username: string; password: string }, body: unknown) => {
    const res = await fetch(`${sandbox.url}/${creds.warehouse}/api/v1/orders`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { message?: string } };
  };

  it('refuses an order without deliveryDate or without consignee with 400, as Ongoing does', async () => {
    const { creds } = await newGoodsOwner(sandbox, { seed: true });
    const base = { goodsOwnerId: creds.goodsOwnerId, ...orderBody('REQ-1', [[1, 'WIDGET-1', 1]]) };
    const { deliveryDate: _d, ...noDate } = base;
    const { consignee: _c, ...noConsignee } = base;
    const withoutDate = await rawPut(creds, noDate);
    expect(withoutDate.status).toBe(400);
    expect(withoutDate.body.message).toContain('deliveryDate');
    const withoutConsignee = await rawPut(creds, noConsignee);
    expect(withoutConsignee.status).toBe(400);
    expect(withoutConsignee.body.message).toContain('consignee');
    expect((await rawPut(creds, base)).status).toBe(201);
  });

  it('drops fields its model does not have, like Ongoing: nothing comes back as goodsOwnerOrderReference or consignee e-mail', async () => {
    const { creds, client } = await newGoodsOwner(sandbox, { seed: true });
    const body = {
      goodsOwnerId: creds.goodsOwnerId,
      ...orderBody('DROP-1', [[1, 'WIDGET-1', 1]]),
      goodsOwnerOrderReference: 'PO-77',
      consignee: { ...consignee, email: 'kund@example.com', mobilePhone: '0701234567' },
      consigneeOrderNumber: 'PO-77',
    };
    const { status } = await rawPut(creds, body);
    expect(status).toBe(201);
    const order = (await client.findOrderByNumber('DROP-1'))!;
    expect(
      JSON.stringify(
        await (
          await fetch(`${sandbox.url}/${creds.warehouse}/api/v1/orders/${order.orderInfo.orderId}`, {
            headers: {
              authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`,
            },
          })
        ).json(),
      ),
    ).not.toMatch(/goodsOwnerOrderReference|kund@example\.com|0701234567/);
    expect(order.orderInfo.consigneeOrderNumber).toBe('PO-77');
  });

  it('the client refuses, before sending, an order Ongoing would refuse or silently cut short', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    await ctl('DELETE', '/calls');
    const { deliveryDate: _d, ...noDate } = orderBody('CL-1', [[1, 'WIDGET-1', 1]]);
    const missing = await client.upsertOrder(noDate).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WmsError);
    expect(missing).toMatchObject({ kind: 'non-retryable' });
    expect((missing as Error).message).toContain('deliveryDate');
    const unknownField = await client
      .upsertOrder({ ...orderBody('CL-2', [[1, 'WIDGET-1', 1]]), goodsOwnerOrderReference: 'X' } as never)
      .catch((e: unknown) => e);
    expect((unknownField as Error).message).toContain('goodsOwnerOrderReference');
    expect(((await ctl('GET', '/calls')) as { total: number }).total).toBe(0);
  });

  it('reads an order with a line the warehouse added (rowNumber null)', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(orderBody('ADD-1', [[1, 'WIDGET-1', 2]]));
    await ctl('POST', `/orders/${orderId}/lines`, { articleNumber: 'GADGET-1', numberOfItems: 1 });
    await ctl('POST', `/orders/${orderId}/send`);
    const order = await client.getOrder(orderId);
    expect(order.orderLines.map((l) => [l.rowNumber, l.article.articleNumber, l.pickedNumberOfItems])).toEqual([
      ['1', 'WIDGET-1', 2],
      [null, 'GADGET-1', 1],
    ]);
  });
});

describe('paging, as Ongoing asks of large goods owners', () => {
  it('times out a list that is not read page by page, and serves the same list in pages', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    for (let i = 0; i < 3; i++) await client.upsertOrder(orderBody(`LIM-${i}`, [[1, 'WIDGET-1', 1]]));
    await ctl('PUT', '/limits', { unpagedListLimit: 2 });
    await expect(client.listOrders()).rejects.toMatchObject({ status: 500, kind: 'retryable' });
    await expect(client.listArticles()).rejects.toMatchObject({ status: 500 });
    const paged: string[] = [];
    for await (const page of client.orderPages({}, 2)) paged.push(...page.map((o) => o.orderInfo.orderNumber));
    expect(paged).toEqual(['LIM-0', 'LIM-1', 'LIM-2']);
    expect((await client.findOrderByNumber('LIM-1'))?.orderInfo.orderNumber).toBe('LIM-1'); // a narrow filter needs no page
    expect(await client.getInventoryPerWarehouse()).toHaveLength(3);
  });
});
