// Invoices (`/3/invoices`): list with Fortnox's filters, GET, POST with rows, PUT while unbooked, and the actions.
import type { FastifyInstance } from 'fastify';
import { FortnoxApiError, FortnoxCode, badParameter } from '../errors';
import type { Invoice, InvoiceRow, Json, Tenant } from '../state';
import {
  assignStrings,
  baseUrl,
  dateOrNull,
  dateValue,
  envelope,
  lastModifiedFilter,
  num,
  paginate,
  queryOf,
  quantityString,
  sortItems,
  str,
  tenantOf,
} from './common';

const MAX_ROWS = 500;

function rowTotal(row: InvoiceRow): number {
  return Math.round(row.DeliveredQuantity * row.Price * (1 - row.Discount / 100) * 100) / 100;
}

export function invoiceTotals(invoice: Invoice): { Net: number; TotalVAT: number; Total: number } {
  let net = 0;
  let vat = 0;
  for (const row of invoice.InvoiceRows) {
    const t = rowTotal(row);
    net += t;
    vat += (t * row.VAT) / 100;
  }
  const r = (n: number): number => Math.round(n * 100) / 100;
  return { Net: r(net), TotalVAT: r(vat), Total: r(net + vat) };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function invoiceView(invoice: Invoice, url: string): Json {
  const { lastModified: _lastModified, InvoiceRows, ...fields } = invoice;
  const totals = invoiceTotals(invoice);
  return {
    '@url': `${url}/3/invoices/${invoice.DocumentNumber}`,
    ...fields,
    DocumentNumber: String(invoice.DocumentNumber),
    OrderReference: String(invoice.OrderReference),
    CreditInvoiceReference: String(invoice.CreditInvoiceReference),
    // Invoice.Credit is a string in the OpenAPI ("true"/"false"), as Fortnox answers it.
    Credit: String(invoice.Credit),
    FinalPayDate: dateOrNull(invoice.FinalPayDate),
    ...totals,
    // No payments exist in the sandbox: the balance is the total (Invoice has no FullyPaid; a zero Balance says it).
    Balance: invoice.Cancelled ? 0 : totals.Total,
    InvoiceRows: InvoiceRows.map((row) => ({
      ...row,
      DeliveredQuantity: quantityString(row.DeliveredQuantity),
      Total: rowTotal(row),
    })),
  };
}

function listView(invoice: Invoice, url: string): Json {
  const totals = invoiceTotals(invoice);
  return {
    '@url': `${url}/3/invoices/${invoice.DocumentNumber}`,
    Balance: invoice.Cancelled ? 0 : totals.Total,
    Booked: invoice.Booked,
    Cancelled: invoice.Cancelled,
    Currency: invoice.Currency,
    CustomerName: invoice.CustomerName,
    CustomerNumber: invoice.CustomerNumber,
    DocumentNumber: String(invoice.DocumentNumber),
    DueDate: invoice.DueDate,
    ExternalInvoiceReference1: invoice.ExternalInvoiceReference1,
    ExternalInvoiceReference2: invoice.ExternalInvoiceReference2,
    InvoiceDate: invoice.InvoiceDate,
    Sent: invoice.Sent,
    Total: totals.Total,
  };
}

function parseRows(tenant: Tenant, rows: unknown, nextRowId: () => number): InvoiceRow[] {
  if (rows === undefined) return [];
  if (!Array.isArray(rows)) throw badParameter('InvoiceRows');
  if (rows.length > MAX_ROWS)
    throw new FortnoxApiError(400, FortnoxCode.TooManyRows, `En faktura får ha högst ${MAX_ROWS} rader.`);
  return rows.map((raw: unknown) => {
    const input = (raw ?? {}) as Json;
    const articleNumber = input.ArticleNumber === undefined ? '' : str(input.ArticleNumber, 'ArticleNumber');
    const article = articleNumber ? tenant.articles.get(articleNumber) : undefined;
    if (articleNumber && !article)
      throw new FortnoxApiError(400, FortnoxCode.ArticleNotFound, `Kunde inte hitta artikeln (${articleNumber}).`);
    return {
      RowId: nextRowId(),
      ArticleNumber: articleNumber,
      Description:
        input.Description !== undefined ? str(input.Description, 'Description') : (article?.Description ?? ''),
      DeliveredQuantity: input.DeliveredQuantity !== undefined ? num(input.DeliveredQuantity, 'DeliveredQuantity') : 0,
      Price: input.Price !== undefined ? num(input.Price, 'Price') : (article?.SalesPrice ?? 0),
      Discount: input.Discount !== undefined ? num(input.Discount, 'Discount') : 0,
      Unit: input.Unit !== undefined ? str(input.Unit, 'Unit') : (article?.Unit ?? ''),
      VAT: input.VAT !== undefined ? num(input.VAT, 'VAT') : (article?.VAT ?? 25),
      AccountNumber: input.AccountNumber !== undefined ? num(input.AccountNumber, 'AccountNumber') : 3001,
    };
  });
}

const HEADER_STRINGS = [
  'ExternalInvoiceReference1',
  'ExternalInvoiceReference2',
  'YourReference',
  'OurReference',
  'YourOrderNumber',
  'Remarks',
  'Currency',
] as const;

/** Creates an invoice from a `{"Invoice": {...}}` body (also used by an order's createinvoice). */
export function createInvoice(tenant: Tenant, input: Json, nowMs: number, today: string): Invoice {
  const customerNumber = input.CustomerNumber === undefined ? '' : str(input.CustomerNumber, 'CustomerNumber');
  if (!customerNumber)
    throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, 'Kundnummer måste anges (CustomerNumber).');
  const customer = tenant.customers.get(customerNumber);
  if (!customer)
    throw new FortnoxApiError(400, FortnoxCode.CustomerNotFound, `Kunde inte hitta kunden (${customerNumber}).`);
  const invoiceDate = input.InvoiceDate ? dateValue(input.InvoiceDate, 'InvoiceDate') : today;
  const rows = parseRows(tenant, input.InvoiceRows, () => ++tenant.counters.rowId);
  const invoice: Invoice = {
    DocumentNumber: ++tenant.counters.invoice,
    CustomerNumber: customerNumber,
    CustomerName: input.CustomerName ? str(input.CustomerName, 'CustomerName') : String(customer.data.Name ?? ''),
    InvoiceDate: invoiceDate,
    DueDate: input.DueDate ? dateValue(input.DueDate, 'DueDate') : addDays(invoiceDate, 30),
    OrderReference: 0,
    ExternalInvoiceReference1: '',
    ExternalInvoiceReference2: '',
    YourReference: '',
    OurReference: '',
    YourOrderNumber: '',
    Remarks: '',
    Currency: 'SEK',
    Booked: false,
    Cancelled: false,
    Credit: false,
    CreditInvoiceReference: 0,
    Sent: false,
    FinalPayDate: '',
    WarehouseReady: false,
    InvoiceRows: rows,
    lastModified: nowMs,
  };
  assignStrings(invoice, input, HEADER_STRINGS);
  tenant.invoices.set(invoice.DocumentNumber, invoice);
  return invoice;
}

export function invoiceRoutes(app: FastifyInstance, nowMs: () => number, today: () => string): void {
  const find = (tenant: Tenant, n: string): Invoice => {
    const invoice = tenant.invoices.get(Number(n));
    if (!invoice || !/^\d+$/.test(n))
      throw new FortnoxApiError(404, FortnoxCode.InvoiceNotFound, `Kunde inte hitta fakturan (${n}).`);
    return invoice;
  };

  app.get('/3/invoices', async (request) => {
    const tenant = tenantOf(request);
    const query = queryOf(request);
    const since = lastModifiedFilter(query);
    const now = today();
    let invoices = [...tenant.invoices.values()];
    switch (query.filter) {
      case undefined:
      case '':
        break;
      case 'cancelled':
        invoices = invoices.filter((i) => i.Cancelled);
        break;
      case 'fullypaid':
        invoices = [];
        break; // no payments exist in the sandbox
      case 'unpaid':
        invoices = invoices.filter((i) => !i.Cancelled);
        break;
      case 'unpaidoverdue':
        invoices = invoices.filter((i) => !i.Cancelled && i.DueDate < now);
        break;
      case 'unbooked':
        invoices = invoices.filter((i) => !i.Booked && !i.Cancelled);
        break;
      default:
        throw badParameter('filter');
    }
    if (since !== undefined) invoices = invoices.filter((i) => i.lastModified >= since);
    const exact: Array<[string, (i: Invoice) => string]> = [
      ['customernumber', (i) => i.CustomerNumber],
      ['documentnumber', (i) => String(i.DocumentNumber)],
      ['externalinvoicereference1', (i) => i.ExternalInvoiceReference1],
      ['externalinvoicereference2', (i) => i.ExternalInvoiceReference2],
      ['yourordernumber', (i) => i.YourOrderNumber],
      ['ourreference', (i) => i.OurReference],
      ['yourreference', (i) => i.YourReference],
    ];
    for (const [param, get] of exact) {
      const wanted = query[param];
      if (wanted !== undefined && wanted !== '') invoices = invoices.filter((i) => get(i) === wanted);
    }
    if (query.fromdate) invoices = invoices.filter((i) => i.InvoiceDate >= String(query.fromdate));
    if (query.todate) invoices = invoices.filter((i) => i.InvoiceDate <= String(query.todate));
    const url = baseUrl(request);
    const items = sortItems(
      invoices.map((i) => listView(i, url)),
      query,
      {
        documentnumber: 'DocumentNumber',
        customernumber: 'CustomerNumber',
        customername: 'CustomerName',
        invoicedate: 'InvoiceDate',
        total: 'Total',
      },
    );
    const page = paginate(items, query);
    return { MetaInformation: page.meta, Invoices: page.items };
  });

  app.get('/3/invoices/:DocumentNumber', async (request) => {
    const { DocumentNumber } = request.params as { DocumentNumber: string };
    return { Invoice: invoiceView(find(tenantOf(request), DocumentNumber), baseUrl(request)) };
  });

  app.post('/3/invoices', async (request, reply) => {
    const invoice = createInvoice(tenantOf(request), envelope(request.body, 'Invoice'), nowMs(), today());
    reply.code(201);
    return { Invoice: invoiceView(invoice, baseUrl(request)) };
  });

  app.put('/3/invoices/:DocumentNumber', async (request) => {
    const tenant = tenantOf(request);
    const { DocumentNumber } = request.params as { DocumentNumber: string };
    const invoice = find(tenant, DocumentNumber);
    if (invoice.Booked || invoice.Cancelled) {
      throw new FortnoxApiError(
        400,
        FortnoxCode.InvoiceLocked,
        'Fakturan är bokförd eller makulerad och kan inte ändras.',
      );
    }
    const input = envelope(request.body, 'Invoice');
    const draft: Invoice = { ...invoice };
    assignStrings(draft, input, HEADER_STRINGS);
    if (input.InvoiceDate !== undefined) draft.InvoiceDate = dateValue(input.InvoiceDate, 'InvoiceDate');
    if (input.DueDate !== undefined) draft.DueDate = dateValue(input.DueDate, 'DueDate');
    if (input.InvoiceRows !== undefined)
      draft.InvoiceRows = parseRows(tenant, input.InvoiceRows, () => ++tenant.counters.rowId);
    Object.assign(invoice, draft, { lastModified: nowMs() });
    return { Invoice: invoiceView(invoice, baseUrl(request)) };
  });

  app.put('/3/invoices/:DocumentNumber/:action', async (request) => {
    const tenant = tenantOf(request);
    const { DocumentNumber, action } = request.params as { DocumentNumber: string; action: string };
    const invoice = find(tenant, DocumentNumber);
    switch (action) {
      case 'bookkeep':
        if (invoice.Cancelled) throw new FortnoxApiError(400, FortnoxCode.InvoiceLocked, 'Fakturan är makulerad.');
        invoice.Booked = true;
        break;
      case 'cancel':
        if (invoice.Booked)
          throw new FortnoxApiError(
            400,
            FortnoxCode.InvoiceLocked,
            'En bokförd faktura kan inte makuleras; kreditera den.',
          );
        invoice.Cancelled = true;
        break;
      case 'credit': {
        if (!invoice.Booked)
          throw new FortnoxApiError(400, FortnoxCode.InvoiceLocked, 'Endast bokförda fakturor kan krediteras.');
        if (invoice.CreditInvoiceReference)
          throw new FortnoxApiError(400, FortnoxCode.InvoiceLocked, 'Fakturan är redan krediterad.');
        const credit = createInvoice(tenant, { CustomerNumber: invoice.CustomerNumber }, nowMs(), today());
        credit.Credit = true;
        credit.CreditInvoiceReference = invoice.DocumentNumber;
        credit.InvoiceRows = invoice.InvoiceRows.map((r) => ({
          ...r,
          RowId: ++tenant.counters.rowId,
          DeliveredQuantity: -r.DeliveredQuantity,
        }));
        invoice.CreditInvoiceReference = credit.DocumentNumber;
        break;
      }
      case 'externalprint':
        invoice.Sent = true;
        break;
      case 'warehouseready':
        invoice.WarehouseReady = true;
        break;
      default:
        throw new FortnoxApiError(404, FortnoxCode.NotFound, `Okänd åtgärd (${action}).`);
    }
    invoice.lastModified = nowMs();
    return { Invoice: invoiceView(invoice, baseUrl(request)) };
  });
}
