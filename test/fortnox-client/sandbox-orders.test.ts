// Orders, invoices, registers and error classification through the client against the Fortnox sandbox (REST v3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FortnoxSchemaError } from '../../activities/fortnox';
import type { FortnoxClient } from '../../activities/fortnox';
import { calls, createTenant, serviceClient, setFaults, startSandbox, failure } from './sandbox';
import type { Sandbox, SandboxTenant } from './sandbox';

let sandbox: Sandbox;
let tenant: SandboxTenant;
let fortnox: FortnoxClient;
let customerNumber: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  tenant = await createTenant(sandbox.url, { lager: false });
  fortnox = serviceClient(sandbox, tenant);
  const customer = await fortnox.createCustomer({ Name: 'Kund AB', City: 'Stockholm' });
  customerNumber = customer.CustomerNumber;
  await fortnox.createArticle({
    ArticleNumber: 'A1',
    Description: 'Skruv',
    SalesPrice: 10,
    Unit: 'st',
    StockGoods: true,
  });
  await fortnox.createArticle({
    ArticleNumber: 'A2',
    Description: 'Mutter',
    SalesPrice: 5,
    Unit: 'st',
    StockGoods: true,
  });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('orders', () => {
  it('reads the company information (client_credentials with the TenantId header)', async () => {
    const company = await fortnox.getCompanyInformation();
    expect(company.DatabaseNumber).toBe(Number(tenant.tenantId));
    expect(company.CompanyName).not.toBe('');
  });

  it('creates and reads an order as clean types', async () => {
    const created = await fortnox.createOrder({
      CustomerNumber: customerNumber,
      YourReference: 'Anna',
      OrderRows: [
        { ArticleNumber: 'A1', OrderedQuantity: 10 },
        { ArticleNumber: 'A2', OrderedQuantity: 3 },
      ],
    });
    const order = await fortnox.getOrder(created.DocumentNumber);
    expect(order.DocumentNumber).toBe(created.DocumentNumber);
    expect(order.CustomerNumber).toBe(customerNumber);
    expect(order.InvoiceReference).toBeNull();
    expect(order.Cancelled).toBe(false);
    expect(
      order.OrderRows.map((r) => [typeof r.RowId, r.ArticleNumber, r.OrderedQuantity, r.DeliveredQuantity]),
    ).toEqual([
      ['number', 'A1', 10, 0],
      ['number', 'A2', 3, 0],
    ]);
  });

  it('updates rows: RowId kept rows stay, new RowIds come back, left-out rows go', async () => {
    const created = await fortnox.createOrder({
      CustomerNumber: customerNumber,
      OrderRows: [
        { ArticleNumber: 'A1', OrderedQuantity: 4 },
        { ArticleNumber: 'A2', OrderedQuantity: 2 },
      ],
    });
    const [first, second] = created.OrderRows;
    const updated = await fortnox.updateOrder(created.DocumentNumber, {
      OrderRows: [{ RowId: first?.RowId as number, DeliveredQuantity: 4 }, { RowId: second?.RowId as number }],
    });
    expect(updated.OrderRows.map((r) => [r.ArticleNumber, r.OrderedQuantity, r.DeliveredQuantity])).toEqual([
      ['A1', 4, 4],
      ['A2', 2, 0],
    ]);
    const fresh = await fortnox.getOrder(created.DocumentNumber);
    expect(fresh.OrderRows.map((r) => r.DeliveredQuantity)).toEqual([4, 0]);

    const trimmed = await fortnox.updateOrder(created.DocumentNumber, {
      OrderRows: [{ RowId: fresh.OrderRows[0]?.RowId as number }],
    });
    expect(trimmed.OrderRows.map((r) => r.ArticleNumber)).toEqual(['A1']);
  });

  it('invoices an order once: the order then carries the InvoiceReference', async () => {
    const created = await fortnox.createOrder({
      CustomerNumber: customerNumber,
      OrderRows: [{ ArticleNumber: 'A1', OrderedQuantity: 2, DeliveredQuantity: 2 }],
    });
    const invoice = await fortnox.createInvoiceFromOrder(created.DocumentNumber);
    expect(invoice.OrderReference).toBe(created.DocumentNumber);
    expect(invoice.InvoiceRows[0]?.DeliveredQuantity).toBe(2);
    const after = await fortnox.getOrder(created.DocumentNumber);
    expect(after.InvoiceReference).toBe(invoice.DocumentNumber);
    expect((await fortnox.getInvoice(invoice.DocumentNumber)).CustomerNumber).toBe(customerNumber);
  });

  it('cancels an order', async () => {
    const created = await fortnox.createOrder({
      CustomerNumber: customerNumber,
      OrderRows: [{ ArticleNumber: 'A2', OrderedQuantity: 1 }],
    });
    const cancelled = await fortnox.cancelOrder(created.DocumentNumber);
    expect(cancelled.Cancelled).toBe(true);
    expect((await fortnox.getOrder(created.DocumentNumber)).Cancelled).toBe(true);
  });

  it('lists orders by filter and lastmodified, and follows pages', async () => {
    const since = new Date(Date.now() - 60_000);
    const created = await fortnox.createOrder({
      CustomerNumber: customerNumber,
      OrderRows: [{ ArticleNumber: 'A1', OrderedQuantity: 1 }],
    });
    const page = await fortnox.listOrders({ filter: 'invoicenotcreated', lastModifiedSince: since, limit: 2 });
    expect(page.currentPage).toBe(1);
    expect(page.totalResources).toBeGreaterThan(2);
    expect(page.items).toHaveLength(2);
    const all = await fortnox.listAllOrders({ filter: 'invoicenotcreated', lastModifiedSince: since, limit: 2 });
    expect(all).toHaveLength(page.totalResources);
    expect(all.map((o) => o.DocumentNumber)).toContain(created.DocumentNumber);
    const future = await fortnox.listOrders({ lastModifiedSince: new Date(Date.now() + 3_600_000) });
    expect(future.items).toEqual([]);
  });
});

describe('invoices and registers', () => {
  it('creates an invoice and finds it by ExternalInvoiceReference1', async () => {
    const invoice = await fortnox.createInvoice({
      CustomerNumber: customerNumber,
      ExternalInvoiceReference1: 'WMS-BILL-2026-01',
      InvoiceRows: [{ ArticleNumber: 'A1', DeliveredQuantity: 3, Price: 12 }],
    });
    const found = await fortnox.listInvoices({ externalInvoiceReference1: 'WMS-BILL-2026-01' });
    expect(found.items.map((i) => i.DocumentNumber)).toEqual([invoice.DocumentNumber]);
    expect(await fortnox.listAllInvoices({ externalInvoiceReference1: 'nothing-like-this' })).toEqual([]);
  });

  it('reads, updates and lists articles', async () => {
    const updated = await fortnox.updateArticle('A1', { EAN: '7310000000017', Weight: 120 });
    expect(updated).toMatchObject({ ArticleNumber: 'A1', EAN: '7310000000017', Weight: 120, StockGoods: true });
    expect((await fortnox.getArticle('A1')).EAN).toBe('7310000000017');
    const all = await fortnox.listAllArticles({ lastModifiedSince: new Date(Date.now() - 60_000) });
    expect(all.map((a) => a.ArticleNumber)).toEqual(expect.arrayContaining(['A1', 'A2']));
  });

  it('reads customers; suppliers list empty until created', async () => {
    expect((await fortnox.getCustomer(customerNumber)).Name).toBe('Kund AB');
    expect((await fortnox.listCustomers()).items.map((c) => c.CustomerNumber)).toContain(customerNumber);
    const suppliers = await fortnox.listAllSuppliers();
    for (const supplier of suppliers)
      expect(typeof (await fortnox.getSupplier(supplier.SupplierNumber)).Name).toBe('string');
  });
});

describe('error classification against the sandbox', () => {
  it('404 → non-retryable with status 404 and the Fortnox code', async () => {
    const err = await failure(fortnox.getOrder(999_999));
    expect(err).not.toBeInstanceOf(FortnoxSchemaError);
    expect(err).toMatchObject({ kind: 'non-retryable', status: 404, method: 'GET', path: '/3/orders/999999' });
    expect(err.code).toMatch(/^\d+$/);
  });

  it('400 with code 2000013 for a taken article number', async () => {
    const err = await failure(fortnox.createArticle({ ArticleNumber: 'A1', Description: 'again' }));
    expect(err).toMatchObject({ kind: 'non-retryable', status: 400, code: '2000013' });
    expect(err.fortnoxMessage).toBeTruthy();
  });

  it('429 → rate-limited with a delay; 5xx → retryable; slow answers → retryable timeout', async () => {
    const other = await createTenant(sandbox.url, { lager: false });
    const client = serviceClient(sandbox, other, { pacer: undefined });
    await client.getCompanyInformation(); // token in place

    await setFaults(sandbox.url, other.tenantId, [{ route: 'GET /3/companyinformation', rateLimitBurst: 1 }]);
    const limited = await failure(client.getCompanyInformation());
    expect(limited).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(limited.retryAfterMs).toBeGreaterThan(0);

    await setFaults(sandbox.url, other.tenantId, [{ route: 'GET /3/companyinformation', errorRate: 1 }]);
    const down = await failure(client.getCompanyInformation());
    expect(down.kind).toBe('retryable');
    expect([500, 503]).toContain(down.status);

    await setFaults(sandbox.url, other.tenantId, [{ route: 'GET /3/companyinformation', latencyMs: 1500 }]);
    const slow = serviceClient(sandbox, other, { pacer: undefined, timeoutMs: 300 });
    const timeout = await failure(slow.getCompanyInformation());
    expect(timeout).toMatchObject({ kind: 'retryable' });
    expect(timeout.message).toContain('timed out');

    // The sandbox commits, then drops the connection: the client cannot know, so it is retryable (callers are idempotent).
    await setFaults(sandbox.url, other.tenantId, [{ route: 'POST /3/customers', timeoutAfterCommitRate: 1 }]);
    const dropped = await failure(client.createCustomer({ Name: 'Committed AB' }));
    expect(dropped.kind).toBe('retryable');
    expect(dropped.status).toBeUndefined();

    await setFaults(sandbox.url, other.tenantId, []);
    expect((await client.getCompanyInformation()).DatabaseNumber).toBe(Number(other.tenantId));
  });
});

describe('pacing', () => {
  it('fires 60 requests at once through one client and gets no 429', async () => {
    const paced = await createTenant(sandbox.url, { lager: false });
    const client = serviceClient(sandbox, paced);
    const before = await calls(sandbox.url, paced.tenantId);
    const results = await Promise.all(Array.from({ length: 60 }, () => client.getCompanyInformation()));
    expect(results).toHaveLength(60);
    const after = await calls(sandbox.url, paced.tenantId);
    expect(after.rateLimited).toBe(0);
    expect(after.total - before.total).toBeGreaterThanOrEqual(60);
  }, 20_000);
});
