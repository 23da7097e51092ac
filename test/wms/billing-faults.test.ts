// Billing specification, fault injection and call accounting, failure classification, reset and the autopilot.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WmsClient } from '../../activities/wms/client';
import { WmsError, WmsSchemaError, toApplicationFailure } from '../../activities/wms/errors';
import type { WmsSandbox } from '../../simulators/wms/server';
import { consignee, control, newGoodsOwner, startSandbox, waitFor } from './helpers';

let sandbox: WmsSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const order = (orderNumber: string, n = 2) => ({
  orderNumber,
  deliveryDate: '2030-01-15',
  consignee,
  orderLines: [
    { rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: n },
    { rowNumber: '2', articleNumber: 'WIDGET-2', numberOfItems: 1 },
  ],
});

describe('billing specification', () => {
  it('bills floor activity in the period, and its version changes when the activity changes', async () => {
    const { client, ctl, creds } = await newGoodsOwner(sandbox, { seed: true });
    // Yesterday to tomorrow, so the test holds across midnight UTC.
    const period = { from: day(-1), to: day(1) };
    const empty = await client.getBillingSpecification(period);
    expect(empty).toMatchObject({ goodsOwnerId: creds.goodsOwnerId, periodFrom: period.from, periodTo: period.to });
    expect(empty.lines.map((l) => l.feeCode)).toEqual(['STORAGE']);

    const a = await client.upsertOrder(order('B-1'));
    const b = await client.upsertOrder(order('B-2'));
    await ctl('POST', `/orders/${a.orderId}/send`, { parcels: 2 });
    await ctl('POST', `/orders/${b.orderId}/pick`, { lines: [{ rowNumber: 1, pickedNumberOfItems: 2 }] });
    await ctl('POST', `/orders/${b.orderId}/send`);
    const { purchaseOrderId } = await client.upsertPurchaseOrder({
      purchaseOrderNumber: 'BPO-1',
      purchaseOrderLines: [{ rowNumber: '1', articleNumber: 'GADGET-1', numberOfItems: 3 }],
    });
    await ctl('POST', `/purchase-orders/${purchaseOrderId}/receive`);

    const spec = await client.getBillingSpecification(period);
    const qty = Object.fromEntries(spec.lines.map((l) => [l.feeCode, l.quantity]));
    expect(qty).toEqual({ STORAGE: 3, ORDER: 2, PICKLINE: 3, PARCEL: 3, INBOUND: 1 });
    for (const line of spec.lines) {
      expect(line.description).not.toBe('');
      expect(line.unitPrice).toBeGreaterThan(0);
      expect(line.unit).not.toBe('');
    }
    expect(spec.version).not.toBe(empty.version);
    expect((await client.getBillingSpecification(period)).version).toBe(spec.version); // stable when nothing changes

    await ctl('POST', '/stock-adjustments', { articleNumber: 'WIDGET-1', delta: -1, reason: 'damage' });
    const changed = await client.getBillingSpecification(period);
    expect(changed.version).not.toBe(spec.version);
    expect(changed.specificationId).toBe(spec.specificationId);

    // A period that ended two days ago holds none of this activity.
    const before = await client.getBillingSpecification({ from: '2020-01-01', to: day(-2) });
    expect(before.lines.map((l) => l.feeCode)).toEqual(['STORAGE']);
  });

  it('refuses a malformed period as non-retryable', async () => {
    const { client } = await newGoodsOwner(sandbox);
    await expect(client.getBillingSpecification({ from: '2024-13-01', to: 'x' })).rejects.toMatchObject({
      status: 400,
      kind: 'non-retryable',
    });
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
    expect(toApplicationFailure(err).nonRetryable).toBe(false);
    await client.listArticles(); // other routes are untouched

    // Same seed, same sequence of failures.
    const pattern = async () => {
      await ctl('PUT', '/faults', { rules: [{ route: '/orders', errorRate: 0.5, seed: 7 }] });
      const out: boolean[] = [];
      for (let i = 0; i < 12; i++) out.push(await client.listOrders().then(() => true, () => false));
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
    fake.get('/w/api/v1/orders/4', async (_req, reply) => reply.code(502).type('text/html').send('<html>Bad gateway</html>'));
    await fake.listen({ port: 0, host: '127.0.0.1' });
    const address = fake.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = new WmsClient({ baseUrl: `http://127.0.0.1:${port}/w`, username: 'WSI', password: 'p', goodsOwnerId: 1 });
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
    const client = new WmsClient({ baseUrl: `http://127.0.0.1:${port}/w`, username: 'WSI', password: 'p', goodsOwnerId: 1 });
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
