// Typed Fortnox client (REST v3 + Lager warehouse API): paced, authenticated, validated, every failure classified.
import got from 'got';
import { z } from 'zod';
import { TokenManager } from './auth';
import type { FortnoxAuth } from './auth';
import { errorFromResponse, errorFromTransport, parseErrorBody } from './classify';
import { FortnoxSchemaError } from './errors';
import type { Pacer } from './pacer';
import {
  ArticleListItemSchema,
  ArticleSchema,
  CompanyInformationSchema,
  CustomerListItemSchema,
  CustomerSchema,
  DocumentTypeSchema,
  InboundDocumentSchema,
  InvoiceListItemSchema,
  InvoiceSchema,
  OrderListItemSchema,
  OrderSchema,
  OutboundDocumentSchema,
  PurchaseOrderSchema,
  StockBalanceSchema,
  StockPointSchema,
  SupplierListItemSchema,
  SupplierSchema,
  WarehouseTenantSchema,
  list,
  single,
} from './schemas';
import type {
  ArticleInput,
  ArticlePatch,
  CustomerInput,
  DocumentType,
  FortnoxArticle,
  FortnoxArticleListItem,
  FortnoxCompanyInformation,
  FortnoxCustomer,
  FortnoxCustomerListItem,
  FortnoxInvoice,
  FortnoxInvoiceListItem,
  FortnoxOrder,
  FortnoxOrderListItem,
  FortnoxSupplier,
  FortnoxSupplierListItem,
  InboundDocument,
  InboundDocumentInput,
  ListPage,
  OrderInput,
  OrderPatch,
  OutboundDocument,
  OutboundDocumentInput,
  PurchaseOrder,
  PurchaseOrderInput,
  SupplierInput,
  StockBalance,
  StockPoint,
  StockPointInput,
  WarehouseTenant,
  InvoiceInput,
} from './schemas';
import { observeApiCall } from '../../observability/metrics';
import { formatStockholmTimestamp } from './stockholm-time';
import { defaultTokenStore } from './token-store';
import type { TokenStore } from './token-store';

export type { FortnoxAuth } from './auth';

export interface FortnoxClientOptions {
  /** https://api.fortnox.se, or the sandbox's url. */
  apiBaseUrl: string;
  /** https://apps.fortnox.se, or the sandbox's url. */
  authBaseUrl: string;
  /** Our tenant id: the key for the token store and the pacer. */
  tenantKey: string;
  auth: FortnoxAuth;
  /** Default: a FileTokenStore (see defaultTokenStore), so tokens survive restarts and are shared by processes on the host. */
  tokenStore?: TokenStore;
  pacer?: Pacer;
  /** Per request, default 30 s. */
  timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | undefined>;

interface CallOptions<S extends z.ZodType | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  /** Undefined: the answer has no body we need (204 or an ignored echo). */
  schema: S;
}

export type OrderListFilter = 'cancelled' | 'expired' | 'invoicecreated' | 'invoicenotcreated';
export type InvoiceListFilter = 'cancelled' | 'fullypaid' | 'unpaid' | 'unpaidoverdue' | 'unbooked';
export type ArticleListFilter = 'active' | 'inactive';

export interface ListOrdersQuery {
  filter?: OrderListFilter;
  /** Sent as `lastmodified` in Stockholm local time. */
  lastModifiedSince?: Date;
  sent?: boolean;
  customerNumber?: string;
  /** Fortnox's own order; paging through a listing that changes meanwhile needs a stable one (documentnumber). */
  sortBy?: 'documentnumber';
  page?: number;
  limit?: number;
}

export interface ListInvoicesQuery {
  externalInvoiceReference1?: string;
  customerNumber?: string;
  filter?: InvoiceListFilter;
  lastModifiedSince?: Date;
  page?: number;
  limit?: number;
}

export interface ListArticlesQuery {
  lastModifiedSince?: Date;
  filter?: ArticleListFilter;
  page?: number;
  limit?: number;
}

export interface ListSuppliersQuery {
  lastModifiedSince?: Date;
  page?: number;
  limit?: number;
}

export interface ListCustomersQuery {
  lastModifiedSince?: Date;
  page?: number;
  limit?: number;
}

export type WarehouseDirection = 'inbound' | 'outbound';

/** The largest page Fortnox serves: used when following all pages, and by workflows that page one request at a time. */
export const FORTNOX_MAX_PAGE_SIZE = 500;

const id = (value: string | number) => encodeURIComponent(String(value));

/**
 * Fortnox's OpenAPI types row quantities as strings (OrderOrderRow.OrderedQuantity and DeliveredQuantity,
 * InvoicePayloadInvoiceRow.DeliveredQuantity), and Fortnox itself answers them so ("10.00"). The product works with
 * numbers; at the wire they are sent as the spec types them.
 */
const quantityText = (value: number) => String(value);

function orderBody(order: OrderPatch): Record<string, unknown> {
  if (!order.OrderRows) return order;
  return {
    ...order,
    OrderRows: order.OrderRows.map(({ OrderedQuantity, DeliveredQuantity, ...row }) => ({
      ...row,
      ...(OrderedQuantity === undefined ? {} : { OrderedQuantity: quantityText(OrderedQuantity) }),
      ...(DeliveredQuantity === undefined ? {} : { DeliveredQuantity: quantityText(DeliveredQuantity) }),
    })),
  };
}

function invoiceBody(invoice: InvoiceInput): Record<string, unknown> {
  return {
    ...invoice,
    InvoiceRows: invoice.InvoiceRows.map(({ DeliveredQuantity, ...row }) => ({
      ...row,
      DeliveredQuantity: quantityText(DeliveredQuantity),
    })),
  };
}

export class FortnoxClient {
  private readonly apiBaseUrl: string;
  private readonly tenantKey: string;
  private readonly pacer: Pacer | undefined;
  private readonly timeoutMs: number;
  /** Set on a view made by withSignal: aborts pacer waits and requests in flight. */
  private readonly signal: AbortSignal | undefined;
  private readonly tokens: TokenManager;

  constructor(options: FortnoxClientOptions) {
    this.apiBaseUrl = options.apiBaseUrl.replace(/\/$/, '');
    this.tenantKey = options.tenantKey;
    this.pacer = options.pacer;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.tokens = new TokenManager({
      authBaseUrl: options.authBaseUrl,
      tenantKey: options.tenantKey,
      auth: options.auth,
      tokenStore: options.tokenStore ?? defaultTokenStore(),
      timeoutMs: this.timeoutMs,
    });
  }

  /**
   * This client, for one activity: every pacer wait and request in flight is abandoned when `signal` aborts (the
   * activity was cancelled or timed out, and its retry may already run). Shares the token manager and pacer: a view,
   * not a new client.
   */
  withSignal(signal: AbortSignal): FortnoxClient {
    const view = Object.create(this) as FortnoxClient;
    Object.defineProperty(view, 'signal', { value: signal });
    return view;
  }

  // ---- authorization --------------------------------------------------------------------------------------

  /**
   * Gets an access token (from the store, by client credentials, or by spending the stored refresh token under the
   * store's lock, as every call does) and returns the scopes Fortnox granted, when it said. For `doctor`.
   */
  /**
   * A valid access token (refreshed if needed, through the shared token store): Fortnox's event stream takes the
   * tokens themselves in its add-tenants-v1 command.
   */
  accessToken(): Promise<string> {
    return this.tokens.accessToken();
  }

  grantedScope(): Promise<string | undefined> {
    return this.tokens.grantedScope();
  }

  // ---- orders ---------------------------------------------------------------------------------------------

  listOrders(query: ListOrdersQuery = {}): Promise<ListPage<FortnoxOrderListItem>> {
    return this.call({
      method: 'GET',
      path: '/3/orders',
      query: {
        filter: query.filter,
        lastmodified: query.lastModifiedSince && formatStockholmTimestamp(query.lastModifiedSince),
        sent: query.sent,
        customernumber: query.customerNumber,
        sortby: query.sortBy,
        page: query.page,
        limit: query.limit,
      },
      schema: list('Orders', OrderListItemSchema),
    });
  }

  listAllOrders(query: Omit<ListOrdersQuery, 'page'> = {}): Promise<FortnoxOrderListItem[]> {
    return this.followPages((page) => this.listOrders({ limit: FORTNOX_MAX_PAGE_SIZE, ...query, page }));
  }

  /** 404 → FortnoxError (non-retryable, status 404). */
  getOrder(documentNumber: string | number): Promise<FortnoxOrder> {
    return this.call({ method: 'GET', path: `/3/orders/${id(documentNumber)}`, schema: single('Order', OrderSchema) });
  }

  createOrder(order: OrderInput): Promise<FortnoxOrder> {
    return this.call({
      method: 'POST',
      path: '/3/orders',
      body: { Order: orderBody(order) },
      schema: single('Order', OrderSchema),
    });
  }

  /**
   * Rows with RowId are updated, rows without are added, rows left out are removed (send `{RowId}` to keep one).
   * Every update renumbers RowIds: use the returned order, never RowIds from before.
   */
  updateOrder(documentNumber: string | number, patch: OrderPatch): Promise<FortnoxOrder> {
    return this.call({
      method: 'PUT',
      path: `/3/orders/${id(documentNumber)}`,
      body: { Order: orderBody(patch) },
      schema: single('Order', OrderSchema),
    });
  }

  cancelOrder(documentNumber: string | number): Promise<FortnoxOrder> {
    return this.call({
      method: 'PUT',
      path: `/3/orders/${id(documentNumber)}/cancel`,
      schema: single('Order', OrderSchema),
    });
  }

  /** Not idempotent in Fortnox: the caller checks InvoiceReference on a fresh GET first. */
  createInvoiceFromOrder(documentNumber: string | number): Promise<FortnoxInvoice> {
    return this.call({
      method: 'PUT',
      path: `/3/orders/${id(documentNumber)}/createinvoice`,
      schema: single('Invoice', InvoiceSchema),
    });
  }

  // ---- invoices -------------------------------------------------------------------------------------------

  listInvoices(query: ListInvoicesQuery = {}): Promise<ListPage<FortnoxInvoiceListItem>> {
    return this.call({
      method: 'GET',
      path: '/3/invoices',
      query: {
        filter: query.filter,
        externalinvoicereference1: query.externalInvoiceReference1,
        customernumber: query.customerNumber,
        lastmodified: query.lastModifiedSince && formatStockholmTimestamp(query.lastModifiedSince),
        page: query.page,
        limit: query.limit,
      },
      schema: list('Invoices', InvoiceListItemSchema),
    });
  }

  listAllInvoices(query: Omit<ListInvoicesQuery, 'page'> = {}): Promise<FortnoxInvoiceListItem[]> {
    return this.followPages((page) => this.listInvoices({ limit: FORTNOX_MAX_PAGE_SIZE, ...query, page }));
  }

  getInvoice(documentNumber: string | number): Promise<FortnoxInvoice> {
    return this.call({
      method: 'GET',
      path: `/3/invoices/${id(documentNumber)}`,
      schema: single('Invoice', InvoiceSchema),
    });
  }

  /** Look up ExternalInvoiceReference1 first: Fortnox has no idempotency key. */
  createInvoice(invoice: InvoiceInput): Promise<FortnoxInvoice> {
    return this.call({
      method: 'POST',
      path: '/3/invoices',
      body: { Invoice: invoiceBody(invoice) },
      schema: single('Invoice', InvoiceSchema),
    });
  }

  // ---- articles -------------------------------------------------------------------------------------------

  listArticles(query: ListArticlesQuery = {}): Promise<ListPage<FortnoxArticleListItem>> {
    return this.call({
      method: 'GET',
      path: '/3/articles',
      query: {
        filter: query.filter,
        lastmodified: query.lastModifiedSince && formatStockholmTimestamp(query.lastModifiedSince),
        page: query.page,
        limit: query.limit,
      },
      schema: list('Articles', ArticleListItemSchema),
    });
  }

  listAllArticles(query: Omit<ListArticlesQuery, 'page'> = {}): Promise<FortnoxArticleListItem[]> {
    return this.followPages((page) => this.listArticles({ limit: FORTNOX_MAX_PAGE_SIZE, ...query, page }));
  }

  getArticle(articleNumber: string): Promise<FortnoxArticle> {
    return this.call({
      method: 'GET',
      path: `/3/articles/${id(articleNumber)}`,
      schema: single('Article', ArticleSchema),
    });
  }

  createArticle(article: ArticleInput): Promise<FortnoxArticle> {
    return this.call({
      method: 'POST',
      path: '/3/articles',
      body: { Article: article },
      schema: single('Article', ArticleSchema),
    });
  }

  /** Only the fields sent change. */
  updateArticle(articleNumber: string, patch: ArticlePatch): Promise<FortnoxArticle> {
    return this.call({
      method: 'PUT',
      path: `/3/articles/${id(articleNumber)}`,
      body: { Article: patch },
      schema: single('Article', ArticleSchema),
    });
  }

  // ---- suppliers, customers, company ----------------------------------------------------------------------

  listSuppliers(query: ListSuppliersQuery = {}): Promise<ListPage<FortnoxSupplierListItem>> {
    return this.call({
      method: 'GET',
      path: '/3/suppliers',
      query: {
        lastmodified: query.lastModifiedSince && formatStockholmTimestamp(query.lastModifiedSince),
        page: query.page,
        limit: query.limit,
      },
      schema: list('Suppliers', SupplierListItemSchema),
    });
  }

  listAllSuppliers(query: Omit<ListSuppliersQuery, 'page'> = {}): Promise<FortnoxSupplierListItem[]> {
    return this.followPages((page) => this.listSuppliers({ limit: FORTNOX_MAX_PAGE_SIZE, ...query, page }));
  }

  getSupplier(supplierNumber: string): Promise<FortnoxSupplier> {
    return this.call({
      method: 'GET',
      path: `/3/suppliers/${id(supplierNumber)}`,
      schema: single('Supplier', SupplierSchema),
    });
  }

  createSupplier(supplier: SupplierInput): Promise<FortnoxSupplier> {
    return this.call({
      method: 'POST',
      path: '/3/suppliers',
      body: { Supplier: supplier },
      schema: single('Supplier', SupplierSchema),
    });
  }

  /** Only the fields sent change. */
  updateSupplier(supplierNumber: string, patch: Partial<SupplierInput>): Promise<FortnoxSupplier> {
    return this.call({
      method: 'PUT',
      path: `/3/suppliers/${id(supplierNumber)}`,
      body: { Supplier: patch },
      schema: single('Supplier', SupplierSchema),
    });
  }

  getCustomer(customerNumber: string): Promise<FortnoxCustomer> {
    return this.call({
      method: 'GET',
      path: `/3/customers/${id(customerNumber)}`,
      schema: single('Customer', CustomerSchema),
    });
  }

  createCustomer(customer: CustomerInput): Promise<FortnoxCustomer> {
    return this.call({
      method: 'POST',
      path: '/3/customers',
      body: { Customer: customer },
      schema: single('Customer', CustomerSchema),
    });
  }

  listCustomers(query: ListCustomersQuery = {}): Promise<ListPage<FortnoxCustomerListItem>> {
    return this.call({
      method: 'GET',
      path: '/3/customers',
      query: {
        lastmodified: query.lastModifiedSince && formatStockholmTimestamp(query.lastModifiedSince),
        page: query.page,
        limit: query.limit,
      },
      schema: list('Customers', CustomerListItemSchema),
    });
  }

  getCompanyInformation(): Promise<FortnoxCompanyInformation> {
    return this.call({
      method: 'GET',
      path: '/3/companyinformation',
      schema: single('CompanyInformation', CompanyInformationSchema),
    });
  }

  // ---- Lager (warehouse API) ------------------------------------------------------------------------------

  getWarehouseTenant(): Promise<WarehouseTenant> {
    return this.call({ method: 'GET', path: '/api/warehouse/tenants-v4', schema: WarehouseTenantSchema });
  }

  /** Create or replace. Quantity and value count in stock only once released. */
  putInboundDocument(type: string, documentId: string | number, body: InboundDocumentInput): Promise<InboundDocument> {
    return this.call({
      method: 'PUT',
      path: customPath('inbound', type, documentId),
      body,
      schema: InboundDocumentSchema,
    });
  }

  getInboundDocument(type: string, documentId: string | number): Promise<InboundDocument> {
    return this.call({ method: 'GET', path: customPath('inbound', type, documentId), schema: InboundDocumentSchema });
  }

  /** Create or replace. Affects stock when saved; compare reservedQuantity/deliveredQuantity with what was asked. */
  putOutboundDocument(
    type: string,
    documentId: string | number,
    body: OutboundDocumentInput,
  ): Promise<OutboundDocument> {
    return this.call({
      method: 'PUT',
      path: customPath('outbound', type, documentId),
      body,
      schema: OutboundDocumentSchema,
    });
  }

  getOutboundDocument(type: string, documentId: string | number): Promise<OutboundDocument> {
    return this.call({ method: 'GET', path: customPath('outbound', type, documentId), schema: OutboundDocumentSchema });
  }

  /** "WarehouseReady": locks the document (only void is allowed afterwards) and queues it for bookkeeping. */
  releaseDocument(direction: WarehouseDirection, type: string, documentId: string | number): Promise<void> {
    return this.call({ method: 'PUT', path: `${customPath(direction, type, documentId)}/release`, schema: undefined });
  }

  /** Undoes the document's stock effect and keeps it. */
  voidDocument(
    direction: WarehouseDirection,
    type: string,
    documentId: string | number,
    options: { force?: boolean } = {},
  ): Promise<void> {
    return this.call({
      method: 'PUT',
      path: `${customPath(direction, type, documentId)}/void`,
      query: { force: options.force },
      schema: undefined,
    });
  }

  listDocumentTypes(): Promise<DocumentType[]> {
    return this.call({
      method: 'GET',
      path: '/api/warehouse/documentdeliveries/custom/documenttypes-v1',
      schema: z.array(DocumentTypeSchema),
    });
  }

  getStockBalance(query: { itemIds?: string[]; stockPointCodes?: string[] } = {}): Promise<StockBalance[]> {
    return this.call({
      method: 'GET',
      path: '/api/warehouse/status-v1/stockbalance',
      query: {
        itemIds: query.itemIds?.length ? query.itemIds.join(',') : undefined,
        stockPointCodes: query.stockPointCodes?.length ? query.stockPointCodes.join(',') : undefined,
      },
      schema: z.array(StockBalanceSchema),
    });
  }

  listStockPoints(query: { q?: string; state?: 'ACTIVE' | 'INACTIVE' | 'ALL' } = {}): Promise<StockPoint[]> {
    return this.call({
      method: 'GET',
      path: '/api/warehouse/stockpoints-v1',
      query: { q: query.q, state: query.state },
      schema: z.array(StockPointSchema),
    });
  }

  createStockPoint(stockPoint: StockPointInput): Promise<StockPoint> {
    return this.call({
      method: 'POST',
      path: '/api/warehouse/stockpoints-v1',
      body: stockPoint,
      schema: StockPointSchema,
    });
  }

  /** `state`: NOT_SENT, SENT, SENT_NOT_REJECTED, DELAYED, RECEIVED, VOIDED, CURRENT or ALL. */
  listPurchaseOrders(
    query: { state?: string; supplierNumber?: string; itemId?: string } = {},
  ): Promise<PurchaseOrder[]> {
    return this.call({
      method: 'GET',
      path: '/api/warehouse/purchaseorders-v1',
      query: { state: query.state, supplierNumber: query.supplierNumber, itemId: query.itemId },
      schema: z.array(PurchaseOrderSchema),
    });
  }

  getPurchaseOrder(purchaseOrderId: string | number): Promise<PurchaseOrder> {
    return this.call({
      method: 'GET',
      path: `/api/warehouse/purchaseorders-v1/${id(purchaseOrderId)}`,
      schema: PurchaseOrderSchema,
    });
  }

  createPurchaseOrder(purchaseOrder: PurchaseOrderInput): Promise<PurchaseOrder> {
    const body = {
      ...purchaseOrder,
      // PurchaseOrderRow requires both: a new order has all of its quantity left, in the order's currency.
      rows: purchaseOrder.rows.map((row) => ({
        ...row,
        remainingOrderedQuantity: row.orderedQuantity,
        currencyCode: purchaseOrder.currencyCode,
      })),
    };
    return this.call({ method: 'POST', path: '/api/warehouse/purchaseorders-v1', body, schema: PurchaseOrderSchema });
  }

  // ---- plumbing -------------------------------------------------------------------------------------------

  private async followPages<T>(fetchPage: (page: number) => Promise<ListPage<T>>): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; ; page++) {
      const result = await fetchPage(page);
      items.push(...result.items);
      if (result.items.length === 0 || page >= result.totalPages) return items;
    }
  }

  private async call<S extends z.ZodType | undefined>(
    options: CallOptions<S>,
  ): Promise<S extends z.ZodType ? z.output<S> : void> {
    let answer = await this.send(options);
    if (isDeadToken(answer.status, answer.body)) {
      // Fortnox may revoke a token before its expiry, and answers 401 or 403 for it: get a new one once, then give up.
      this.tokens.invalidate(answer.token);
      answer = await this.send(options);
    }
    const { status, headers, body } = answer;
    if (status < 200 || status >= 300) {
      const error = errorFromResponse({ method: options.method, path: options.path, status, headers, body });
      if (error.kind === 'rate-limited') this.pacer?.onRateLimited(this.tenantKey, error.retryAfterMs ?? 5000);
      throw error;
    }
    if (!options.schema) return undefined as S extends z.ZodType ? z.output<S> : void;
    return parseBody(options.method, options.path, status, body, options.schema) as S extends z.ZodType
      ? z.output<S>
      : void;
  }

  private async send(options: CallOptions<z.ZodType | undefined>) {
    const token = await this.tokens.accessToken();
    const grant = await this.pacer?.acquire(this.tenantKey, this.signal);
    const searchParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) searchParams[key] = String(value);
    }
    const startedAt = Date.now();
    try {
      const response = await got(`${this.apiBaseUrl}${options.path}`, {
        method: options.method,
        searchParams,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: false,
        timeout: { request: this.timeoutMs },
        responseType: 'text',
        ...(this.signal ? { signal: this.signal } : {}),
      });
      observeApiCall('fortnox', options.method, options.path, response.statusCode, Date.now() - startedAt);
      return { token, status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      observeApiCall('fortnox', options.method, options.path, undefined, Date.now() - startedAt);
      throw errorFromTransport({ method: options.method, path: options.path, error });
    } finally {
      grant?.done();
    }
  }
}

/** Fortnox's code for "no licence for this scope": a 403 that a new token would not cure. */
const NO_LICENCE_FOR_SCOPE = '2001101';

/**
 * A 401, or a 403 that is not about the licence: Fortnox documents 403 as failed authentication, and an expired or
 * revoked token may get either. Refreshing once costs little; not refreshing parks every order until a restart.
 */
function isDeadToken(status: number, body: string): boolean {
  if (status === 401) return true;
  return status === 403 && parseErrorBody(body).code !== NO_LICENCE_FOR_SCOPE;
}

function customPath(direction: WarehouseDirection, type: string, documentId: string | number): string {
  return `/api/warehouse/documentdeliveries/custom/${direction}-v1/${id(type)}/${id(documentId)}`;
}

/** 2xx bodies must be JSON of the expected shape: HTML, empty or malformed bodies are schema errors naming the field. */
function parseBody<S extends z.ZodType>(
  method: string,
  path: string,
  status: number,
  text: string,
  schema: S,
): z.output<S> {
  const fail = (field: string, issues: string[]) => new FortnoxSchemaError({ method, path, status, field, issues });
  if (text.trim() === '') throw fail('(body)', ['(body): empty body on a success answer']);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail('(body)', [/^\s*</.test(text) ? '(body): HTML instead of JSON' : '(body): not valid JSON']);
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  const first = result.error.issues[0];
  throw fail(first?.path.join('.') || '(body)', issues);
}
