// Typed client for the Ongoing WMS goods-owner REST API v1: zod-validated answers, classified failures.
import got, { RequestError } from 'got';
import { WmsStatus, warehouseHasStarted } from '../../domain/order';
import { z } from 'zod';
import { observeApiCall } from '../../observability/metrics';
import {
  WmsError,
  WmsInvoiceChargesNotPermittedError,
  WmsOrderCancelledError,
  WmsOrderStartedError,
  WmsSchemaError,
} from './errors';
import {
  historicalInventorySchema,
  inventoryAdjustmentsLineSchema,
  inventoryPerWarehouseSchema,
  orderInvoiceChargeSchema,
  orderPutResponseSchema,
  wmsArticleSchema,
  wmsArticleUpsertSchema,
  wmsOrderSchema,
  wmsOrderUpsertSchema,
  wmsPurchaseOrderSchema,
  wmsPurchaseOrderUpsertSchema,
  wmsWarehouseSchema,
  type WmsArticle,
  type WmsArticleUpsert,
  type WmsHistoricalInventory,
  type WmsInventoryAdjustmentsLine,
  type WmsInventoryPerWarehouse,
  type WmsOrder,
  type WmsOrderInvoiceCharge,
  type WmsOrderUpsert,
  type WmsPurchaseOrder,
  type WmsPurchaseOrderUpsert,
  type WmsWarehouse,
} from './schemas';

export interface WmsClientOptions {
  /** Up to and including the warehouse segment, e.g. `https://api.ongoingsystems.se/acme3pl`. */
  baseUrl: string;
  username: string;
  password: string;
  goodsOwnerId: number;
  /** Per request; default 15 s. */
  timeoutMs?: number;
}

/** Ongoing answers every match at once unless asked for less ("we recommend that you paginate"): our page size. */
export const WMS_PAGE_SIZE = 500;

export interface ListOrdersFilter {
  orderNumber?: string;
  orderStatusFrom?: number;
  orderStatusTo?: number;
  orderStatusChangedTimeFrom?: Date | string;
  /** Ongoing: "marked as shipped after this time". */
  shippedTimeFrom?: Date | string;
  /** Ongoing: "marked as shipped before this time". */
  shippedTimeTo?: Date | string;
  orderIdFrom?: number;
  maxOrdersToGet?: number;
  onlyOrdersWithOrderLinesToReport?: boolean;
}

export interface ListArticlesFilter {
  articleNumber?: string;
  articleSystemIdFrom?: number;
  maxArticlesToGet?: number;
  stockInfoChangedFrom?: Date | string;
  articleDataLastUpdatedFrom?: Date | string;
}

export interface ListPurchaseOrdersFilter {
  purchaseOrderNumber?: string;
  /** Several at once (Ongoing's `purchaseOrderNumbers`, repeated in the query). */
  purchaseOrderNumbers?: string[];
  /** Ongoing: "at least one line has ReportedNumberOfItems != ReceivedNumberOfItems". */
  onlyPurchaseOrdersWithOrderLinesToReport?: boolean;
  purchaseOrderStatusFrom?: number;
  purchaseOrderStatusTo?: number;
  lastReceiveTimeFrom?: Date | string;
  lastReceiveTimeTo?: Date | string;
  purchaseOrderIdFrom?: number;
  maxPurchaseOrdersToGet?: number;
}

/**
 * Walks an Ongoing list in pages: `fetch(from, max)` asks for ids ≥ from (Ongoing's `...IdFrom` is inclusive), at most
 * `max` of them; a short page is the last.
 */
async function* idPages<T>(
  fetch: (from: number, max: number) => Promise<T[]>,
  idOf: (item: T) => number,
  pageSize: number,
  start = 0,
) {
  for (let from = start; ;) {
    const page = await fetch(from, pageSize);
    if (page.length) yield page;
    if (page.length < pageSize) return;
    const next = Math.max(...page.map(idOf)) + 1;
    // A page that does not move the cursor would repeat forever: the server ignored the filter.
    if (next <= from) throw new Error(`WMS paging did not advance past id ${from}`);
    from = next;
  }
}

type QueryValue = string | number | boolean | Date | undefined | string[];
type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

const putResponse = (idField: string) => z.object({ [idField]: z.number().int(), message: z.string().nullish() });

/**
 * A request body checked against Ongoing's model before it is sent: what the WMS would refuse (or silently drop) fails
 * here, non-retryably, naming the field.
 */
function requestBody<S extends z.ZodType>(schema: S, value: unknown, method: Method, path: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new WmsError(
    `WMS ${method} ${path} not sent: the body does not fit Ongoing's model (${issues.slice(0, 5).join('; ')})`,
    {
      kind: 'non-retryable',
      method,
      path,
    },
  );
}

/** All pages of a paged listing, in one array: for callers that need the whole (bounded) set at once. */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

export class WmsClient {
  private readonly baseUrl: string;
  private readonly username: string;
  private readonly password: string;
  readonly goodsOwnerId: number;
  private readonly timeoutMs: number;

  constructor(options: WmsClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.username = options.username;
    this.password = options.password;
    this.goodsOwnerId = options.goodsOwnerId;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  // ---- articles ----

  async upsertArticle(article: WmsArticleUpsert): Promise<{ articleSystemId: number }> {
    const body = requestBody(
      wmsArticleUpsertSchema,
      { ...article, goodsOwnerId: this.goodsOwnerId },
      'PUT',
      '/articles',
    );
    const res = await this.request('PUT', '/articles', { body, schema: putResponse('articleSystemId') });
    return { articleSystemId: res.articleSystemId as number };
  }

  async getArticleByNumber(articleNumber: string): Promise<WmsArticle | undefined> {
    const list = await this.listArticles({ articleNumber });
    return list.find((a) => a.articleNumber === articleNumber);
  }

  async getArticle(articleSystemId: number): Promise<WmsArticle> {
    return this.request('GET', `/articles/${articleSystemId}`, { schema: wmsArticleSchema });
  }

  /** One call: pass maxArticlesToGet (or use articlePages) unless the filter is narrow. */
  async listArticles(filter: ListArticlesFilter = {}): Promise<WmsArticle[]> {
    return this.request('GET', '/articles', {
      query: { goodsOwnerId: this.goodsOwnerId, ...filter },
      schema: z
        .array(wmsArticleSchema)
        .nullable()
        .transform((v) => v ?? []),
    });
  }

  /** Every article matching the filter, a page at a time. */
  articlePages(
    filter: Omit<ListArticlesFilter, 'articleSystemIdFrom' | 'maxArticlesToGet'> = {},
    pageSize = WMS_PAGE_SIZE,
  ) {
    return idPages(
      (from, max) => this.listArticles({ ...filter, articleSystemIdFrom: from, maxArticlesToGet: max }),
      (a) => a.articleSystemId,
      pageSize,
    );
  }

  /** Stock per warehouse, a page of articles at a time (entries carry only warehouseId: see listWarehouses). */
  inventoryPages(articleNumbers?: string[], pageSize = WMS_PAGE_SIZE) {
    return idPages(
      (from, max) =>
        this.request('GET', '/articles/inventoryPerWarehouse', {
          query: { goodsOwnerId: this.goodsOwnerId, articleNumbers, articleSystemIdFrom: from, maxArticlesToGet: max },
          schema: z
            .array(inventoryPerWarehouseSchema)
            .nullable()
            .transform((v) => v ?? []),
        }),
      (a) => a.articleSystemId,
      pageSize,
    );
  }

  async getInventoryPerWarehouse(articleNumbers?: string[]): Promise<WmsInventoryPerWarehouse[]> {
    return collect(this.inventoryPages(articleNumbers));
  }

  /** Adjustments made in [from, toTime): Ongoing's keys are `from` and `toTime` (`to` is obsolete). No paging exists. */
  async listInventoryAdjustments(
    period: { from?: Date | string; to?: Date | string } = {},
  ): Promise<WmsInventoryAdjustmentsLine[]> {
    return this.request('GET', '/inventoryAdjustments', {
      query: { goodsOwnerId: this.goodsOwnerId, from: period.from, toTime: period.to },
      schema: z
        .array(inventoryAdjustmentsLineSchema)
        .nullable()
        .transform((v) => v ?? []),
    });
  }

  /**
   * Stock per article at `stockDate` ("the historical stock balances for all articles at a specific time in the past"):
   * unlike inventoryPerWarehouse it reads the same on every run. No paging exists; `warehouseId` narrows it to one.
   */
  async getHistoricalInventory(stockDate: Date | string, warehouseId?: number): Promise<WmsHistoricalInventory[]> {
    return this.request('GET', '/articles/historicalInventory', {
      query: { goodsOwnerId: this.goodsOwnerId, stockDate, warehouseId },
      schema: z
        .array(historicalInventorySchema)
        .nullable()
        .transform((v) => v ?? []),
    });
  }

  async listWarehouses(): Promise<WmsWarehouse[]> {
    return this.request('GET', '/warehouses', {
      schema: z
        .array(wmsWarehouseSchema)
        .nullable()
        .transform((v) => v ?? []),
    });
  }

  // ---- orders ----

  /**
   * PUT by orderNumber: creates or updates. Throws WmsOrderStartedError once the warehouse has started, and a
   * non-retryable WmsError before sending when the order lacks what Ongoing requires (a delivery date, a consignee).
   */
  async upsertOrder(
    order: Omit<WmsOrderUpsert, 'deliveryDate'> & { deliveryDate?: string },
  ): Promise<{ orderId: number }> {
    const body = requestBody(wmsOrderUpsertSchema, { ...order, goodsOwnerId: this.goodsOwnerId }, 'PUT', '/orders');
    try {
      const res = await this.request('PUT', '/orders', { body, schema: orderPutResponseSchema });
      return { orderId: res.orderId };
    } catch (err) {
      throw await this.explainRefusal(err, () => this.findOrderByNumber(body.orderNumber));
    }
  }

  async getOrder(orderId: number): Promise<WmsOrder> {
    return this.request('GET', `/orders/${orderId}`, { schema: wmsOrderSchema });
  }

  async findOrderByNumber(orderNumber: string): Promise<WmsOrder | undefined> {
    const list = await this.listOrders({ orderNumber });
    return list.find((o) => o.orderInfo.orderNumber === orderNumber);
  }

  /** One call: pass maxOrdersToGet (or use orderPages) unless the filter is narrow, e.g. one orderNumber. */
  async listOrders(filter: ListOrdersFilter = {}): Promise<WmsOrder[]> {
    return this.request('GET', '/orders', {
      query: { goodsOwnerId: this.goodsOwnerId, ...filter },
      schema: z
        .array(wmsOrderSchema)
        .nullable()
        .transform((v) => v ?? []),
    });
  }

  /**
   * Every order matching the filter, a page at a time (orderIdFrom cursor). `startAt` resumes a walk at that orderId
   * (e.g. after a retried activity's last heartbeat).
   */
  orderPages(
    filter: Omit<ListOrdersFilter, 'orderIdFrom' | 'maxOrdersToGet'> = {},
    pageSize = WMS_PAGE_SIZE,
    startAt = 0,
  ) {
    return idPages(
      (from, max) => this.listOrders({ ...filter, orderIdFrom: from, maxOrdersToGet: max }),
      (o) => o.orderInfo.orderId,
      pageSize,
      startAt,
    );
  }

  /**
   * The charges the warehouse booked on one order (GetOrderInvoiceChargeModel; a null body is none). Ongoing: "This
   * function requires an additional permission for the API user": a 401 or 403 here, where every other call of the same
   * user succeeds, is that permission missing, and becomes WmsInvoiceChargesNotPermittedError (non-retryable).
   */
  async getOrderInvoiceCharges(orderId: number): Promise<WmsOrderInvoiceCharge[]> {
    const path = `/orders/${orderId}/invoiceCharges`;
    try {
      return await this.request('GET', path, {
        schema: z
          .array(orderInvoiceChargeSchema)
          .nullable()
          .transform((v) => v ?? []),
      });
    } catch (err) {
      if (err instanceof WmsError && (err.status === 401 || err.status === 403)) {
        throw new WmsInvoiceChargesNotPermittedError(orderId, {
          method: err.method,
          path: err.path,
          status: err.status,
          responseBody: err.responseBody,
          cause: err,
        });
      }
      throw err;
    }
  }

  /**
   * DELETE cancels. Cancelling an order that is already cancelled succeeds (so a retried activity is harmless);
   * throws WmsOrderStartedError once the warehouse has started.
   */
  async cancelOrder(orderId: number): Promise<void> {
    try {
      await this.request('DELETE', `/orders/${orderId}`, { schema: z.unknown() });
    } catch (err) {
      let current: WmsOrder | undefined;
      const explained = await this.explainRefusal(err, async () => (current = await this.getOrder(orderId)));
      if (current?.orderInfo.orderStatus.number === WmsStatus.Cancelled) return;
      throw explained;
    }
  }

  /** Marks every line as reported to the ERP (reportedNumberOfItems := pickedNumberOfItems). */
  async markOrderReported(orderId: number): Promise<void> {
    await this.request('PATCH', `/orders/${orderId}/setReportedNumberOfItemsToPickedNumberOfItems`, {
      schema: z.unknown(),
    });
  }

  // ---- purchase orders ----

  async upsertPurchaseOrder(purchaseOrder: WmsPurchaseOrderUpsert): Promise<{ purchaseOrderId: number }> {
    const body = requestBody(
      wmsPurchaseOrderUpsertSchema,
      { ...purchaseOrder, goodsOwnerId: this.goodsOwnerId },
      'PUT',
      '/purchaseOrders',
    );
    const res = await this.request('PUT', '/purchaseOrders', { body, schema: putResponse('purchaseOrderId') });
    return { purchaseOrderId: res.purchaseOrderId as number };
  }

  async listPurchaseOrders(filter: ListPurchaseOrdersFilter = {}): Promise<WmsPurchaseOrder[]> {
    return this.request('GET', '/purchaseOrders', {
      query: { goodsOwnerId: this.goodsOwnerId, ...filter },
      schema: z
        .array(wmsPurchaseOrderSchema)
        .nullable()
        .transform((v) => v ?? []),
    });
  }

  /** Every purchase order matching the filter, a page at a time (purchaseOrderIdFrom cursor). */
  purchaseOrderPages(
    filter: Omit<ListPurchaseOrdersFilter, 'purchaseOrderIdFrom' | 'maxPurchaseOrdersToGet'> = {},
    pageSize = WMS_PAGE_SIZE,
  ) {
    return idPages(
      (from, max) => this.listPurchaseOrders({ ...filter, purchaseOrderIdFrom: from, maxPurchaseOrdersToGet: max }),
      (po) => po.purchaseOrderInfo.purchaseOrderId,
      pageSize,
    );
  }

  /**
   * Marks how many items of one line have been reported to the ERP (PatchPurchaseOrderReportedNumberOfItemsModel). An
   * absolute value, so a retry sets the same; `onlyPurchaseOrdersWithOrderLinesToReport` then skips the line.
   */
  async setPurchaseOrderLineReported(
    purchaseOrderId: number,
    purchaseOrderLineId: number,
    reportedNumberOfItems: number,
  ): Promise<void> {
    await this.request(
      'PATCH',
      `/purchaseOrders/${purchaseOrderId}/lines/${purchaseOrderLineId}/reportedNumberOfItems`,
      {
        body: { reportedNumberOfItems },
        schema: z.unknown(),
      },
    );
  }

  async getPurchaseOrderByNumber(purchaseOrderNumber: string): Promise<WmsPurchaseOrder | undefined> {
    const list = await this.listPurchaseOrders({ purchaseOrderNumber });
    return list.find((po) => po.purchaseOrderInfo.purchaseOrderNumber === purchaseOrderNumber);
  }

  // ---- plumbing ----

  /**
   * A 4xx on PUT/DELETE of an order may be Ongoing refusing a started order. Its wording is not a contract, so we
   * read the order back: if the warehouse has started on it, or cancelled it, the refusal gets its own error type.
   */
  private async explainRefusal(err: unknown, read: () => Promise<WmsOrder | undefined>): Promise<unknown> {
    if (!(err instanceof WmsError) || err.status === undefined || ![400, 409, 422].includes(err.status)) return err;
    try {
      const order = await read();
      if (order && warehouseHasStarted(order.orderInfo.orderStatus.number)) {
        return new WmsOrderStartedError(
          order.orderInfo.orderNumber,
          order.orderInfo.orderStatus.number,
          { method: err.method, path: err.path, status: err.status, responseBody: err.responseBody, cause: err },
          order.orderInfo.orderId,
        );
      }
      if (order && order.orderInfo.orderStatus.number === WmsStatus.Cancelled) {
        return new WmsOrderCancelledError(
          order.orderInfo.orderNumber,
          { method: err.method, path: err.path, status: err.status, responseBody: err.responseBody, cause: err },
          order.orderInfo.orderId,
        );
      }
    } catch (readErr) {
      // Whether the refusal means "started" is unknown: when the read failed for a passing reason, let Temporal try
      // the whole call again rather than report a non-retryable refusal that may be the wrong one.
      if (readErr instanceof WmsError && readErr.kind === 'retryable') return readErr;
      // Otherwise the original refusal is the better report.
    }
    return err;
  }

  private async request<S extends z.ZodType>(
    method: Method,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown; schema: S },
  ): Promise<z.output<S>> {
    const url = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        for (const v of value) url.searchParams.append(key, v);
      } else {
        url.searchParams.set(key, value instanceof Date ? value.toISOString() : String(value));
      }
    }
    const context = { method, path };
    let response;
    const startedAt = Date.now();
    try {
      response = await got(url, {
        method,
        username: this.username,
        password: this.password,
        json: options.body,
        headers: { accept: 'application/json' },
        responseType: 'text',
        throwHttpErrors: false,
        followRedirect: false,
        retry: { limit: 0 },
        timeout: { request: this.timeoutMs },
      });
    } catch (err) {
      observeApiCall('wms', method, path, undefined, Date.now() - startedAt);
      // Timeouts, refused and reset connections: the request may or may not have landed; try again later.
      const code = err instanceof RequestError ? err.code : undefined;
      throw new WmsError(`WMS ${method} ${path} failed without an answer (${code ?? (err as Error).message})`, {
        ...context,
        kind: 'retryable',
        cause: err,
      });
    }
    const status = response.statusCode;
    observeApiCall('wms', method, path, status, Date.now() - startedAt);
    const raw = response.body ?? '';
    const snippet = raw.slice(0, 500);
    if (status >= 300) {
      const message = this.errorMessage(raw);
      throw new WmsError(`WMS ${method} ${path} answered ${status}${message ? `: ${message}` : ''}`, {
        ...context,
        status,
        responseBody: snippet,
        // 429 and 5xx are the server's trouble; other 4xx are ours and will not change on retry.
        kind: status >= 500 || status === 429 || status === 408 ? 'retryable' : 'non-retryable',
      });
    }
    let json: unknown;
    try {
      json = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      throw new WmsSchemaError(
        `WMS ${method} ${path} answered ${status} with a body that is not JSON (${JSON.stringify(raw.slice(0, 60))})`,
        { ...context, status, responseBody: snippet },
        ['(body): not JSON'],
      );
    }
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      throw new WmsSchemaError(
        `WMS ${method} ${path} answered ${status} with an unexpected body: ${issues.slice(0, 5).join('; ')}`,
        { ...context, status, responseBody: snippet },
        issues,
      );
    }
    return parsed.data;
  }

  private errorMessage(raw: string): string | undefined {
    try {
      const body = JSON.parse(raw) as { message?: unknown; Message?: unknown };
      const m = body.message ?? body.Message;
      return typeof m === 'string' ? m : undefined;
    } catch {
      return raw ? raw.slice(0, 200) : undefined;
    }
  }
}
