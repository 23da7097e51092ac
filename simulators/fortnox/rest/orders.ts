// Orders (`/3/orders`): thin lists with Fortnox's filters, full GET, POST, PUT with the RowId rules, cancel, createinvoice.
import type { FastifyInstance } from 'fastify';
import { FortnoxApiError, FortnoxCode, badParameter } from '../errors';
import type { Json, Order, OrderRow, Tenant } from '../state';
import {
  assignStrings,
  baseUrl,
  bool,
  booleanQuery,
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
import { createInvoice, invoiceView } from './invoices';

/*
 * Serialization choices (the client must be tolerant of them, as the real API has the same habits):
 * - DocumentNumber, InvoiceReference, OfferReference are strings; no invoice is `"InvoiceReference": "0"`.
 * - Row quantities (OrderedQuantity, DeliveredQuantity, ReservedQuantity) are strings with two decimals ("10.00");
 *   prices and totals are numbers. RowId is a number.
 * - An unset date (DeliveryDate, OutboundDate) is null.
 * - DeliveryState is always present ("registration" when Lager is off), yet sending it without Lager fails, as in Fortnox.
 * - The modification time used by `lastmodified` is internal (shown only in the /_sandbox state dump).
 */

const DELIVERY_STATES = ['registration', 'reservation', 'delivery'] as const;

function rowTotal(row: OrderRow): number {
  const gross = row.OrderedQuantity * row.Price;
  const discounted = row.DiscountType === 'PERCENT' ? gross * (1 - row.Discount / 100) : gross - row.Discount;
  return Math.round(discounted * 100) / 100;
}

function totals(order: Order): { Net: number; TotalVAT: number; Total: number } {
  let net = 0;
  let vat = 0;
  for (const row of order.OrderRows) {
    const t = rowTotal(row);
    net += t;
    vat += (t * row.VAT) / 100;
  }
  const r = (n: number): number => Math.round(n * 100) / 100;
  return { Net: r(net), TotalVAT: r(vat), Total: r(net + vat) };
}

export function orderView(order: Order, url: string): Json {
  const { lastModified: _lastModified, OrderRows, ...fields } = order;
  return {
    '@url': `${url}/3/orders/${order.DocumentNumber}`,
    ...fields,
    DocumentNumber: String(order.DocumentNumber),
    DeliveryDate: dateOrNull(order.DeliveryDate),
    OutboundDate: dateOrNull(order.OutboundDate),
    InvoiceReference: String(order.InvoiceReference),
    OfferReference: String(order.OfferReference),
    ...totals(order),
    OrderRows: OrderRows.map((row) => ({
      ...row,
      OrderedQuantity: quantityString(row.OrderedQuantity),
      DeliveredQuantity: quantityString(row.DeliveredQuantity),
      ReservedQuantity: quantityString(row.ReservedQuantity),
      Total: rowTotal(row),
    })),
  };
}

function listView(order: Order, url: string): Json {
  return {
    '@url': `${url}/3/orders/${order.DocumentNumber}`,
    Cancelled: order.Cancelled,
    Currency: order.Currency,
    CustomerName: order.CustomerName,
    CustomerNumber: order.CustomerNumber,
    DeliveryDate: dateOrNull(order.DeliveryDate),
    DocumentNumber: String(order.DocumentNumber),
    ExternalInvoiceReference1: order.ExternalInvoiceReference1,
    ExternalInvoiceReference2: order.ExternalInvoiceReference2,
    OrderDate: order.OrderDate,
    OrderType: order.OrderType,
    Project: order.Project,
    Sent: order.Sent,
    Total: totals(order).Total,
  };
}

const HEADER_STRINGS = [
  'YourReference',
  'OurReference',
  'YourOrderNumber',
  'Remarks',
  'Comments',
  'WayOfDelivery',
  'TermsOfDelivery',
  'Phone1',
  'Address1',
  'Address2',
  'City',
  'ZipCode',
  'Country',
  'DeliveryName',
  'DeliveryAddress1',
  'DeliveryAddress2',
  'DeliveryZipCode',
  'DeliveryCity',
  'DeliveryCountry',
  'Currency',
  'OrderType',
  'Project',
  'ExternalInvoiceReference1',
  'ExternalInvoiceReference2',
  'OutboundDate',
  'StockPointCode',
  'StockPointId',
  'CustomerName',
] as const;

/** Reads a row of the request onto `base` (an existing row being updated, or a blank new one). */
function readRow(tenant: Tenant, input: Json, base: OrderRow): OrderRow {
  const row = { ...base };
  if (input.ArticleNumber !== undefined) {
    const articleNumber = str(input.ArticleNumber, 'ArticleNumber');
    const article = articleNumber ? tenant.articles.get(articleNumber) : undefined;
    if (articleNumber && !article)
      throw new FortnoxApiError(400, FortnoxCode.ArticleNotFound, `Kunde inte hitta artikeln (${articleNumber}).`);
    if (article && articleNumber !== base.ArticleNumber) {
      // A new article brings its own defaults, as the Fortnox UI and API fill them in.
      row.Description = article.Description;
      row.Price = article.SalesPrice;
      row.Unit = article.Unit;
      row.VAT = article.VAT;
    }
    row.ArticleNumber = articleNumber;
  }
  for (const f of ['Description', 'Unit', 'StockPointCode', 'StockPointId'] as const)
    if (input[f] !== undefined) row[f] = str(input[f], f);
  for (const f of ['OrderedQuantity', 'DeliveredQuantity', 'Price', 'Discount', 'VAT', 'AccountNumber'] as const) {
    if (input[f] !== undefined) row[f] = num(input[f], f);
  }
  if (input.DiscountType !== undefined) {
    if (input.DiscountType !== 'AMOUNT' && input.DiscountType !== 'PERCENT') throw badParameter('DiscountType');
    row.DiscountType = input.DiscountType;
  }
  return row;
}

const blankRow = (): OrderRow => ({
  RowId: 0,
  ArticleNumber: '',
  Description: '',
  OrderedQuantity: 0,
  DeliveredQuantity: 0,
  ReservedQuantity: 0,
  Price: 0,
  Discount: 0,
  DiscountType: 'PERCENT',
  Unit: '',
  VAT: 25,
  AccountNumber: 3001,
  StockPointCode: '',
  StockPointId: '',
});

/**
 * The PUT row rules: a row with RowId updates that row, a row without adds one, rows left out are removed.
 * Afterwards every row gets a new RowId.
 */
function mergeRows(tenant: Tenant, current: OrderRow[], input: unknown): OrderRow[] {
  if (input === undefined) return current.map((r) => ({ ...r }));
  if (!Array.isArray(input)) throw badParameter('OrderRows');
  return input.map((raw: unknown) => {
    const rowInput = (raw ?? {}) as Json;
    if (rowInput.RowId === undefined || rowInput.RowId === null || rowInput.RowId === '')
      return readRow(tenant, rowInput, blankRow());
    const rowId = num(rowInput.RowId, 'RowId');
    const existing = current.find((r) => r.RowId === rowId);
    if (!existing)
      throw new FortnoxApiError(400, FortnoxCode.RowNotFound, `Raden med RowId ${rowId} finns inte på ordern.`);
    return readRow(tenant, rowInput, existing);
  });
}

function renumber(tenant: Tenant, rows: OrderRow[]): OrderRow[] {
  return rows.map((row) => ({ ...row, RowId: ++tenant.counters.rowId }));
}

/** Under Lager: moves the order's stock (reservation / FIFO delivery) and writes back what the warehouse decided. */
export function syncWarehouse(tenant: Tenant, order: Order): void {
  if (!tenant.lager) return;
  const stockRows = order.OrderRows.map((row) => ({
    row,
    article: row.ArticleNumber ? tenant.articles.get(row.ArticleNumber) : undefined,
  }));
  const moving = stockRows.filter((x) => x.article?.StockGoods);
  const results = tenant.warehouse.saveOrderMovement(
    String(order.DocumentNumber),
    order.OrderDate,
    order.DeliveryState,
    moving.map(({ row }) => ({
      itemId: row.ArticleNumber,
      orderedQuantity: row.OrderedQuantity,
      deliveredQuantity: row.DeliveredQuantity,
      stockPointCode: row.StockPointCode || order.StockPointCode || undefined,
    })),
    tenant.allowNegativeStock,
  );
  moving.forEach(({ row }, i) => {
    const result = results[i];
    if (!result) return;
    row.ReservedQuantity = result.reservedQuantity;
    // The known trap: Lager may store 0 where a DeliveredQuantity was sent (stock at or below zero).
    row.DeliveredQuantity = result.deliveredQuantity;
  });
}

/** Cancels the order; under Lager its reservation or delivery is given back. */
export function cancelOrderState(tenant: Tenant, order: Order, atMs: number): void {
  order.Cancelled = true;
  if (tenant.lager) {
    tenant.warehouse.voidOrderMovement(String(order.DocumentNumber));
    for (const row of order.OrderRows) row.ReservedQuantity = 0;
  }
  order.lastModified = atMs;
  tenant.emit('orders', 'order-cancelled-v1', order.DocumentNumber);
}

/** A change made to an order (by the API or by a user in Fortnox): a new modification time and an event. */
export function touchOrder(tenant: Tenant, order: Order, atMs: number): void {
  order.lastModified = atMs;
  tenant.emit('orders', 'order-updated-v1', order.DocumentNumber);
}

/** Checks the warehouse fields of a write and applies DeliveryState. */
function applyDeliveryState(tenant: Tenant, order: Order, input: Json): void {
  if (input.DeliveryState === undefined) return;
  if (!tenant.lager) {
    throw new FortnoxApiError(400, FortnoxCode.WarehouseNotActive, 'Lagermodulen är inte aktiverad (DeliveryState).');
  }
  const state = input.DeliveryState;
  if (typeof state !== 'string' || !(DELIVERY_STATES as readonly string[]).includes(state))
    throw badParameter('DeliveryState');
  order.DeliveryState = state as Order['DeliveryState'];
}

/** With Lager, DeliveredQuantity can only be set in the delivery state; leaving it undoes the delivery. */
function checkDeliveredQuantities(tenant: Tenant, order: Order, previous: OrderRow[]): void {
  if (!tenant.lager || order.DeliveryState === 'delivery') return;
  for (const row of order.OrderRows) {
    const before = previous.find((p) => p.RowId === row.RowId)?.DeliveredQuantity ?? 0;
    if (row.DeliveredQuantity !== 0 && row.DeliveredQuantity !== before) {
      throw new FortnoxApiError(
        400,
        FortnoxCode.DeliveredQuantityNotAllowed,
        'Levererat antal kan endast anges när ordern har leveransstatus leverans (DeliveryState: delivery).',
      );
    }
    row.DeliveredQuantity = 0;
  }
}

export function createOrder(tenant: Tenant, input: Json, nowMs: number, today: string): Order {
  const customerNumber = input.CustomerNumber === undefined ? '' : str(input.CustomerNumber, 'CustomerNumber');
  if (!customerNumber)
    throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, 'Kundnummer måste anges (CustomerNumber).');
  const customer = tenant.customers.get(customerNumber);
  if (!customer)
    throw new FortnoxApiError(400, FortnoxCode.CustomerNotFound, `Kunde inte hitta kunden (${customerNumber}).`);
  let documentNumber = tenant.counters.order + 1;
  if (input.DocumentNumber !== undefined && input.DocumentNumber !== '') {
    documentNumber = num(input.DocumentNumber, 'DocumentNumber');
    if (tenant.orders.has(documentNumber))
      throw new FortnoxApiError(400, FortnoxCode.NumberTaken, `Ordernummer ${documentNumber} är redan upptaget.`);
  }
  const c = customer.data;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const order: Order = {
    DocumentNumber: documentNumber,
    CustomerNumber: customerNumber,
    CustomerName: text(c.Name),
    OrderDate: input.OrderDate ? dateValue(input.OrderDate, 'OrderDate') : today,
    DeliveryDate: input.DeliveryDate ? dateValue(input.DeliveryDate, 'DeliveryDate') : '',
    YourReference: '',
    OurReference: '',
    YourOrderNumber: '',
    Remarks: '',
    Comments: '',
    Cancelled: false,
    NotCompleted: false,
    Sent: false,
    InvoiceReference: 0,
    OfferReference: 0,
    WayOfDelivery: '',
    TermsOfDelivery: '',
    Phone1: text(c.Phone1),
    EmailInformation: { EmailAddressTo: text(c.Email) },
    Address1: text(c.Address1),
    Address2: text(c.Address2),
    City: text(c.City),
    ZipCode: text(c.ZipCode),
    Country: text(c.Country),
    DeliveryName: text(c.DeliveryName),
    DeliveryAddress1: text(c.DeliveryAddress1),
    DeliveryAddress2: text(c.DeliveryAddress2),
    DeliveryZipCode: text(c.DeliveryZipCode),
    DeliveryCity: text(c.DeliveryCity),
    DeliveryCountry: text(c.DeliveryCountry),
    Currency: 'SEK',
    OrderType: 'Order',
    Project: '',
    ExternalInvoiceReference1: '',
    ExternalInvoiceReference2: '',
    DeliveryState: 'registration',
    WarehouseReady: false,
    OutboundDate: '',
    StockPointCode: '',
    StockPointId: '',
    OrderRows: [],
    lastModified: nowMs,
  };
  assignStrings(order, input, HEADER_STRINGS);
  if (input.Sent !== undefined) order.Sent = bool(input.Sent, 'Sent');
  if (input.NotCompleted !== undefined) order.NotCompleted = bool(input.NotCompleted, 'NotCompleted');
  if (input.EmailInformation && typeof input.EmailInformation === 'object')
    order.EmailInformation = { ...(input.EmailInformation as Json) };
  applyDeliveryState(tenant, order, input);
  order.OrderRows = renumber(
    tenant,
    mergeRows(tenant, [], input.OrderRows === undefined ? [] : stripRowIds(input.OrderRows)),
  );
  checkDeliveredQuantities(tenant, order, []);
  tenant.counters.order = Math.max(tenant.counters.order, documentNumber);
  syncWarehouse(tenant, order);
  tenant.orders.set(documentNumber, order);
  tenant.emit('orders', 'order-created-v1', documentNumber);
  return order;
}

/** On POST every row is new, whatever RowId it carries. */
function stripRowIds(rows: unknown): unknown {
  return Array.isArray(rows) ? rows.map((r: unknown) => ({ ...((r ?? {}) as Json), RowId: undefined })) : rows;
}

export function orderRoutes(app: FastifyInstance, nowMs: () => number, today: () => string): void {
  const find = (tenant: Tenant, n: string): Order => {
    const order = /^\d+$/.test(n) ? tenant.orders.get(Number(n)) : undefined;
    if (!order) throw new FortnoxApiError(404, FortnoxCode.OrderNotFound, `Kunde inte hitta ordern (${n}).`);
    return order;
  };
  const assertEditable = (order: Order): void => {
    if (order.Cancelled)
      throw new FortnoxApiError(400, FortnoxCode.OrderLocked, 'Ordern är makulerad och kan inte ändras.');
    if (order.InvoiceReference)
      throw new FortnoxApiError(400, FortnoxCode.OrderLocked, 'Ordern är fakturerad och kan inte ändras.');
  };

  app.get('/3/orders', async (request) => {
    const tenant = tenantOf(request);
    const query = queryOf(request);
    const since = lastModifiedFilter(query);
    const now = today();
    let orders = [...tenant.orders.values()];
    switch (query.filter) {
      case undefined:
      case '':
        break;
      case 'cancelled':
        orders = orders.filter((o) => o.Cancelled);
        break;
      case 'expired':
        orders = orders.filter(
          (o) => !o.Cancelled && !o.InvoiceReference && o.DeliveryDate !== '' && o.DeliveryDate < now,
        );
        break;
      case 'invoicecreated':
        orders = orders.filter((o) => o.InvoiceReference !== 0);
        break;
      // Read as "open": not invoiced and not cancelled (Fortnox does not document whether cancelled ones are included).
      case 'invoicenotcreated':
        orders = orders.filter((o) => o.InvoiceReference === 0 && !o.Cancelled);
        break;
      default:
        throw badParameter('filter');
    }
    if (since !== undefined) orders = orders.filter((o) => o.lastModified >= since);
    const exact: Array<[string, (o: Order) => string]> = [
      ['customernumber', (o) => o.CustomerNumber],
      ['documentnumber', (o) => String(o.DocumentNumber)],
      ['yourordernumber', (o) => o.YourOrderNumber],
      ['ourreference', (o) => o.OurReference],
      ['yourreference', (o) => o.YourReference],
      ['externalinvoicereference1', (o) => o.ExternalInvoiceReference1],
      ['externalinvoicereference2', (o) => o.ExternalInvoiceReference2],
      ['project', (o) => o.Project],
    ];
    for (const [param, get] of exact) {
      const wanted = query[param];
      if (wanted !== undefined && wanted !== '') orders = orders.filter((o) => get(o) === wanted);
    }
    const sent = booleanQuery(query, 'sent');
    if (sent !== undefined) orders = orders.filter((o) => o.Sent === sent);
    const notCompleted = booleanQuery(query, 'notcompleted');
    if (notCompleted !== undefined) orders = orders.filter((o) => o.NotCompleted === notCompleted);
    if (query.fromdate) orders = orders.filter((o) => o.OrderDate >= String(query.fromdate));
    if (query.todate) orders = orders.filter((o) => o.OrderDate <= String(query.todate));
    orders.sort((a, b) => a.DocumentNumber - b.DocumentNumber);
    const url = baseUrl(request);
    const items = sortItems(
      orders.map((o) => listView(o, url)),
      query,
      {
        documentnumber: 'DocumentNumber',
        customernumber: 'CustomerNumber',
        customername: 'CustomerName',
        orderdate: 'OrderDate',
        deliverydate: 'DeliveryDate',
        total: 'Total',
      },
    );
    const page = paginate(items, query);
    return { MetaInformation: page.meta, Orders: page.items };
  });

  app.get('/3/orders/:DocumentNumber', async (request) => {
    const { DocumentNumber } = request.params as { DocumentNumber: string };
    return { Order: orderView(find(tenantOf(request), DocumentNumber), baseUrl(request)) };
  });

  app.post('/3/orders', async (request, reply) => {
    const order = createOrder(tenantOf(request), envelope(request.body, 'Order'), nowMs(), today());
    reply.code(201);
    return { Order: orderView(order, baseUrl(request)) };
  });

  app.put('/3/orders/:DocumentNumber', async (request) => {
    const tenant = tenantOf(request);
    const { DocumentNumber } = request.params as { DocumentNumber: string };
    const order = find(tenant, DocumentNumber);
    assertEditable(order);
    const input = envelope(request.body, 'Order');
    // Build the new version on a copy: a refused update leaves the order as it was.
    const draft: Order = { ...order, EmailInformation: { ...order.EmailInformation } };
    if (input.CustomerNumber !== undefined) {
      const customerNumber = str(input.CustomerNumber, 'CustomerNumber');
      const customer = tenant.customers.get(customerNumber);
      if (!customer)
        throw new FortnoxApiError(400, FortnoxCode.CustomerNotFound, `Kunde inte hitta kunden (${customerNumber}).`);
      if (customerNumber !== order.CustomerNumber) draft.CustomerName = String(customer.data.Name ?? '');
      draft.CustomerNumber = customerNumber;
    }
    assignStrings(draft, input, HEADER_STRINGS);
    if (input.OrderDate !== undefined) draft.OrderDate = dateValue(input.OrderDate, 'OrderDate');
    if (input.DeliveryDate !== undefined) draft.DeliveryDate = dateValue(input.DeliveryDate, 'DeliveryDate');
    if (input.Sent !== undefined) draft.Sent = bool(input.Sent, 'Sent');
    if (input.NotCompleted !== undefined) draft.NotCompleted = bool(input.NotCompleted, 'NotCompleted');
    if (input.EmailInformation && typeof input.EmailInformation === 'object') {
      draft.EmailInformation = { ...draft.EmailInformation, ...(input.EmailInformation as Json) };
    }
    applyDeliveryState(tenant, draft, input);
    draft.OrderRows = mergeRows(tenant, order.OrderRows, input.OrderRows);
    checkDeliveredQuantities(tenant, draft, order.OrderRows);
    draft.OrderRows = renumber(tenant, draft.OrderRows);
    syncWarehouse(tenant, draft);
    Object.assign(order, draft);
    touchOrder(tenant, order, nowMs());
    return { Order: orderView(order, baseUrl(request)) };
  });

  app.put('/3/orders/:DocumentNumber/cancel', async (request) => {
    const tenant = tenantOf(request);
    const { DocumentNumber } = request.params as { DocumentNumber: string };
    const order = find(tenant, DocumentNumber);
    if (order.InvoiceReference)
      throw new FortnoxApiError(400, FortnoxCode.OrderLocked, 'Ordern är fakturerad och kan inte makuleras.');
    if (!order.Cancelled) cancelOrderState(tenant, order, nowMs());
    return { Order: orderView(order, baseUrl(request)) };
  });

  /*
   * Invoicing twice is undocumented in Fortnox; the sandbox refuses it with a 400 so a product that relies on it
   * fails loudly here. The product must check InvoiceReference on a fresh GET instead.
   */
  app.put('/3/orders/:DocumentNumber/createinvoice', async (request) => {
    const tenant = tenantOf(request);
    const { DocumentNumber } = request.params as { DocumentNumber: string };
    const order = find(tenant, DocumentNumber);
    if (order.Cancelled)
      throw new FortnoxApiError(400, FortnoxCode.OrderLocked, 'Ordern är makulerad och kan inte faktureras.');
    if (order.InvoiceReference) {
      throw new FortnoxApiError(
        400,
        FortnoxCode.AlreadyInvoiced,
        `Ordern är redan fakturerad (faktura ${order.InvoiceReference}).`,
      );
    }
    const invoice = createInvoice(
      tenant,
      {
        CustomerNumber: order.CustomerNumber,
        CustomerName: order.CustomerName,
        YourReference: order.YourReference,
        OurReference: order.OurReference,
        YourOrderNumber: order.YourOrderNumber,
        Remarks: order.Remarks,
        ExternalInvoiceReference1: order.ExternalInvoiceReference1,
        ExternalInvoiceReference2: order.ExternalInvoiceReference2,
        Currency: order.Currency,
        // What was delivered is what gets invoiced.
        InvoiceRows: order.OrderRows.map((row) => ({
          ArticleNumber: row.ArticleNumber || undefined,
          Description: row.Description,
          DeliveredQuantity: row.DeliveredQuantity,
          Price: row.Price,
          Discount: row.DiscountType === 'PERCENT' ? row.Discount : 0,
          Unit: row.Unit,
          VAT: row.VAT,
          AccountNumber: row.AccountNumber,
        })),
      },
      nowMs(),
      today(),
    );
    invoice.OrderReference = order.DocumentNumber;
    order.InvoiceReference = invoice.DocumentNumber;
    if (tenant.lager) {
      order.WarehouseReady = true;
      invoice.WarehouseReady = true;
      tenant.warehouse.releaseOrderMovement(String(order.DocumentNumber));
    }
    touchOrder(tenant, order, nowMs());
    return { Invoice: invoiceView(invoice, baseUrl(request)) };
  });
}
