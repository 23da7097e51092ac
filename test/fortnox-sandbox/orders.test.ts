// Orders and invoices in the Fortnox sandbox: CRUD, filters, paging, RowId rules, cancel, createinvoice, error shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxSandbox } from '../../simulators/fortnox/server';
import { stockholmDateTime } from '../../simulators/fortnox/stockholm-time';
import { apiFor, http, startSandbox, tenantWithBasics } from './helpers';
import type { Api, J, TenantCredentials } from './helpers';

let sandbox: FortnoxSandbox;
let api: Api;
let customerNumber: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ api, customerNumber } = await tenantWithBasics(sandbox));
});
afterAll(async () => sandbox.close());

async function newOrder(extra: J = {}): Promise<J> {
  const response = await api.post('3/orders', {
    json: {
      Order: {
        CustomerNumber: customerNumber,
        OrderRows: [
          { ArticleNumber: 'A1', OrderedQuantity: 2 },
          { ArticleNumber: 'A2', OrderedQuantity: '3.00' },
        ],
        ...extra,
      },
    },
  });
  expect(response.statusCode).toBe(201);
  return (response.body as J).Order;
}

const getOrder = async (n: string): Promise<J> => ((await api.get(`3/orders/${n}`)).body as J).Order;

describe('orders', () => {
  it('creates an order with Fortnox quirks: string numbers, InvoiceReference "0", article defaults', async () => {
    const order = await newOrder({ YourOrderNumber: 'WEB-1' });
    expect(order.DocumentNumber).toMatch(/^\d+$/);
    expect(order.InvoiceReference).toBe('0');
    expect(order.CustomerName).toBe('Testkund AB');
    expect(order.OrderRows[1]).toMatchObject({
      ArticleNumber: 'A2',
      OrderedQuantity: '3.00',
      DeliveredQuantity: '0.00',
      Price: 100,
      Description: 'Artikel A2',
    });
    expect(order.Total).toBe(625); // 5 × 100 plus 25 % VAT
    expect(order.DeliveryState).toBe('registration');
  });

  it('refuses an order without an existing customer, and a missing envelope', async () => {
    const unknown = await api.post('3/orders', { json: { Order: { CustomerNumber: '999999' } } });
    expect(unknown.statusCode).toBe(400);
    expect((unknown.body as J).ErrorInformation).toMatchObject({ error: 1, code: 2000433 });
    const missing = await api.post('3/orders', { json: { Order: {} } });
    expect(missing.statusCode).toBe(400);
    const noEnvelope = await api.post('3/orders', { json: { CustomerNumber: customerNumber } });
    expect((noEnvelope.body as J).ErrorInformation.code).toBe(2001392);
  });

  it('answers malformed JSON with 400 code 2002115 and an unknown order with 404', async () => {
    const malformed = await api.post('3/orders', {
      body: '{"Order": {',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect((malformed.body as J).ErrorInformation).toMatchObject({ error: 1, code: 2002115 });
    const notFound = await api.get('3/orders/987654');
    expect(notFound.statusCode).toBe(404);
    expect((notFound.body as J).ErrorInformation.message).toEqual(expect.any(String));
  });

  it('PUT: rows without RowId are added, rows left out are removed, every update renumbers all rows', async () => {
    const order = await newOrder();
    const [row1, row2] = order.OrderRows as J[];
    const updated = (
      await api.put(`3/orders/${order.DocumentNumber}`, {
        json: {
          Order: {
            OrderRows: [
              { RowId: row2?.RowId, OrderedQuantity: 7 },
              { ArticleNumber: 'A3', OrderedQuantity: 1 },
            ],
          },
        },
      })
    ).body as J;
    const rows = updated.Order.OrderRows as J[];
    expect(rows.map((r) => [r.ArticleNumber, r.OrderedQuantity])).toEqual([
      ['A2', '7.00'],
      ['A3', '1.00'],
    ]);
    const oldIds = [row1?.RowId, row2?.RowId];
    for (const r of rows) expect(oldIds).not.toContain(r.RowId);
    // Even an update that sends no rows gives the rows new RowIds.
    const again = ((await api.put(`3/orders/${order.DocumentNumber}`, { json: { Order: { Remarks: 'x' } } })).body as J)
      .Order;
    expect((again.OrderRows as J[]).map((r) => r.RowId)).not.toEqual(rows.map((r) => r.RowId));
    expect((again.OrderRows as J[]).length).toBe(2);
    // A stale RowId is refused, and the order stays as it was.
    const stale = await api.put(`3/orders/${order.DocumentNumber}`, {
      json: { Order: { OrderRows: [{ RowId: rows[0]?.RowId }] } },
    });
    expect(stale.statusCode).toBe(400);
    expect(((await getOrder(order.DocumentNumber)).OrderRows as J[]).length).toBe(2);
  });

  it('refuses DeliveryState without Lager (do not echo it back)', async () => {
    const order = await newOrder();
    const response = await api.put(`3/orders/${order.DocumentNumber}`, {
      json: { Order: { DeliveryState: 'registration' } },
    });
    expect(response.statusCode).toBe(400);
  });

  it('cancel, then editing or invoicing it is refused', async () => {
    const order = await newOrder();
    const cancelled = ((await api.put(`3/orders/${order.DocumentNumber}/cancel`)).body as J).Order;
    expect(cancelled.Cancelled).toBe(true);
    expect(
      (await api.put(`3/orders/${order.DocumentNumber}`, { json: { Order: { Remarks: 'late' } } })).statusCode,
    ).toBe(400);
    expect((await api.put(`3/orders/${order.DocumentNumber}/createinvoice`)).statusCode).toBe(400);
  });

  it('createinvoice links both ways, invoices DeliveredQuantity, and refuses a second invoice', async () => {
    const order = await newOrder({ ExternalInvoiceReference1: 'EXT-42' });
    const [r1, r2] = order.OrderRows as J[];
    await api.put(`3/orders/${order.DocumentNumber}`, {
      json: {
        Order: {
          OrderRows: [
            { RowId: r1?.RowId, DeliveredQuantity: 2 },
            { RowId: r2?.RowId, DeliveredQuantity: '1' },
          ],
        },
      },
    });
    // Sent with a JSON content type and no body, as many clients do.
    const response = await api.put(`3/orders/${order.DocumentNumber}/createinvoice`, {
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    const invoice = (response.body as J).Invoice;
    expect(invoice.OrderReference).toBe(order.DocumentNumber);
    expect((invoice.InvoiceRows as J[]).map((r) => r.DeliveredQuantity)).toEqual(['2.00', '1.00']);
    expect((await getOrder(order.DocumentNumber)).InvoiceReference).toBe(invoice.DocumentNumber);
    const twice = await api.put(`3/orders/${order.DocumentNumber}/createinvoice`);
    expect(twice.statusCode).toBe(400);
    const edit = await api.put(`3/orders/${order.DocumentNumber}`, { json: { Order: { Remarks: 'x' } } });
    expect(edit.statusCode).toBe(400);
    // Invoices can be found by ExternalInvoiceReference1 (the idempotency key for exported invoices).
    const found = (await api.get('3/invoices', { searchParams: { externalinvoicereference1: 'EXT-42' } })).body as J;
    expect((found.Invoices as J[]).map((i) => i.DocumentNumber)).toEqual([invoice.DocumentNumber]);
    const invoiced = (await api.get('3/orders', { searchParams: { filter: 'invoicecreated' } })).body as J;
    expect((invoiced.Orders as J[]).map((o) => o.DocumentNumber)).toContain(order.DocumentNumber);
  });
});

describe('order lists', () => {
  let own: { api: Api; customerNumber: string; t: TenantCredentials };
  beforeAll(async () => {
    own = await tenantWithBasics(sandbox);
  });

  it('lists thin items, pages with MetaInformation, and filters by sent, customer and invoice state', async () => {
    for (let i = 0; i < 7; i += 1) {
      await own.api.post('3/orders', {
        json: {
          Order: {
            CustomerNumber: own.customerNumber,
            Sent: i % 2 === 0,
            OrderRows: [{ ArticleNumber: 'A1', OrderedQuantity: 1 }],
          },
        },
      });
    }
    const page2 = (await own.api.get('3/orders', { searchParams: { limit: 3, page: 2 } })).body as J;
    expect(page2.MetaInformation).toEqual({ '@TotalResources': 7, '@TotalPages': 3, '@CurrentPage': 2 });
    expect((page2.Orders as J[]).map((o) => o.DocumentNumber)).toEqual(['4', '5', '6']);
    const item = (page2.Orders as J[])[0] as J;
    expect(item.OrderRows).toBeUndefined();
    expect(item.InvoiceReference).toBeUndefined();
    expect(item).toMatchObject({ Sent: false, Cancelled: false, CustomerNumber: own.customerNumber });
    const sent = (await own.api.get('3/orders', { searchParams: { sent: 'true' } })).body as J;
    expect((sent.Orders as J[]).map((o) => o.DocumentNumber)).toEqual(['1', '3', '5', '7']);
    const open = (
      await own.api.get('3/orders', {
        searchParams: { filter: 'invoicenotcreated', customernumber: own.customerNumber },
      })
    ).body as J;
    expect(open.MetaInformation['@TotalResources']).toBe(7);
    expect((await own.api.get('3/orders', { searchParams: { limit: 501 } })).statusCode).toBe(400);
    expect((await own.api.get('3/orders', { searchParams: { filter: 'nonsense' } })).statusCode).toBe(400);
  });

  it('filters by lastmodified in Stockholm local time', async () => {
    const clock = http(sandbox.url);
    // Moving the clock hours ahead also expires the access token: take a fresh one after each jump.
    await clock.post('_sandbox/clock', { json: { now: '2031-01-15T10:00:00Z' } }); // 11:00 in Stockholm
    try {
      let api2 = await apiFor(sandbox, own.t);
      const created = (
        (await api2.post('3/orders', { json: { Order: { CustomerNumber: own.customerNumber } } })).body as J
      ).Order;
      await clock.post('_sandbox/clock', { json: { now: '2031-01-15T12:00:00Z' } }); // 13:00 in Stockholm
      expect((await api2.get('3/orders')).statusCode).toBe(403);
      api2 = await apiFor(sandbox, own.t);
      const list = async (since: string): Promise<string[]> =>
        (((await api2.get('3/orders', { searchParams: { lastmodified: since } })).body as J).Orders as J[]).map(
          (o) => o.DocumentNumber,
        );
      expect(await list('2031-01-15 10:59')).toContain(created.DocumentNumber);
      expect(await list('2031-01-15 11:01')).not.toContain(created.DocumentNumber);
      await api2.put(`3/orders/${created.DocumentNumber}`, { json: { Order: { Remarks: 'changed' } } });
      expect(await list('2031-01-15 12:59:30')).toEqual([created.DocumentNumber]);
      expect(stockholmDateTime(new Date('2031-07-01T10:00:00Z'))).toBe('2031-07-01 12:00:00'); // summer time
      expect((await api2.get('3/orders', { searchParams: { lastmodified: 'yesterday' } })).statusCode).toBe(400);
    } finally {
      await clock.delete('_sandbox/clock');
    }
  });
});

describe('invoices and articles', () => {
  it('creates invoices with rows and filters them', async () => {
    const post = await api.post('3/invoices', {
      json: {
        Invoice: {
          CustomerNumber: customerNumber,
          ExternalInvoiceReference1: 'WMS-7',
          YourOrderNumber: 'PO-1',
          InvoiceRows: [
            { ArticleNumber: 'A1', DeliveredQuantity: 4, Price: 50 },
            { Description: 'Frakt', DeliveredQuantity: 1, Price: 99 },
          ],
        },
      },
    });
    expect(post.statusCode).toBe(201);
    const invoice = (post.body as J).Invoice;
    expect(invoice).toMatchObject({ OrderReference: '0', Total: 373.75, Booked: false });
    const byRef = (await api.get('3/invoices', { searchParams: { externalinvoicereference1: 'WMS-7' } })).body as J;
    expect(byRef.MetaInformation['@TotalResources']).toBe(1);
    expect((await api.get('3/invoices', { searchParams: { externalinvoicereference1: 'none' } })).body).toMatchObject({
      Invoices: [],
    });
    const tooMany = await api.post('3/invoices', {
      json: {
        Invoice: {
          CustomerNumber: customerNumber,
          InvoiceRows: Array.from({ length: 501 }, () => ({ Description: 'x', DeliveredQuantity: 1, Price: 1 })),
        },
      },
    });
    expect(tooMany.statusCode).toBe(400);
    await api.put(`3/invoices/${invoice.DocumentNumber}/bookkeep`);
    const unbooked = (await api.get('3/invoices', { searchParams: { filter: 'unbooked' } })).body as J;
    expect((unbooked.Invoices as J[]).map((i) => i.DocumentNumber)).not.toContain(invoice.DocumentNumber);
  });

  it('articles: duplicate number is 2000013, PUT updates only what is sent', async () => {
    const dup = await api.post('3/articles', { json: { Article: { ArticleNumber: 'A1', Description: 'again' } } });
    expect((dup.body as J).ErrorInformation.code).toBe(2000013);
    const put = (
      (
        await api.put('3/articles/A1', {
          json: { Article: { EAN: '7350000000017', Weight: 250, QuantityInStock: 12 } },
        })
      ).body as J
    ).Article;
    expect(put).toMatchObject({
      EAN: '7350000000017',
      Weight: 250,
      Description: 'Artikel A1',
      QuantityInStock: 12,
      StockValue: 480,
    });
    const list = (await api.get('3/articles', { searchParams: { ean: '7350000000017' } })).body as J;
    expect((list.Articles as J[]).map((a) => a.ArticleNumber)).toEqual(['A1']);
  });
});
