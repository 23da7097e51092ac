// Fortnox Lager HTTP routes under `/api/warehouse`: tenants-v4, custom documents, document types, stock balance, stock points.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WarehouseApiError } from '../errors';
import type { Tenant } from '../state';
import type {
  DeliveryState,
  Direction,
  DocumentCurrency,
  DocumentInput,
  DocumentRowInput,
  StockPoint,
  WarehouseDocument,
  WarehouseEngine,
} from './engine';

type Body = Record<string, unknown>;

function tenantOf(request: FastifyRequest): Tenant {
  const tenant = request.tenant;
  if (!tenant) throw new WarehouseApiError(401, 'unauthorized', 'Missing access token.');
  return tenant;
}

/** Every warehouse route except tenants-v4 needs Lager activated for the tenant. */
function activeTenant(request: FastifyRequest): Tenant {
  const tenant = tenantOf(request);
  if (!tenant.lager)
    throw new WarehouseApiError(403, 'warehouseNotActivated', 'Fortnox Lager is not activated for this tenant.');
  return tenant;
}

const number = (value: unknown, field: string, required = false): number | undefined => {
  if (value === undefined || value === null || value === '') {
    if (required) throw new WarehouseApiError(400, 'validation', `${field} is required.`);
    return undefined;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new WarehouseApiError(400, 'validation', `${field} must be a number.`);
  return n;
};

const text = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/**
 * The row's stock point. Inbound rows (CustomInboundDocumentRow) may name it by code or by id; outbound rows
 * (CustomOutboundDocumentRow) have only `stockPointId`, a uuid: a code there is refused, not silently ignored.
 */
function pointCode(tenant: Tenant, row: Body, direction: Direction, index: number): string | undefined {
  if (direction === 'OUTBOUND') {
    for (const field of ['stockPointCode', 'stockLocationCode']) {
      if (row[field] !== undefined) {
        throw new WarehouseApiError(
          400,
          'validation',
          `rows[${index}].${field} is not a field of an outbound row: use ${field.replace('Code', 'Id')}.`,
        );
      }
    }
  }
  const id = text(row.stockPointId);
  const code = direction === 'INBOUND' ? text(row.stockPointCode) : undefined;
  if (!id && !code) return undefined;
  const point = id ? tenant.warehouse.stockPoints.find((p) => p.id === id) : tenant.warehouse.findStockPoint(code!);
  if (!point) throw new WarehouseApiError(400, 'stockPointNotFound', `Stock point ${id ?? code} not found.`);
  return point.code;
}

/** `currency` on an inbound document is Fortnox's Currency object `{currency, rate, unit?}`, never a bare code. */
function documentCurrency(value: unknown): DocumentCurrency | undefined {
  if (value === undefined || value === null) return undefined;
  const c = value as Body;
  if (typeof value !== 'object' || typeof c.currency !== 'string' || c.currency.length !== 3) {
    throw new WarehouseApiError(
      400,
      'validation',
      'currency must be an object {currency, rate, unit}: currency is a 3-letter code.',
    );
  }
  const rate = number(c.rate, 'currency.rate', true)!;
  if (rate < 0.000001) throw new WarehouseApiError(400, 'validation', 'currency.rate must be at least 0.000001.');
  const unit = number(c.unit, 'currency.unit');
  return { currency: c.currency, rate, ...(unit !== undefined ? { unit } : {}) };
}

function locationCode(tenant: Tenant, row: Body, point: string | undefined): string | undefined {
  const code = text(row.stockLocationCode);
  const id = text(row.stockLocationId);
  // (Outbound rows never reach here with a code: pointCode refuses it.)
  if (!code && !id) return undefined;
  const sp = point ? tenant.warehouse.findStockPoint(point) : undefined;
  const location = sp?.stockLocations.find((l) => l.code === code || l.id === id);
  if (!location) throw new WarehouseApiError(400, 'stockLocationNotFound', `Stock location ${code ?? id} not found.`);
  return location.code;
}

function parseDocument(tenant: Tenant, body: unknown, direction: Direction): DocumentInput {
  if (!body || typeof body !== 'object')
    throw new WarehouseApiError(400, 'validation', 'A JSON document body is required.');
  const b = body as Body;
  if (!Array.isArray(b.rows)) throw new WarehouseApiError(400, 'validation', 'rows are required.');
  const rows = b.rows.map((raw: unknown, index: number): DocumentRowInput => {
    const row = (raw ?? {}) as Body;
    const point = pointCode(tenant, row, direction, index);
    return {
      itemId: text(row.itemId) ?? '',
      quantity: number(row.quantity, `rows[${index}].quantity`, true) ?? 0,
      rowId: number(row.rowId, 'rowId'),
      itemDescription: text(row.itemDescription),
      itemUnit: text(row.itemUnit),
      batch: text(row.batch),
      directCost: number(row.directCost, 'directCost'),
      freightCost: number(row.freightCost, 'freightCost'),
      otherCost: number(row.otherCost, 'otherCost'),
      stockPointCode: point,
      stockLocationCode: locationCode(tenant, row, point),
      deliveredQuantity: direction === 'OUTBOUND' ? number(row.deliveredQuantity, 'deliveredQuantity') : undefined,
      reservedQuantity: direction === 'OUTBOUND' ? number(row.reservedQuantity, 'reservedQuantity') : undefined,
    };
  });
  return {
    date: text(b.date) ?? '',
    rows,
    note: text(b.note),
    currency: direction === 'INBOUND' ? documentCurrency(b.currency) : undefined,
    deliveryState: text(b.deliveryState) as DeliveryState | undefined,
    forcedDelivery: b.forcedDelivery === true || b.forcedDelivery === 'true',
  };
}

/**
 * A document as Fortnox answers it: CustomInboundDocument (`type`, `currency` object, rows with stock point and location
 * by id and by code) or CustomOutboundDocument (`referenceType`, rows with ids only, `averageCosts` per item and stock
 * point as `averageCostInSEK`). Nothing else: the sandbox's own bookkeeping stays out of the answer.
 */
export function documentView(doc: WarehouseDocument, w: WarehouseEngine): Record<string, unknown> {
  const place = (row: { stockPointCode?: string; stockLocationCode?: string }) => {
    const point = row.stockPointCode ? w.findStockPoint(row.stockPointCode) : undefined;
    const location = point?.stockLocations.find((l) => l.code === row.stockLocationCode);
    return { stockPointId: point?.id ?? null, stockLocationId: location?.id ?? null };
  };
  const common = {
    id: doc.id,
    date: doc.date,
    note: doc.note ?? null,
    warehouseReady: doc.warehouseReady,
    voided: doc.voided,
  };
  if (doc.direction === 'INBOUND') {
    return {
      ...common,
      type: doc.type,
      ...(doc.currency ? { currency: doc.currency } : {}),
      rows: doc.rows.map((row) => ({
        rowId: row.rowId,
        itemId: row.itemId,
        quantity: row.quantity,
        directCost: row.directCost ?? 0,
        freightCost: row.freightCost ?? 0,
        otherCost: row.otherCost ?? 0,
        batch: row.batch ?? null,
        ...place(row),
        itemDescription: row.itemDescription ?? null,
        itemUnit: row.itemUnit ?? null,
        stockPointCode: row.stockPointCode ?? null,
        stockLocationCode: row.stockLocationCode ?? null,
      })),
    };
  }
  // Per item and the stock point the goods actually left (FIFO may take them from several).
  const averageCosts = new Map<
    string,
    { itemId: string; stockPointId: string | null; quantity: number; value: number }
  >();
  const add = (itemId: string, pointCode: string | undefined, quantity: number, unitCost: number) => {
    const { stockPointId } = place({ stockPointCode: pointCode });
    const k = `${itemId}\u0000${stockPointId ?? ''}`;
    const entry = averageCosts.get(k) ?? { itemId, stockPointId, quantity: 0, value: 0 };
    entry.quantity += Math.abs(quantity);
    entry.value += Math.abs(quantity) * unitCost;
    averageCosts.set(k, entry);
  };
  doc.rows.forEach((row, i) => {
    const taken = doc.effects[i]?.out ?? [];
    if (taken.length) for (const a of taken) add(row.itemId, a.stockPointCode, a.quantity, a.unitCost);
    else if (row.deliveredQuantity !== 0) add(row.itemId, row.stockPointCode, row.deliveredQuantity, row.averageCost);
  });
  return {
    ...common,
    referenceType: doc.type,
    deliveryState: doc.deliveryState,
    forcedDelivery: doc.forcedDelivery,
    rows: doc.rows.map((row) => ({
      rowId: row.rowId,
      itemId: row.itemId,
      quantity: row.quantity,
      reservedQuantity: row.reservedQuantity,
      deliveredQuantity: row.deliveredQuantity,
      forcedQuantity: row.forcedQuantity,
      ...place(row),
      itemDescription: row.itemDescription ?? null,
      itemUnit: row.itemUnit ?? null,
    })),
    averageCosts: [...averageCosts.values()].map((c) => ({
      itemId: c.itemId,
      stockPointId: c.stockPointId,
      averageCostInSEK: c.quantity > 0 ? Math.round((c.value / c.quantity) * 10000) / 10000 : 0,
    })),
  };
}

/** Fortnox's StockPoint: `active`, not a state (state is only a list filter); locations only where asked for. */
function pointView(point: StockPoint, withLocations: boolean): Record<string, unknown> {
  return {
    id: point.id,
    code: point.code,
    name: point.name,
    active: point.state === 'ACTIVE',
    usingCompanyAddress: true,
    ...(withLocations ? { stockLocations: point.stockLocations.map((l) => ({ ...l, stockPointId: point.id })) } : {}),
  };
}

export function warehouseRoutes(app: FastifyInstance): void {
  const base = '/api/warehouse';

  app.get(`${base}/tenants-v4`, async (request) => {
    const tenant = tenantOf(request);
    return { activated: tenant.lager, tenantId: Number(tenant.tenantId) };
  });

  for (const [segment, direction] of [
    ['inbound-v1', 'INBOUND'],
    ['outbound-v1', 'OUTBOUND'],
  ] as const) {
    const path = `${base}/documentdeliveries/custom/${segment}/:type/:id`;

    app.put(path, async (request) => {
      const w = activeTenant(request).warehouse;
      const { type, id } = request.params as { type: string; id: string };
      const input = parseDocument(activeTenant(request), request.body, direction);
      let doc = w.saveDocument(direction, type, id, input);
      const body = request.body as Body;
      if (body.warehouseReady === true) doc = w.release(direction, type, id);
      if (body.voided === true) doc = w.void(direction, type, id, false);
      return documentView(doc, w);
    });

    app.get(path, async (request) => {
      const { type, id } = request.params as { type: string; id: string };
      const w = activeTenant(request).warehouse;
      return documentView(w.getDocument(direction, type, id), w);
    });

    app.put(`${path}/release`, async (request, reply) => {
      const { type, id } = request.params as { type: string; id: string };
      activeTenant(request).warehouse.release(direction, type, id);
      reply.code(204);
      return reply.send();
    });

    app.put(`${path}/void`, async (request, reply) => {
      const { type, id } = request.params as { type: string; id: string };
      const force = (request.query as Record<string, string | undefined>).force === 'true';
      activeTenant(request).warehouse.void(direction, type, id, force);
      reply.code(204);
      return reply.send();
    });
  }

  const typesPath = `${base}/documentdeliveries/custom/documenttypes-v1`;
  app.get(typesPath, async (request) => {
    const w = activeTenant(request).warehouse;
    return [...w.documentTypes].map(([referenceType, category]) => ({ referenceType, category }));
  });
  // Answers 1 when it created the type, 0 when it existed (Fortnox's documented answer).
  app.post(typesPath, async (request) => {
    const w = activeTenant(request).warehouse;
    const body = (request.body ?? {}) as Body;
    const category = text(body.category)?.toUpperCase();
    if (category !== 'INBOUND' && category !== 'OUTBOUND')
      throw new WarehouseApiError(400, 'validation', 'category must be INBOUND or OUTBOUND.');
    const existed = w.documentTypes.size;
    w.registerType(text(body.referenceType) ?? '', category);
    return w.documentTypes.size > existed ? 1 : 0;
  });

  app.get(`${base}/status-v1/stockbalance`, async (request) => {
    const w = activeTenant(request).warehouse;
    const query = request.query as Record<string, string | undefined>;
    const list = (v: string | undefined): string[] | undefined =>
      v
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    return w.stockBalance({ itemIds: list(query.itemIds), stockPointCodes: list(query.stockPointCodes) });
  });

  app.get(`${base}/stockpoints-v1`, async (request) => {
    const w = activeTenant(request).warehouse;
    const query = request.query as Record<string, string | undefined>;
    const state = (query.state ?? 'ACTIVE').toUpperCase();
    const q = query.q?.toLowerCase();
    return w.stockPoints
      .filter((p) => state === 'ALL' || p.state === state)
      .filter((p) => !q || p.code.toLowerCase().includes(q) || p.name.toLowerCase().includes(q))
      .map((p) => pointView(p, false));
  });

  app.post(`${base}/stockpoints-v1`, async (request, reply) => {
    const w = activeTenant(request).warehouse;
    const body = (request.body ?? {}) as Body;
    const point = w.createStockPoint({
      code: text(body.code) ?? '',
      name: text(body.name) ?? '',
      state: body.active === false ? 'INACTIVE' : 'ACTIVE',
      stockLocations: Array.isArray(body.stockLocations)
        ? (body.stockLocations as Body[]).map((l) => ({ code: text(l.code) ?? '', name: text(l.name) }))
        : [],
    });
    reply.code(201);
    return pointView(point, true);
  });

  app.get(`${base}/stockpoints-v1/:ref`, async (request) => {
    const w = activeTenant(request).warehouse;
    const { ref } = request.params as { ref: string };
    const point = w.findStockPoint(ref);
    if (!point) throw new WarehouseApiError(404, 'stockPointNotFound', `Stock point ${ref} not found.`);
    return pointView(point, true);
  });

  app.put(`${base}/stockpoints-v1/:ref`, async (request) => {
    const w = activeTenant(request).warehouse;
    const { ref } = request.params as { ref: string };
    const body = (request.body ?? {}) as Body;
    const point = w.updateStockPoint(ref, {
      name: text(body.name),
      state: body.active === undefined ? undefined : body.active === false ? 'INACTIVE' : 'ACTIVE',
      stockLocations: Array.isArray(body.stockLocations)
        ? (body.stockLocations as Body[]).map((l) => ({ code: text(l.code) ?? '', name: text(l.name) }))
        : undefined,
    });
    return pointView(point, true);
  });

  app.delete(`${base}/stockpoints-v1/:ref`, async (request, reply) => {
    const { ref } = request.params as { ref: string };
    activeTenant(request).warehouse.deleteStockPoint(ref);
    reply.code(204);
    return reply.send();
  });

  app.get(`${base}/stockpoints-v1/:ref/stocklocations`, async (request) => {
    const w = activeTenant(request).warehouse;
    const { ref } = request.params as { ref: string };
    const point = w.findStockPoint(ref);
    if (!point) throw new WarehouseApiError(404, 'stockPointNotFound', `Stock point ${ref} not found.`);
    return point.stockLocations.map((l) => ({ ...l, stockPointId: point.id }));
  });
}
