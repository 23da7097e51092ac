// Fortnox Lager purchase orders (`/api/warehouse/purchaseorders-v1`): list, read and create, in Fortnox's shape.
// A new order must carry what Fortnox's OpenAPI requires of a PurchaseOrder (orderDate, supplierNumber, the delivery
// address, paymentTermsCode, currencyCode, currencyRate) and of each PurchaseOrderRow (itemId, orderedQuantity,
// remainingOrderedQuantity, currencyCode). Received quantities change only through Fortnox's own incoming-goods
// documents, which the sandbox does not model: they stay 0.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WarehouseApiError } from '../errors';
import type { Tenant } from '../state';

type Body = Record<string, unknown>;

interface PurchaseOrderRow {
  id: string;
  rowNum: number;
  itemId: string;
  itemDescription: string;
  itemUnit: string;
  orderedQuantity: number;
  receivedQuantity: number;
  price: number;
  currencyCode: string;
  isStockItem: boolean;
  stockPointCode: string | null;
}

interface PurchaseOrder {
  id: number;
  supplierNumber: string;
  supplierName: string;
  orderDate: string;
  deliveryDate: string | null;
  currencyCode: string;
  currencyRate: number;
  paymentTermsCode: string;
  deliveryName: string;
  deliveryAddress: string;
  deliveryZipCode: string;
  deliveryCity: string;
  stockPointCode: string | null;
  note: string;
  purchaseOrderState: 'NOT_SENT' | 'SENT' | 'RECEIVED' | 'VOIDED';
  purchaseType: 'WAREHOUSE';
  voided: boolean;
  rows: PurchaseOrderRow[];
}

/** Purchase orders per sandbox tenant, kept beside the tenant so the shared state type stays as it is. */
const store = new WeakMap<Tenant, { next: number; orders: Map<number, PurchaseOrder> }>();
const ordersOf = (tenant: Tenant) => {
  let entry = store.get(tenant);
  if (!entry) store.set(tenant, (entry = { next: 1, orders: new Map() }));
  return entry;
};

function activeTenant(request: FastifyRequest): Tenant {
  const tenant = request.tenant;
  if (!tenant) throw new WarehouseApiError(401, 'unauthorized', 'Missing access token.');
  if (!tenant.lager)
    throw new WarehouseApiError(403, 'warehouseNotActivated', 'Fortnox Lager is not activated for this tenant.');
  return tenant;
}

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

function quantity(value: unknown, field: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0)
    throw new WarehouseApiError(400, 'validation', `${field} must be a non-negative number.`);
  return n;
}

/** A string the OpenAPI requires, within its length limits. */
function required(body: Body, field: string, min: number, max: number): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw new WarehouseApiError(400, 'validation', `${field} is required: a string of ${min}-${max} characters.`);
  }
  return value;
}

function create(tenant: Tenant, body: Body): PurchaseOrder {
  const supplierNumber = required(body, 'supplierNumber', 0, 1024);
  const supplier = tenant.suppliers.get(supplierNumber);
  if (!supplier) throw new WarehouseApiError(400, 'supplierNotFound', `Supplier ${supplierNumber} not found.`);
  const orderDate = text(body.orderDate) ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(orderDate))
    throw new WarehouseApiError(400, 'invalidDate', 'orderDate (YYYY-MM-DD) is required.');
  const delivery = {
    deliveryName: required(body, 'deliveryName', 1, 50),
    deliveryAddress: required(body, 'deliveryAddress', 1, 1024),
    deliveryZipCode: required(body, 'deliveryZipCode', 1, 10),
    deliveryCity: required(body, 'deliveryCity', 1, 50),
  };
  const paymentTermsCode = required(body, 'paymentTermsCode', 0, 20);
  const currencyCode = required(body, 'currencyCode', 0, 3);
  if (typeof body.currencyRate !== 'number' || !Number.isFinite(body.currencyRate)) {
    throw new WarehouseApiError(400, 'validation', 'currencyRate is required: a number.');
  }
  const currencyRate = body.currencyRate;
  // The OpenAPI makes rows optional; the sandbox still refuses an order without rows (whether Fortnox does is not
  // documented), as nothing could be received on it.
  if (!Array.isArray(body.rows) || body.rows.length === 0)
    throw new WarehouseApiError(400, 'rowsRequired', 'rows are required.');
  const stockPointCode = text(body.stockPointCode) ?? null;
  if (stockPointCode && !tenant.warehouse.findStockPoint(stockPointCode)) {
    throw new WarehouseApiError(400, 'stockPointNotFound', `Stock point ${stockPointCode} not found.`);
  }
  const rows = (body.rows as Body[]).map((row, index): PurchaseOrderRow => {
    const itemId = required(row, 'itemId', 1, 50);
    const article = tenant.articles.get(itemId);
    if (!article) throw new WarehouseApiError(400, 'itemNotFound', `Item ${itemId} does not exist.`);
    // Required by the OpenAPI; on a new order the remaining quantity is derived from what is ordered and received.
    quantity(row.remainingOrderedQuantity, `rows[${index}].remainingOrderedQuantity`);
    return {
      id: randomUUID(),
      rowNum: index + 1,
      itemId,
      itemDescription: text(row.itemDescription) ?? article.Description,
      itemUnit: article.Unit,
      orderedQuantity: quantity(row.orderedQuantity, `rows[${index}].orderedQuantity`),
      receivedQuantity: 0,
      price: row.price === undefined ? article.PurchasePrice : quantity(row.price, `rows[${index}].price`),
      currencyCode: required(row, 'currencyCode', 3, 3),
      isStockItem: article.StockGoods,
      stockPointCode: text(row.stockPointCode) ?? stockPointCode,
    };
  });
  const entry = ordersOf(tenant);
  const order: PurchaseOrder = {
    id: entry.next++,
    supplierNumber,
    supplierName: String(supplier.data.Name ?? ''),
    orderDate,
    deliveryDate: text(body.deliveryDate) ?? null,
    currencyCode,
    currencyRate,
    paymentTermsCode,
    ...delivery,
    stockPointCode,
    note: text(body.note) ?? '',
    purchaseOrderState: 'NOT_SENT',
    purchaseType: 'WAREHOUSE',
    voided: false,
    rows,
  };
  entry.orders.set(order.id, order);
  return order;
}

/**
 * Many purchase orders at once, each checked as `POST purchaseorders-v1` checks it (for seeding a large backlog): all
 * or none, the first refusal named by its index.
 */
export function createPurchaseOrders(tenant: Tenant, bodies: Body[]): number[] {
  const entry = ordersOf(tenant);
  const next = entry.next;
  const created: number[] = [];
  try {
    for (const body of bodies) created.push(create(tenant, body).id);
  } catch (error) {
    for (const id of created) entry.orders.delete(id);
    entry.next = next;
    if (error instanceof WarehouseApiError) {
      throw new WarehouseApiError(error.statusCode, error.error, `purchaseOrders[${created.length}]: ${error.message}`);
    }
    throw error;
  }
  return created;
}

function view(order: PurchaseOrder): Record<string, unknown> {
  const totalReceivedQuantity = order.rows.reduce((sum, row) => sum + row.receivedQuantity, 0);
  return {
    ...order,
    responseState: 'NOT_SENT',
    totalReceivedQuantity,
    orderValue: Math.round(order.rows.reduce((sum, row) => sum + row.orderedQuantity * row.price, 0) * 100) / 100,
    rows: order.rows.map((row) => ({
      ...row,
      purchaseOrderId: order.id,
      remainingOrderedQuantity: Math.max(0, row.orderedQuantity - row.receivedQuantity),
    })),
  };
}

function matchesState(order: PurchaseOrder, state: string): boolean {
  switch (state) {
    case 'ALL':
      return true;
    case 'CURRENT':
      return !order.voided && order.purchaseOrderState !== 'RECEIVED';
    case 'VOIDED':
      return order.voided;
    case 'SENT_NOT_REJECTED':
      return order.purchaseOrderState === 'SENT';
    default:
      return order.purchaseOrderState === state && !order.voided;
  }
}

export function purchaseOrderRoutes(app: FastifyInstance): void {
  const base = '/api/warehouse/purchaseorders-v1';

  app.get(base, async (request) => {
    const tenant = activeTenant(request);
    const query = request.query as Record<string, string | undefined>;
    const state = (query.state ?? 'ALL').toUpperCase();
    return [...ordersOf(tenant).orders.values()]
      .filter((o) => matchesState(o, state))
      .filter((o) => !query.supplierNumber || o.supplierNumber === query.supplierNumber)
      .filter((o) => !query.itemId || o.rows.some((row) => row.itemId === query.itemId))
      .map(view);
  });

  app.get(`${base}/:id`, async (request) => {
    const tenant = activeTenant(request);
    const { id } = request.params as { id: string };
    const order = ordersOf(tenant).orders.get(Number(id));
    if (!order) throw new WarehouseApiError(404, 'notFound', `Purchase order ${id} not found.`);
    return view(order);
  });

  app.post(base, async (request, reply) => {
    const order = create(activeTenant(request), (request.body ?? {}) as Body);
    reply.code(201);
    return view(order);
  });
}
