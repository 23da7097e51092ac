// Typed client for the Ongoing WMS goods-owner REST API v1: zod-validated answers, classified failures.
import got, { RequestError } from 'got';
import { WmsStatus, warehouseHasStarted } from '../../domain/order';
import { z } from 'zod';
import { observeApiCall } from '../../observability/metrics';
import { WmsError, WmsOrderCancelledError, WmsOrderStartedError, WmsSchemaError } from './errors';
import {
  billingSpecificationSchema,
  inventoryAdjustmentsLineSchema,
  inventoryPerWarehouseSchema,
  orderPutResponseSchema,
  wmsArticleSchema,
  wmsArticleUpsertSchema,
  wmsOrderSchema,
  wmsOrderUpsertSchema,
  wmsPurchaseOrderSchema,
  wmsPurchaseOrderUpsertSchema,
  wmsSupplierSchema,
  wmsSupplierUpsertSchema,
  wmsWarehouseSchema,
  type BillingSpecification,
  type WmsArticle,
  type WmsArticleUpsert,
  type WmsInventoryAdjustmentsLine,
  type WmsInventoryPerWarehouse,
  type WmsOrder,
  type WmsOrderUpsert,
  type WmsPurchaseOrder,
  type WmsPurchaseOrderUpsert,
  type WmsSupplier,
  type WmsSupplierUpsert,
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

export interface ListOrdersFilter {
  orderNumber?: string;
  orderStatusFrom?: number;
  orderStatusTo?: number;
  orderStatusChangedTimeFrom?: Date | string;
  shippedTimeFrom?: Date | string;
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

type QueryValue = string | number | boolean | Date | undefined | string[];
type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

const putResponse = (idField: string) =>
  z.object({ [idField]: z.number().int(), message: z.string().nullish() });

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
    const body = wmsArticleUpsertSchema.parse({ ...article, goodsOwnerId: this.goodsOwnerId });
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

  async listArticles(filter: ListArticlesFilter = {}): Promise<WmsArticle[]> {
    return this.request('GET', '/articles', {
      query: { goodsOwnerId: this.goodsOwnerId, ...filter },
      schema: z.array(wmsArticleSchema),
    });
  }

  async getInventoryPerWarehouse(articleNumbers?: string[]): Promise<WmsInventoryPerWarehouse[]> {
    return this.request('GET', '/articles/inventoryPerWarehouse', {
      query: { goodsOwnerId: this.goodsOwnerId, articleNumbers },
      schema: z.array(inventoryPerWarehouseSchema),
    });
  }

  async listInventoryAdjustments(period: { from?: Date | string; to?: Date | string } = {}): Promise<
    WmsInventoryAdjustmentsLine[]
  > {
    return this.request('GET', '/inventoryAdjustments', {
      query: { goodsOwnerId: this.goodsOwnerId, from: period.from, to: period.to },
      schema: z.array(inventoryAdjustmentsLineSchema),
    });
  }

  async listWarehouses(): Promise<WmsWarehouse[]> {
    return this.request('GET', '/warehouses', { schema: z.array(wmsWarehouseSchema) });
  }

  // ---- orders ----

  /** PUT by orderNumber: creates or updates. Throws WmsOrderStartedError once the warehouse has started. */
  async upsertOrder(order: WmsOrderUpsert): Promise<{ orderId: number }> {
    const body = wmsOrderUpsertSchema.parse({ ...order, goodsOwnerId: this.goodsOwnerId });
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

  async listOrders(filter: ListOrdersFilter = {}): Promise<WmsOrder[]> {
    return this.request('GET', '/orders', {
      query: { goodsOwnerId: this.goodsOwnerId, ...filter },
      schema: z.array(wmsOrderSchema),
    });
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

  // ---- suppliers (sandbox extension; the real REST v1 carries suppliers on articles and purchase orders) ----

  async upsertSupplier(supplier: WmsSupplierUpsert): Promise<{ supplierId: number }> {
    const body = wmsSupplierUpsertSchema.parse({ ...supplier, goodsOwnerId: this.goodsOwnerId });
    const res = await this.request('PUT', '/suppliers', { body, schema: putResponse('supplierId') });
    return { supplierId: res.supplierId as number };
  }

  async listSuppliers(): Promise<WmsSupplier[]> {
    return this.request('GET', '/suppliers', {
      query: { goodsOwnerId: this.goodsOwnerId },
      schema: z.array(wmsSupplierSchema),
    });
  }

  // ---- purchase orders ----

  async upsertPurchaseOrder(purchaseOrder: WmsPurchaseOrderUpsert): Promise<{ purchaseOrderId: number }> {
    const body = wmsPurchaseOrderUpsertSchema.parse({ ...purchaseOrder, goodsOwnerId: this.goodsOwnerId });
    const res = await this.request('PUT', '/purchaseOrders', { body, schema: putResponse('purchaseOrderId') });
    return { purchaseOrderId: res.purchaseOrderId as number };
  }

  async getPurchaseOrderByNumber(purchaseOrderNumber: string): Promise<WmsPurchaseOrder | undefined> {
    const list = await this.request('GET', '/purchaseOrders', {
      query: { goodsOwnerId: this.goodsOwnerId, purchaseOrderNumber },
      schema: z.array(wmsPurchaseOrderSchema),
    });
    return list.find((po) => po.purchaseOrderInfo.purchaseOrderNumber === purchaseOrderNumber);
  }

  // ---- billing (sandbox extension) ----

  async getBillingSpecification(period: { from: string; to: string }): Promise<BillingSpecification> {
    return this.request('GET', '/invoicing/billingSpecification', {
      query: { goodsOwnerId: this.goodsOwnerId, from: period.from, to: period.to },
      schema: billingSpecificationSchema,
    });
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
        return new WmsOrderCancelledError(order.orderInfo.orderNumber,
          { method: err.method, path: err.path, status: err.status, responseBody: err.responseBody, cause: err }, order.orderInfo.orderId);
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
