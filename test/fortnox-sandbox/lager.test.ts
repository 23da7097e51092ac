// Fortnox Lager in the sandbox: FIFO lots, custom documents and their rules, stock points, nightly job, and orders under Lager.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxSandbox } from '../../simulators/fortnox/server';
import { apiFor, createTenant, http, startSandbox, tenantWithBasics } from './helpers';
import type { Api, J, TenantCredentials } from './helpers';

let sandbox: FortnoxSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => sandbox.close());

const W = 'api/warehouse';
const doc = (direction: 'inbound' | 'outbound', type: string, id: string) =>
  `${W}/documentdeliveries/custom/${direction}-v1/${type}/${id}`;
const today = (): string => sandbox.state.today();

async function lagerTenant(extra: J = {}): Promise<{ t: TenantCredentials; api: Api; customerNumber: string }> {
  return tenantWithBasics(sandbox, { lager: true, ...extra }, ['A1', 'A2', 'A3']);
}

async function receive(api: Api, id: string, rows: J[], type = 'WMSIN'): Promise<void> {
  const put = await api.put(doc('inbound', type, id), { json: { date: today(), rows } });
  expect(put.statusCode).toBe(200);
  expect((await api.put(`${doc('inbound', type, id)}/release`)).statusCode).toBe(204);
}

async function balance(api: Api, itemId: string): Promise<{ inStock: number; availableStock: number }> {
  const rows = (await api.get(`${W}/status-v1/stockbalance`, { searchParams: { itemIds: itemId } })).body as J[];
  return rows.reduce<{ inStock: number; availableStock: number }>(
    (s, r) => ({ inStock: s.inStock + r.inStock, availableStock: s.availableStock + r.availableStock }),
    { inStock: 0, availableStock: 0 },
  );
}

const article = async (api: Api, n: string): Promise<J> => ((await api.get(`3/articles/${n}`)).body as J).Article;

describe('FIFO and documents', () => {
  it('the worked example: two lots at different costs, one outbound across both takes the oldest first', async () => {
    const { api } = await lagerTenant();
    // An inbound counts only once released.
    await api.put(doc('inbound', 'WMSIN', '1'), {
      json: { date: today(), rows: [{ itemId: 'A1', quantity: 10, directCost: 100 }] },
    });
    expect((await article(api, 'A1')).QuantityInStock).toBe(0);
    await api.put(`${doc('inbound', 'WMSIN', '1')}/release`);
    await receive(api, '2', [{ itemId: 'A1', quantity: 10, directCost: 120, freightCost: 10 }]);
    expect(await article(api, 'A1')).toMatchObject({ QuantityInStock: 20, StockValue: 2300 });

    const out = (
      await api.put(doc('outbound', 'WMSOUT', '1'), {
        json: { date: today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: 15 }] },
      })
    ).body as J;
    expect(out.rows[0]).toMatchObject({ deliveredQuantity: 15 });
    // 10 × 100 from the first lot, then 5 × 130 from the second: 1650 leaves, average 110 (Fortnox: averageCostInSEK,
    // per item and stock point uuid).
    const [lager] = (await api.get(`${W}/stockpoints-v1`)).body as J[];
    expect(out.averageCosts).toEqual([{ itemId: 'A1', stockPointId: lager!.id, averageCostInSEK: 110 }]);
    expect(await article(api, 'A1')).toMatchObject({ QuantityInStock: 5, StockValue: 650 });
  });

  it('reservation lowers available stock only; delivery then lowers stock; short reservation and delivery are partial', async () => {
    const { api } = await lagerTenant();
    await receive(api, '1', [{ itemId: 'A1', quantity: 5, directCost: 10 }]);
    const reserved = (
      await api.put(doc('outbound', 'PICK', '7'), {
        json: { date: today(), deliveryState: 'reservation', rows: [{ itemId: 'A1', quantity: 8 }] },
      })
    ).body as J;
    expect(reserved.rows[0].reservedQuantity).toBe(5);
    expect(await balance(api, 'A1')).toEqual({ inStock: 5, availableStock: 0 });
    expect(await article(api, 'A1')).toMatchObject({ QuantityInStock: 5, ReservedQuantity: 5, DisposableQuantity: 0 });

    const delivered = (
      await api.put(doc('outbound', 'PICK', '7'), {
        json: { date: today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: 8 }] },
      })
    ).body as J;
    expect(delivered.rows[0]).toMatchObject({ deliveredQuantity: 5, forcedQuantity: 0 });
    expect(await balance(api, 'A1')).toEqual({ inStock: 0, availableStock: 0 });
  });

  it('forced delivery goes into negative stock; later inbound settles it', async () => {
    const { api } = await lagerTenant();
    await receive(api, '1', [{ itemId: 'A2', quantity: 2, directCost: 50 }]);
    const out = (
      await api.put(doc('outbound', 'SHIP', '1'), {
        json: { date: today(), deliveryState: 'delivery', forcedDelivery: true, rows: [{ itemId: 'A2', quantity: 5 }] },
      })
    ).body as J;
    expect(out.rows[0]).toMatchObject({ deliveredQuantity: 5, forcedQuantity: 3 });
    expect((await article(api, 'A2')).QuantityInStock).toBe(-3);
    await receive(api, '2', [{ itemId: 'A2', quantity: 4, directCost: 60 }]);
    expect(await article(api, 'A2')).toMatchObject({ QuantityInStock: 1, StockValue: 60 });
  });

  it('negative rows flip direction on inbound and outbound documents', async () => {
    const { api } = await lagerTenant();
    await receive(api, '1', [{ itemId: 'A1', quantity: 10, directCost: 20 }]);
    await api.put(doc('outbound', 'RETURN', '1'), {
      json: { date: today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: -2 }] },
    });
    expect((await article(api, 'A1')).QuantityInStock).toBe(12);
    await receive(api, '2', [{ itemId: 'A1', quantity: -3, directCost: 20 }]);
    expect((await article(api, 'A1')).QuantityInStock).toBe(9);
  });

  it('type rules: reserved names, direction fixed at first use, characters, digit-only ids', async () => {
    const { api } = await lagerTenant();
    const row = [{ itemId: 'A1', quantity: 1 }];
    for (const reserved of ['ORDER', 'kund-order', 'Customer_Invoice', 'FÖLJESEDEL', 'manualinbound']) {
      const response = await api.put(doc('inbound', encodeURIComponent(reserved), '1'), {
        json: { date: today(), rows: row },
      });
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatchObject({
        error: 'referenceTypeNotAllowed',
        id: expect.any(String),
        message: expect.any(String),
      });
    }
    expect((await api.put(doc('inbound', 'wms-in', '1'), { json: { date: today(), rows: row } })).statusCode).toBe(200);
    // Case-insensitive: WMS-IN is the same type, registered as INBOUND.
    const wrongWay = await api.put(doc('outbound', 'WMS-IN', '2'), {
      json: { date: today(), deliveryState: 'registration', rows: row },
    });
    expect(wrongWay.statusCode).toBe(400);
    const types = (await api.get(`${W}/documentdeliveries/custom/documenttypes-v1`)).body as J[];
    expect(types).toEqual([{ referenceType: 'WMS-IN', category: 'INBOUND' }]);
    expect((await api.put(doc('inbound', 'WMS-IN', '12a'), { json: { date: today(), rows: row } })).statusCode).toBe(
      400,
    );
    expect((await api.put(doc('inbound', 'WMS.IN', '1'), { json: { date: today(), rows: row } })).statusCode).toBe(400);
    expect(
      (await api.put(doc('inbound', 'A'.repeat(26), '1'), { json: { date: today(), rows: row } })).statusCode,
    ).toBe(400);
  });

  it('released documents are locked; void undoes them; void of consumed stock needs force', async () => {
    const { api } = await lagerTenant();
    await receive(api, '1', [{ itemId: 'A1', quantity: 10, directCost: 5 }]);
    const locked = await api.put(doc('inbound', 'WMSIN', '1'), {
      json: { date: today(), rows: [{ itemId: 'A1', quantity: 99 }] },
    });
    expect(locked.statusCode).toBe(400);
    expect((locked.body as J).error).toBe('cannot_modify_released_document');
    await api.put(doc('outbound', 'WMSOUT', '1'), {
      json: { date: today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: 4 }] },
    });
    const refused = await api.put(`${doc('inbound', 'WMSIN', '1')}/void`);
    expect(refused.statusCode).toBe(400);
    expect((await article(api, 'A1')).QuantityInStock).toBe(6);
    const voided = await api.put(`${doc('inbound', 'WMSIN', '1')}/void`, { searchParams: { force: 'true' } });
    expect(voided.statusCode).toBe(204); // "no content", as Fortnox documents
    expect(((await api.get(doc('inbound', 'WMSIN', '1'))).body as J).voided).toBe(true);
    expect((await article(api, 'A1')).QuantityInStock).toBe(-4);
    expect(
      ((await api.put(`${doc('inbound', 'WMSIN', '1')}/void`, { searchParams: { force: 'true' } })).body as J).error,
    ).toBe('document_is_voided');
    // Voiding an outbound gives its stock back.
    await api.put(`${doc('outbound', 'WMSOUT', '1')}/void`);
    expect((await article(api, 'A1')).QuantityInStock).toBe(0);
    // A document dated in the future cannot be released.
    await api.put(doc('inbound', 'WMSIN', '2'), {
      json: { date: '2999-01-01', rows: [{ itemId: 'A1', quantity: 1 }] },
    });
    expect(((await api.put(`${doc('inbound', 'WMSIN', '2')}/release`)).body as J).error).toBe(
      'cannot_release_later_than_current_date',
    );
  });

  it('malformed JSON gets the warehouse error shape; warehouse routes need Lager; tenants-v4 tells which', async () => {
    const { api } = await lagerTenant();
    const bad = await api.put(doc('inbound', 'WMSIN', '1'), {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.body as J).error).toBe('invalidJson');
    expect((await api.get(`${W}/tenants-v4`)).body).toMatchObject({ activated: true });
    const plain = await apiFor(sandbox, await createTenant(sandbox, { lager: false }));
    expect((await plain.get(`${W}/tenants-v4`)).body).toMatchObject({ activated: false });
    expect((await plain.get(`${W}/status-v1/stockbalance`)).statusCode).toBe(403);
  });
});

describe('stock points', () => {
  it('default rules: row point, else the item default point and location, else the global default; outbound FIFO across points', async () => {
    const { api } = await lagerTenant();
    const created = await api.post(`${W}/stockpoints-v1`, {
      json: { code: 'GBG', name: 'Göteborg', stockLocations: [{ code: 'H1', name: 'Hylla 1' }] },
    });
    expect(created.statusCode).toBe(201);
    expect((await api.post(`${W}/stockpoints-v1`, { json: { code: 'TOOLONGCODE1', name: 'x' } })).statusCode).toBe(400);
    await api.put('3/articles/A2', { json: { Article: { DefaultStockPoint: 'GBG', DefaultStockLocation: 'H1' } } });
    await receive(api, '1', [
      { itemId: 'A1', quantity: 3, directCost: 10 },
      { itemId: 'A2', quantity: 4, directCost: 10 },
    ]);
    await receive(api, '2', [{ itemId: 'A1', quantity: 5, directCost: 20, stockPointCode: 'GBG' }]);
    const all = (await api.get(`${W}/status-v1/stockbalance`)).body as J[];
    expect(all).toEqual([
      { itemId: 'A1', stockPointCode: 'GBG', availableStock: 5, inStock: 5 },
      { itemId: 'A1', stockPointCode: 'LAGER', availableStock: 3, inStock: 3 },
      { itemId: 'A2', stockPointCode: 'GBG', availableStock: 4, inStock: 4 },
    ]);
    const gbgOnly = (
      await api.get(`${W}/status-v1/stockbalance`, { searchParams: { itemIds: 'A1', stockPointCodes: 'GBG' } })
    ).body as J[];
    expect(gbgOnly).toEqual([{ itemId: 'A1', stockPointCode: 'GBG', availableStock: 5, inStock: 5 }]);
    const points = (await api.get(`${W}/stockpoints-v1`)).body as J[];
    expect(points.map((p) => [p.code, p.active])).toEqual([
      ['LAGER', true],
      ['GBG', true],
    ]);
    const id = (code: string) => points.find((p) => p.code === code)!.id as string;
    // Without a point: FIFO over all points (the LAGER lot is oldest), its cost per point it came from.
    const anyPoint = (
      await api.put(doc('outbound', 'OUT', '1'), {
        json: { date: today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: 4 }] },
      })
    ).body as J;
    expect(anyPoint.averageCosts).toEqual([
      { itemId: 'A1', stockPointId: id('LAGER'), averageCostInSEK: 10 },
      { itemId: 'A1', stockPointId: id('GBG'), averageCostInSEK: 20 },
    ]);
    // With a point (an outbound row names it by uuid): only there.
    await api.put(doc('outbound', 'OUT', '2'), {
      json: {
        date: today(),
        deliveryState: 'delivery',
        rows: [{ itemId: 'A1', quantity: 9, stockPointId: id('LAGER') }],
      },
    });
    expect((await balance(api, 'A1')).inStock).toBe(4); // nothing left at LAGER to take
    // An outbound row has no stock point code in Fortnox's model: refused, not silently taken from anywhere.
    const byCode = await api.put(doc('outbound', 'OUT', '3'), {
      json: { date: today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: 1, stockPointCode: 'GBG' }] },
    });
    expect(byCode.statusCode).toBe(400);
    expect(((await api.get(`${W}/stockpoints-v1/GBG/stocklocations`)).body as J[]).map((l) => l.code)).toEqual(['H1']);
    expect((await api.delete(`${W}/stockpoints-v1/GBG`)).statusCode).toBe(400); // it holds stock
  });
});

describe('nightly bookkeeping', () => {
  it('books released documents once; crossing midnight on the sandbox clock runs it too', async () => {
    const { t, api } = await lagerTenant();
    await receive(api, '1', [{ itemId: 'A1', quantity: 2, directCost: 7 }]);
    await api.put(doc('outbound', 'OUT', '1'), {
      json: { date: today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: 1 }] },
    });
    const first = (await http(sandbox.url).post(`_sandbox/tenants/${t.tenantId}/nightly`, { json: {} })).body as J;
    expect(first.booked).toEqual([{ type: 'WMSIN', id: '1', direction: 'INBOUND', kind: 'release', value: 14 }]);
    expect(
      ((await http(sandbox.url).post(`_sandbox/tenants/${t.tenantId}/nightly`, { json: {} })).body as J).booked,
    ).toEqual([]);
    await api.put(`${doc('outbound', 'OUT', '1')}/release`);
    try {
      const moved = (await http(sandbox.url).post('_sandbox/clock', { json: { advanceSeconds: 24 * 3600 } })).body as J;
      expect(moved.nightly[t.tenantId]).toEqual([
        { type: 'OUT', id: '1', direction: 'OUTBOUND', kind: 'release', value: 7 },
      ]);
    } finally {
      await http(sandbox.url).delete('_sandbox/clock');
    }
  });
});

describe('orders under Lager', () => {
  async function orderWith(api: Api, customerNumber: string, quantity: number): Promise<J> {
    return (
      (
        await api.post('3/orders', {
          json: {
            Order: { CustomerNumber: customerNumber, OrderRows: [{ ArticleNumber: 'A1', OrderedQuantity: quantity }] },
          },
        })
      ).body as J
    ).Order;
  }

  it('delivery state moves stock out FIFO as DeliveredQuantity is set, and later changes adjust by the difference', async () => {
    const { api, customerNumber } = await lagerTenant();
    await receive(api, '1', [{ itemId: 'A1', quantity: 10, directCost: 10 }]);
    const order = await orderWith(api, customerNumber, 6);
    const rowId = order.OrderRows[0].RowId;
    // DeliveredQuantity outside the delivery state is refused.
    expect(
      (
        await api.put(`3/orders/${order.DocumentNumber}`, {
          json: { Order: { OrderRows: [{ RowId: rowId, DeliveredQuantity: 6 }] } },
        })
      ).statusCode,
    ).toBe(400);
    const reserved = (
      (await api.put(`3/orders/${order.DocumentNumber}`, { json: { Order: { DeliveryState: 'reservation' } } }))
        .body as J
    ).Order;
    expect(reserved.OrderRows[0].ReservedQuantity).toBe('6.00');
    expect((await article(api, 'A1')).DisposableQuantity).toBe(4);
    const delivered = (
      (
        await api.put(`3/orders/${order.DocumentNumber}`, {
          json: {
            Order: {
              DeliveryState: 'delivery',
              OrderRows: [{ RowId: reserved.OrderRows[0].RowId, DeliveredQuantity: '6' }],
            },
          },
        })
      ).body as J
    ).Order;
    expect(delivered.OrderRows[0].DeliveredQuantity).toBe('6.00');
    expect(await article(api, 'A1')).toMatchObject({ QuantityInStock: 4, ReservedQuantity: 0, StockValue: 40 });
    await api.put(`3/orders/${order.DocumentNumber}`, {
      json: { Order: { OrderRows: [{ RowId: delivered.OrderRows[0].RowId, DeliveredQuantity: 4 }] } },
    });
    expect((await article(api, 'A1')).QuantityInStock).toBe(6);
  });

  it('the trap: DeliveredQuantity is saved as 0 when the article stock is at or below zero', async () => {
    const { api, customerNumber } = await lagerTenant();
    const order = await orderWith(api, customerNumber, 3);
    const saved = (
      (
        await api.put(`3/orders/${order.DocumentNumber}`, {
          json: {
            Order: {
              DeliveryState: 'delivery',
              OrderRows: [{ RowId: order.OrderRows[0].RowId, DeliveredQuantity: 3 }],
            },
          },
        })
      ).body as J
    ).Order;
    expect(saved.OrderRows[0].DeliveredQuantity).toBe('0.00');
    expect((await article(api, 'A1')).QuantityInStock).toBe(0);
  });

  it('...unless the tenant allows negative stock', async () => {
    const { api, customerNumber } = await lagerTenant({ allowNegativeStock: true });
    const order = await orderWith(api, customerNumber, 3);
    const saved = (
      (
        await api.put(`3/orders/${order.DocumentNumber}`, {
          json: {
            Order: {
              DeliveryState: 'delivery',
              OrderRows: [{ RowId: order.OrderRows[0].RowId, DeliveredQuantity: 3 }],
            },
          },
        })
      ).body as J
    ).Order;
    expect(saved.OrderRows[0].DeliveredQuantity).toBe('3.00');
    expect((await article(api, 'A1')).QuantityInStock).toBe(-3);
  });

  it('cancelling gives the stock back; invoicing releases the movement for the nightly job', async () => {
    const { t, api, customerNumber } = await lagerTenant();
    await receive(api, '1', [{ itemId: 'A1', quantity: 10, directCost: 10 }]);
    await http(sandbox.url).post(`_sandbox/tenants/${t.tenantId}/nightly`, { json: {} });
    const cancelled = await orderWith(api, customerNumber, 2);
    await api.put(`3/orders/${cancelled.DocumentNumber}`, {
      json: {
        Order: {
          DeliveryState: 'delivery',
          OrderRows: [{ RowId: cancelled.OrderRows[0].RowId, DeliveredQuantity: 2 }],
        },
      },
    });
    expect((await article(api, 'A1')).QuantityInStock).toBe(8);
    await api.put(`3/orders/${cancelled.DocumentNumber}/cancel`);
    expect((await article(api, 'A1')).QuantityInStock).toBe(10);
    const invoiced = await orderWith(api, customerNumber, 1);
    await api.put(`3/orders/${invoiced.DocumentNumber}`, {
      json: {
        Order: { DeliveryState: 'delivery', OrderRows: [{ RowId: invoiced.OrderRows[0].RowId, DeliveredQuantity: 1 }] },
      },
    });
    await api.put(`3/orders/${invoiced.DocumentNumber}/createinvoice`);
    const booked = ((await http(sandbox.url).post(`_sandbox/tenants/${t.tenantId}/nightly`, { json: {} })).body as J)
      .booked as J[];
    expect(booked).toEqual([
      { type: 'CUSTOMERORDER', id: invoiced.DocumentNumber, direction: 'OUTBOUND', kind: 'release', value: 10 },
    ]);
  });
});

describe('purchase orders', () => {
  it('POST requires what the OpenAPI requires of a PurchaseOrder and its rows; the answer rows carry currencyCode and remainingOrderedQuantity', async () => {
    const { api } = await lagerTenant();
    const supplier = (await api.post('3/suppliers', { json: { Supplier: { Name: 'Leverantör AB' } } })).body as J;
    const complete: J = {
      supplierNumber: supplier.Supplier.SupplierNumber,
      orderDate: today(),
      deliveryName: 'Lager AB',
      deliveryAddress: 'Lagervägen 4',
      deliveryZipCode: '151 36',
      deliveryCity: 'Södertälje',
      paymentTermsCode: '30',
      currencyCode: 'SEK',
      currencyRate: 1,
      rows: [{ itemId: 'A1', orderedQuantity: 10, remainingOrderedQuantity: 10, currencyCode: 'SEK', price: 40 }],
    };
    for (const field of [
      'deliveryName',
      'deliveryAddress',
      'deliveryZipCode',
      'deliveryCity',
      'paymentTermsCode',
      'currencyCode',
      'currencyRate',
    ]) {
      const { [field]: _left, ...without } = complete;
      const refused = await api.post(`${W}/purchaseorders-v1`, { json: without });
      expect(refused.statusCode, field).toBe(400);
      expect(JSON.stringify(refused.body), field).toContain(field);
    }
    for (const field of ['remainingOrderedQuantity', 'currencyCode']) {
      const { [field]: _left, ...row } = complete.rows[0] as J;
      expect(
        (await api.post(`${W}/purchaseorders-v1`, { json: { ...complete, rows: [row] } })).statusCode,
        `rows[].${field}`,
      ).toBe(400);
    }
    const created = await api.post(`${W}/purchaseorders-v1`, { json: complete });
    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({
      deliveryCity: 'Södertälje',
      currencyCode: 'SEK',
      currencyRate: 1,
      paymentTermsCode: '30',
    });
    expect((created.body as J).rows[0]).toMatchObject({
      itemId: 'A1',
      orderedQuantity: 10,
      remainingOrderedQuantity: 10,
      currencyCode: 'SEK',
    });
  });

  it('a backlog is seeded in one control call, each body checked as POST checks it, all or none', async () => {
    const { t, api } = await lagerTenant();
    const supplier = (await api.post('3/suppliers', { json: { Supplier: { Name: 'Leverantör AB' } } })).body as J;
    const body = (n: number): J => ({
      supplierNumber: supplier.Supplier.SupplierNumber,
      orderDate: today(),
      deliveryName: 'Lager AB',
      deliveryAddress: 'Lagervägen 4',
      deliveryZipCode: '151 36',
      deliveryCity: 'Södertälje',
      paymentTermsCode: '30',
      currencyCode: 'SEK',
      currencyRate: 1,
      rows: [{ itemId: 'A1', orderedQuantity: n, remainingOrderedQuantity: n, currencyCode: 'SEK' }],
    });
    const control = http(sandbox.url);
    const seeded = await control.post(`_sandbox/tenants/${t.tenantId}/purchase-orders`, {
      json: { purchaseOrders: [1, 2, 3].map(body) },
    });
    expect(seeded.statusCode).toBe(201);
    const ids = (seeded.body as J).ids as number[];
    expect(ids).toHaveLength(3);
    const { deliveryCity: _left, ...invalid } = body(4);
    const refused = await control.post(`_sandbox/tenants/${t.tenantId}/purchase-orders`, {
      json: { purchaseOrders: [body(5), invalid] },
    });
    expect(refused.statusCode).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('purchaseOrders[1]');
    const listed = (await api.get(`${W}/purchaseorders-v1`)).body as J[];
    expect(listed.map((po) => po.id)).toEqual(ids);
    // The next real POST continues the numbering where the backlog ended.
    expect(((await api.post(`${W}/purchaseorders-v1`, { json: body(6) })).body as J).id).toBe(ids[2]! + 1);
  });
});

describe('seed', () => {
  it('seeds demo data with opening stock as released inbound lots', async () => {
    const t = await createTenant(sandbox, { lager: true });
    const seeded = (await http(sandbox.url).post(`_sandbox/tenants/${t.tenantId}/seed`, { json: {} })).body as J;
    expect(seeded.articles).toHaveLength(10);
    expect(seeded.customers).toHaveLength(3);
    expect(seeded.suppliers).toHaveLength(2);
    expect(seeded.orders).toHaveLength(5);
    const api = await apiFor(sandbox, t);
    const first = await article(api, seeded.articles[0]);
    expect(first).toMatchObject({
      StockGoods: true,
      QuantityInStock: 40,
      StockValue: 12800,
      Unit: 'st',
      SupplierName: 'Nordiska Grossisten AB',
    });
    expect(first.EAN).toMatch(/^\d{13}$/);
    const sent = (await api.get('3/orders', { searchParams: { sent: 'true' } })).body as J;
    expect(sent.MetaInformation['@TotalResources']).toBe(5);
    const dump = (await http(sandbox.url).get(`_sandbox/tenants/${t.tenantId}/state`)).body as J;
    expect(dump.warehouse.lots).toHaveLength(10);
  });
});

describe('controls', () => {
  it('activating Lager moves the article register balances into the warehouse', async () => {
    const { t, api } = await tenantWithBasics(sandbox, { lager: false }, ['B1']);
    await api.put('3/articles/B1', { json: { Article: { QuantityInStock: 5 } } });
    const patched = await http(sandbox.url).patch(`_sandbox/tenants/${t.tenantId}`, { json: { lager: true } });
    expect(patched.statusCode).toBe(200);
    expect((await api.get(`${W}/tenants-v4`)).body).toMatchObject({ activated: true, tenantId: Number(t.tenantId) });
    expect(await article(api, 'B1')).toMatchObject({ QuantityInStock: 5, StockValue: 200 });
    // From now on the warehouse owns the balance: writing it on the article changes nothing.
    await api.put('3/articles/B1', { json: { Article: { QuantityInStock: 50 } } });
    expect((await article(api, 'B1')).QuantityInStock).toBe(5);
  });

  it('reset forgets every tenant and token', async () => {
    const own = await startSandbox();
    try {
      const t = await createTenant(own, { lager: true });
      const api = await apiFor(own, t);
      expect((await api.get('3/companyinformation')).statusCode).toBe(200);
      await http(own.url).post('_sandbox/reset', { json: {} });
      expect((await api.get('3/companyinformation')).statusCode).toBe(401);
      expect((await http(own.url).get(`_sandbox/tenants/${t.tenantId}/state`)).statusCode).toBe(404);
    } finally {
      await own.close();
    }
  });
});
