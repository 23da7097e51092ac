// 3PL billing sources (invoice charges, historical inventory, orders shipped in a window), fault injection and call
// accounting, failure classification, reset and the autopilot.
import type { ApplicationFailure } from '@temporalio/common';
import Fastify, { type FastifyReply } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WmsClient } from '../../activities/wms/client';
import { WmsError, WmsInvoiceChargesNotPermittedError, WmsSchemaError } from '../../activities/wms/errors';
import type { WmsSandbox } from '../../simulators/wms/server';
import { toActivityFailure } from '../../activities/integration-error';
import { consignee, control, newGoodsOwner, startSandbox, waitFor } from './helpers';

let sandbox: WmsSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const order = (orderNumber: string, n = 2) => ({
  orderNumber,
  deliveryDate: '2030-01-15',
  consignee,
  orderLines: [
    { rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: n },
    { rowNumber: '2', articleNumber: 'WIDGET-2', numberOfItems: 1 },
  ],
});

/** A fake Ongoing answering only the given GET routes (under /w/api/v1), and a client for it. */
async function fakeOngoing(routes: Record<string, (reply: FastifyReply) => unknown>) {
  const fake = Fastify();
  for (const [path, answer] of Object.entries(routes))
    fake.get(`/w/api/v1${path}`, async (_req, reply) => answer(reply));
  await fake.listen({ port: 0, host: '127.0.0.1' });
  const address = fake.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const client = new WmsClient({
    baseUrl: `http://127.0.0.1:${port}/w`,
    username: 'WSI',
    password: 'p',
    goodsOwnerId: 1,
  });
  return { client, close: () => fake.close() };
}

describe('invoice charges (GET /orders/{orderId}/invoiceCharges)', () => {
  it("books a sent order's charges from the invoice articles, in Ongoing's shape", async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(order('IC-1', 3));
    expect(await client.getOrderInvoiceCharges(orderId)).toEqual([]); // nothing is charged before the order is sent
    await ctl('POST', `/orders/${orderId}/send`, { parcels: 2 });

    const charges = await client.getOrderInvoiceCharges(orderId);
    expect(charges.map((c) => [c.invoiceArticle?.code, c.invoiceArticle?.title, c.numberOfItems, c.price])).toEqual([
      ['ORDER', 'Order handling', 1, 25],
      ['PICKLINE', 'Pick lines', 2, 4],
      ['PARCEL', 'Parcels', 2, 12],
    ]);
    for (const charge of charges) {
      expect(charge).toMatchObject({
        chargeId: expect.any(Number),
        invoiceId: expect.any(Number),
        profitCenter: null,
        invoiceArticle: { invoiceArticleId: expect.any(Number), account: '3041' },
      });
      expect(Date.parse(charge.actionDate!)).not.toBeNaN();
    }

    // Another price list for this goods owner: orders sent from now on are charged by it; what was booked stays.
    const { articles } = (await ctl('PUT', '/invoice-articles', {
      articles: [
        { code: 'ORDER', title: 'Orderhantering', price: 30, per: 'order' },
        { code: 'PICKITEM', price: 1.5, per: 'pickedItem', account: '3042' },
      ],
    })) as { articles: Array<{ code: string; invoiceArticleId: number }> };
    expect(articles.find((a) => a.code === 'ORDER')!.invoiceArticleId).toBe(
      charges[0]!.invoiceArticle!.invoiceArticleId,
    );
    const next = await client.upsertOrder(order('IC-2', 3));
    await ctl('POST', `/orders/${next.orderId}/send`);
    expect(
      (await client.getOrderInvoiceCharges(next.orderId)).map((c) => [
        c.invoiceArticle?.code,
        c.invoiceArticle?.title,
        c.numberOfItems,
        c.price,
      ]),
    ).toEqual([
      ['ORDER', 'Orderhantering', 1, 30],
      ['PICKITEM', 'PICKITEM', 4, 1.5],
    ]);
    expect(await client.getOrderInvoiceCharges(orderId)).toEqual(charges);
    await expect(client.getOrderInvoiceCharges(999_999)).rejects.toMatchObject({ status: 404 });
  });

  it('a withdrawn permission answers 403: a non-retryable failure that says where to grant it', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const { orderId } = await client.upsertOrder(order('IC-P'));
    await ctl('POST', `/orders/${orderId}/send`);
    expect(await ctl('PUT', '/permissions', { invoiceCharges: false })).toEqual({ invoiceCharges: false });

    const err = await client.getOrderInvoiceCharges(orderId).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsInvoiceChargesNotPermittedError);
    expect(err).toMatchObject({ status: 403, kind: 'non-retryable', orderId });
    expect((err as Error).message).toMatch(/Administration → Integration → API for goods owners/);
    const failure = toActivityFailure(err);
    expect(failure).toMatchObject({ type: 'WmsInvoiceChargesNotPermitted', nonRetryable: true });
    // Only the charges need the permission.
    expect((await client.getOrder(orderId)).orderInfo.orderStatus.number).toBe(450);

    await ctl('PUT', '/permissions', { invoiceCharges: true });
    expect(await client.getOrderInvoiceCharges(orderId)).toHaveLength(3);
  });

  it('reads a null body as no charges, and a 401 as the missing permission too', async () => {
    const fake = await fakeOngoing({
      '/orders/1/invoiceCharges': (reply) => reply.type('application/json').send('null'),
      '/orders/2/invoiceCharges': (reply) =>
        reply.code(401).send({ message: 'Authorization has been denied for this request.' }),
      '/orders/3/invoiceCharges': () => [{ chargeId: 1, numberOfItems: 1, invoiceArticle: { code: 'ORDER' } }],
    });
    try {
      expect(await fake.client.getOrderInvoiceCharges(1)).toEqual([]);
      await expect(fake.client.getOrderInvoiceCharges(2)).rejects.toBeInstanceOf(WmsInvoiceChargesNotPermittedError);
      // A charge without a price cannot be billed: refused, naming the field.
      await expect(fake.client.getOrderInvoiceCharges(3)).rejects.toThrow(/0\.price/);
    } finally {
      await fake.close();
    }
  });
});

describe('what the billing period reads besides the charges', () => {
  it("has no billing specification: Ongoing's REST v1 has none, so the sandbox invents none", async () => {
    const { creds } = await newGoodsOwner(sandbox);
    const res = await fetch(
      `${sandbox.url}/${creds.warehouse}/api/v1/invoicing/billingSpecification?goodsOwnerId=${creds.goodsOwnerId}` +
        '&from=2026-10-01&to=2026-10-31',
      { headers: { authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` } },
    );
    expect(res.status).toBe(404);
  });

  it('lists the orders shipped in a window: shippedTimeFrom inclusive, shippedTimeTo exclusive', async () => {
    const local = await startSandbox();
    try {
      const { client, ctl } = await newGoodsOwner(local, { seed: true });
      const at = (iso: string) => {
        local.state.now = () => new Date(iso);
      };
      const sent = async (orderNumber: string, when: string) => {
        const { orderId } = await client.upsertOrder(order(orderNumber));
        at(when);
        await ctl('POST', `/orders/${orderId}/send`);
        return orderId;
      };
      const september = await sent('S-1', '2026-09-30T21:59:59.999Z');
      const first = await sent('S-2', '2026-09-30T22:00:00.000Z');
      const last = await sent('S-3', '2026-10-31T22:59:59.999Z');
      await sent('S-4', '2026-10-31T23:00:00.000Z');
      await client.upsertOrder(order('S-OPEN')); // never shipped: in no window
      const shipped = async (from: string, to: string) =>
        (await client.listOrders({ shippedTimeFrom: from, shippedTimeTo: to })).map((o) => o.orderInfo.orderId);
      expect(await shipped('2026-09-30T22:00:00.000Z', '2026-10-31T23:00:00.000Z')).toEqual([first, last]);
      expect(await shipped('2026-08-31T22:00:00.000Z', '2026-09-30T22:00:00.000Z')).toEqual([september]);
    } finally {
      await local.close();
    }
  });

  it('tells the stock at a moment in the past (GET /articles/historicalInventory), in all warehouses or one', async () => {
    const local = await startSandbox();
    try {
      const at = (iso: string) => {
        local.state.now = () => new Date(iso);
      };
      at('2026-10-01T08:00:00Z');
      const { client, ctl } = await newGoodsOwner(local, { seed: true }); // WIDGET-1 120, WIDGET-2 80, GADGET-1 25
      at('2026-10-10T08:00:00Z');
      const { orderId } = await client.upsertOrder(order('H-1', 20)); // 20 WIDGET-1, 1 WIDGET-2
      await ctl('POST', `/orders/${orderId}/send`);
      at('2026-10-20T08:00:00Z');
      await ctl('POST', '/stock-adjustments', {
        articleNumber: 'GADGET-1',
        warehouse: 'Second',
        delta: 5,
        reason: 'count',
      });
      at('2026-11-02T08:00:00Z');
      await ctl('POST', '/stock-adjustments', { articleNumber: 'WIDGET-1', delta: -100, reason: 'damage' });

      const stock = async (date: string, warehouseId?: number) =>
        Object.fromEntries(
          (await client.getHistoricalInventory(date, warehouseId))
            .flatMap((entry) => entry.articles)
            .map((a) => [a.articleNumber, a.numberOfItems]),
        );
      expect(await stock('2026-10-05T00:00:00Z')).toEqual({ 'WIDGET-1': 120, 'WIDGET-2': 80, 'GADGET-1': 25 });
      expect(await stock('2026-11-01T00:00:00Z')).toEqual({ 'WIDGET-1': 100, 'WIDGET-2': 79, 'GADGET-1': 30 });
      expect(await stock('2026-11-01T00:00:00Z', 2)).toEqual({ 'WIDGET-1': 0, 'WIDGET-2': 0, 'GADGET-1': 5 });
      expect(await stock('2026-12-01T00:00:00Z')).toEqual({ 'WIDGET-1': 0, 'WIDGET-2': 79, 'GADGET-1': 30 });
      await expect(client.getHistoricalInventory('not a date')).rejects.toMatchObject({ status: 400 });
    } finally {
      await local.close();
    }
  });
});

describe('faults and call accounting', () => {
  it('counts calls per route and injects seeded 503s that the client classifies as retryable', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    await client.listOrders();
    await client.listOrders();
    await client.upsertOrder(order('F-1'));
    expect(await ctl('GET', '/calls')).toEqual({ total: 3, byRoute: { 'GET /orders': 2, 'PUT /orders': 1 } });
    await ctl('DELETE', '/calls');
    expect(await ctl('GET', '/calls')).toEqual({ total: 0, byRoute: {} });

    await ctl('PUT', '/faults', { rules: [{ route: 'GET /orders', errorRate: 1 }] });
    const err = await client.listOrders().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WmsError);
    expect(err).toMatchObject({ status: 503, kind: 'retryable', method: 'GET', path: '/orders' });
    expect((toActivityFailure(err) as ApplicationFailure).nonRetryable).toBe(false);
    await client.listArticles(); // other routes are untouched

    // Same seed, same sequence of failures.
    const pattern = async () => {
      await ctl('PUT', '/faults', { rules: [{ route: '/orders', errorRate: 0.5, seed: 7 }] });
      const out: boolean[] = [];
      for (let i = 0; i < 12; i++)
        out.push(
          await client.listOrders().then(
            () => true,
            () => false,
          ),
        );
      return out;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);

    await ctl('DELETE', '/faults');
    await client.listOrders();
    const calls = (await ctl('GET', '/calls')) as { total: number; byRoute: Record<string, number> };
    expect(calls.byRoute['GET /orders']).toBe(1 + 24 + 1);
    expect(calls.byRoute['GET /articles']).toBe(1);
  });

  it('timeout after commit: the change is stored, the client sees a retryable failure', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    await ctl('PUT', '/faults', { rules: [{ route: 'PUT /orders', timeoutAfterCommitRate: 1 }] });
    const err = await client.upsertOrder(order('F-T')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'retryable', status: undefined });
    await ctl('DELETE', '/faults');
    expect((await client.findOrderByNumber('F-T'))?.orderInfo.orderStatus.number).toBe(200);
    // Retrying the PUT is safe: same order.
    const again = await client.upsertOrder(order('F-T'));
    expect((await client.listOrders({ orderNumber: 'F-T' })).map((o) => o.orderInfo.orderId)).toEqual([again.orderId]);
  });

  it('latency beyond the client timeout is a retryable failure', async () => {
    const { client: _unused, ctl, creds } = await newGoodsOwner(sandbox);
    const client = new WmsClient({
      baseUrl: `${sandbox.url}/${creds.warehouse}`,
      username: creds.username,
      password: creds.password,
      goodsOwnerId: creds.goodsOwnerId,
      timeoutMs: 50,
    });
    await ctl('PUT', '/faults', { rules: [{ route: '*', latencyMs: 300 }] });
    await expect(client.listArticles()).rejects.toMatchObject({ kind: 'retryable', status: undefined });
    await ctl('DELETE', '/faults');
  });
});

describe('client failure classification on bad bodies', () => {
  it('names the field on schema violations and rejects HTML and empty bodies', async () => {
    const fake = Fastify();
    fake.get('/w/api/v1/orders/1', async () => ({ orderInfo: { orderId: 1 }, orderLines: [] }));
    fake.get('/w/api/v1/orders/2', async (_req, reply) => reply.type('text/html').send('<html>Maintenance</html>'));
    fake.get('/w/api/v1/orders/3', async (_req, reply) => reply.code(200).send(''));
    fake.get('/w/api/v1/orders/4', async (_req, reply) =>
      reply.code(502).type('text/html').send('<html>Bad gateway</html>'),
    );
    await fake.listen({ port: 0, host: '127.0.0.1' });
    const address = fake.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = new WmsClient({
      baseUrl: `http://127.0.0.1:${port}/w`,
      username: 'WSI',
      password: 'p',
      goodsOwnerId: 1,
    });
    try {
      const missing = await client.getOrder(1).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(WmsSchemaError);
      expect((missing as WmsSchemaError).message).toContain('orderInfo.orderNumber');
      expect((missing as WmsSchemaError).kind).toBe('non-retryable');

      const html = await client.getOrder(2).catch((e: unknown) => e);
      expect(html).toBeInstanceOf(WmsSchemaError);
      expect((html as Error).message).toMatch(/not JSON/);

      const empty = await client.getOrder(3).catch((e: unknown) => e);
      expect(empty).toBeInstanceOf(WmsSchemaError);

      await expect(client.getOrder(4)).rejects.toMatchObject({ status: 502, kind: 'retryable' });
    } finally {
      await fake.close();
    }
  });

  it('classifies a refused connection as retryable', async () => {
    const fake = Fastify();
    await fake.listen({ port: 0, host: '127.0.0.1' });
    const address = fake.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await fake.close();
    const client = new WmsClient({
      baseUrl: `http://127.0.0.1:${port}/w`,
      username: 'WSI',
      password: 'p',
      goodsOwnerId: 1,
    });
    await expect(client.listOrders()).rejects.toMatchObject({ kind: 'retryable', method: 'GET', path: '/orders' });
  });
});

describe('autopilot and reset', () => {
  it('walks an order across the floor to Sent at the configured pace', async () => {
    const local = await startSandbox();
    try {
      const { client } = await newGoodsOwner(local, { seed: true });
      const { orderId } = await client.upsertOrder(order('AP-1'));
      await control(local, 'PUT', '/autopilot', { enabled: true, stepMs: 20 });
      const sent = await waitFor(async () => {
        const o = await client.getOrder(orderId);
        return o.orderInfo.orderStatus.number === 450 ? o : undefined;
      }, 'the autopilot to send the order');
      expect(sent.orderLines.map((l) => l.pickedNumberOfItems)).toEqual([2, 1]);
      expect(sent.parcels.length).toBe(1);
      expect(await control(local, 'PUT', '/autopilot', { enabled: false })).toMatchObject({ enabled: false });
    } finally {
      await local.close();
    }
  });

  it('reset forgets every goods owner and their credentials', async () => {
    const local = await startSandbox();
    try {
      const { client } = await newGoodsOwner(local, { seed: true });
      expect((await client.listArticles()).length).toBe(3);
      await control(local, 'POST', '/reset');
      await expect(client.listArticles()).rejects.toMatchObject({ status: 401 });
      const fresh = await newGoodsOwner(local);
      expect(fresh.creds.username).toMatch(/^WSI/);
      expect(await fresh.client.listArticles()).toEqual([]);
    } finally {
      await local.close();
    }
  });
});
