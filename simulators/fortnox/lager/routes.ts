// Fortnox Lager HTTP routes under `/api/warehouse`: tenants-v4, custom documents, document types, stock balance, stock points.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { WarehouseApiError } from '../errors';
import type { Tenant } from '../state';
import type { DeliveryState, Direction, DocumentInput, DocumentRowInput, StockPoint, WarehouseDocument } from './engine';

type Body = Record<string, unknown>;

function tenantOf(request: FastifyRequest): Tenant {
  const tenant = request.tenant;
  if (!tenant) throw new WarehouseApiError(401, 'unauthorized', 'Missing access token.');
  return tenant;
}

/** Every warehouse route except tenants-v4 needs Lager activated for the tenant. */
function activeTenant(request: FastifyRequest): Tenant {
  const tenant = tenantOf(request);
  if (!tenant.lager) throw new WarehouseApiError(403, 'warehouseNotActivated', 'Fortnox Lager is not activated for this tenant.');
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

const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));

/** Stock point by id or code, as the API accepts either. */
function pointCode(tenant: Tenant, row: Body): string | undefined {
  const ref = text(row.stockPointCode) ?? text(row.stockPointId);
  if (!ref) return undefined;
  const point = tenant.warehouse.findStockPoint(ref);
  if (!point) throw new WarehouseApiError(400, 'stockPointNotFound', `Stock point ${ref} not found.`);
  return point.code;
}

function locationCode(tenant: Tenant, row: Body, point: string | undefined): string | undefined {
  const code = text(row.stockLocationCode);
  const id = text(row.stockLocationId);
  if (!code && !id) return undefined;
  const sp = point ? tenant.warehouse.findStockPoint(point) : undefined;
  const location = sp?.stockLocations.find((l) => l.code === code || l.id === id);
  if (!location) throw new WarehouseApiError(400, 'stockLocationNotFound', `Stock location ${code ?? id} not found.`);
  return location.code;
}

function parseDocument(tenant: Tenant, body: unknown, direction: Direction): DocumentInput {
  if (!body || typeof body !== 'object') throw new WarehouseApiError(400, 'validation', 'A JSON document body is required.');
  const b = body as Body;
  if (!Array.isArray(b.rows)) throw new WarehouseApiError(400, 'validation', 'rows are required.');
  const rows = b.rows.map((raw: unknown, index: number): DocumentRowInput => {
    const row = (raw ?? {}) as Body;
    const point = pointCode(tenant, row);
    return {
      itemId: text(row.itemId) ?? '', quantity: number(row.quantity, `rows[${index}].quantity`, true) ?? 0,
      rowId: number(row.rowId, 'rowId'), itemDescription: text(row.itemDescription), itemUnit: text(row.itemUnit),
      batch: text(row.batch), directCost: number(row.directCost, 'directCost'), freightCost: number(row.freightCost, 'freightCost'),
      otherCost: number(row.otherCost, 'otherCost'), stockPointCode: point, stockLocationCode: locationCode(tenant, row, point),
      deliveredQuantity: direction === 'OUTBOUND' ? number(row.deliveredQuantity, 'deliveredQuantity') : undefined,
      reservedQuantity: direction === 'OUTBOUND' ? number(row.reservedQuantity, 'reservedQuantity') : undefined,
    };
  });
  return {
    date: text(b.date) ?? '', rows, note: text(b.note), currency: text(b.currency),
    deliveryState: text(b.deliveryState) as DeliveryState | undefined,
    forcedDelivery: b.forcedDelivery === true || b.forcedDelivery === 'true',
  };
}

export function documentView(doc: WarehouseDocument): Record<string, unknown> {
  const averageCosts = new Map<string, { itemId: string; quantity: number; value: number }>();
  for (const row of doc.rows) {
    const entry = averageCosts.get(row.itemId) ?? { itemId: row.itemId, quantity: 0, value: 0 };
    entry.quantity += Math.abs(row.deliveredQuantity);
    entry.value += Math.abs(row.deliveredQuantity) * row.averageCost;
    averageCosts.set(row.itemId, entry);
  }
  return {
    type: doc.type, id: doc.id, date: doc.date, note: doc.note ?? null, currency: doc.currency ?? 'SEK',
    ...(doc.direction === 'OUTBOUND' ? { deliveryState: doc.deliveryState, forcedDelivery: doc.forcedDelivery } : {}),
    warehouseReady: doc.warehouseReady, voided: doc.voided, booked: doc.booked,
    rows: doc.rows.map((row) => ({
      rowId: row.rowId, itemId: row.itemId, quantity: row.quantity, itemDescription: row.itemDescription ?? null,
      itemUnit: row.itemUnit ?? null, batch: row.batch ?? null,
      ...(doc.direction === 'INBOUND'
        ? { directCost: row.directCost ?? 0, freightCost: row.freightCost ?? 0, otherCost: row.otherCost ?? 0 }
        : { reservedQuantity: row.reservedQuantity, forcedQuantity: row.forcedQuantity }),
      deliveredQuantity: row.deliveredQuantity,
      stockPointCode: row.stockPointCode ?? null, stockLocationCode: row.stockLocationCode ?? null,
    })),
    averageCosts: [...averageCosts.values()].map((c) => ({
      itemId: c.itemId, averageCost: c.quantity > 0 ? Math.round((c.value / c.quantity) * 10000) / 10000 : 0,
    })),
  };
}

function pointView(point: StockPoint, defaultCode: string): Record<string, unknown> {
  return { id: point.id, code: point.code, name: point.name, state: point.state, isDefault: point.code === defaultCode,
    stockLocations: point.stockLocations };
}

export function warehouseRoutes(app: FastifyInstance): void {
  const base = '/api/warehouse';

  app.get(`${base}/tenants-v4`, async (request) => {
    const tenant = tenantOf(request);
    return { activated: tenant.lager, tenantId: Number(tenant.tenantId) };
  });

  for (const [segment, direction] of [['inbound-v1', 'INBOUND'], ['outbound-v1', 'OUTBOUND']] as const) {
    const path = `${base}/documentdeliveries/custom/${segment}/:type/:id`;

    app.put(path, async (request) => {
      const w = activeTenant(request).warehouse;
      const { type, id } = request.params as { type: string; id: string };
      const input = parseDocument(activeTenant(request), request.body, direction);
      let doc = w.saveDocument(direction, type, id, input);
      const body = request.body as Body;
      if (body.warehouseReady === true) doc = w.release(direction, type, id);
      if (body.voided === true) doc = w.void(direction, type, id, false);
      return documentView(doc);
    });

    app.get(path, async (request) => {
      const { type, id } = request.params as { type: string; id: string };
      return documentView(activeTenant(request).warehouse.getDocument(direction, type, id));
    });

    app.put(`${path}/release`, async (request, reply) => {
      const { type, id } = request.params as { type: string; id: string };
      activeTenant(request).warehouse.release(direction, type, id);
      reply.code(204);
      return reply.send();
    });

    app.put(`${path}/void`, async (request) => {
      const { type, id } = request.params as { type: string; id: string };
      const force = (request.query as Record<string, string | undefined>).force === 'true';
      return documentView(activeTenant(request).warehouse.void(direction, type, id, force));
    });
  }

  for (const typesPath of [`${base}/documentdeliveries/custom/documenttypes-v1`, `${base}/custom/documenttypes-v1`]) {
    app.get(typesPath, async (request) => {
      const w = activeTenant(request).warehouse;
      return [...w.documentTypes].map(([referenceType, category]) => ({ referenceType, category }));
    });
    app.post(typesPath, async (request, reply) => {
      const w = activeTenant(request).warehouse;
      const body = (request.body ?? {}) as Body;
      const category = text(body.category)?.toUpperCase();
      if (category !== 'INBOUND' && category !== 'OUTBOUND') throw new WarehouseApiError(400, 'validation', 'category must be INBOUND or OUTBOUND.');
      const referenceType = w.registerType(text(body.referenceType) ?? '', category);
      reply.code(201);
      return { referenceType, category };
    });
  }

  app.get(`${base}/status-v1/stockbalance`, async (request) => {
    const w = activeTenant(request).warehouse;
    const query = request.query as Record<string, string | undefined>;
    const list = (v: string | undefined): string[] | undefined => v?.split(',').map((s) => s.trim()).filter(Boolean);
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
      .map((p) => pointView(p, w.defaultStockPointCode));
  });

  app.post(`${base}/stockpoints-v1`, async (request, reply) => {
    const w = activeTenant(request).warehouse;
    const body = (request.body ?? {}) as Body;
    const point = w.createStockPoint({
      code: text(body.code) ?? '', name: text(body.name) ?? '',
      state: text(body.state)?.toUpperCase() === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
      stockLocations: Array.isArray(body.stockLocations) ? (body.stockLocations as Body[]).map((l) => ({ code: text(l.code) ?? '', name: text(l.name) })) : [],
    });
    reply.code(201);
    return pointView(point, w.defaultStockPointCode);
  });

  app.get(`${base}/stockpoints-v1/:ref`, async (request) => {
    const w = activeTenant(request).warehouse;
    const { ref } = request.params as { ref: string };
    const point = w.findStockPoint(ref);
    if (!point) throw new WarehouseApiError(404, 'stockPointNotFound', `Stock point ${ref} not found.`);
    return pointView(point, w.defaultStockPointCode);
  });

  app.put(`${base}/stockpoints-v1/:ref`, async (request) => {
    const w = activeTenant(request).warehouse;
    const { ref } = request.params as { ref: string };
    const body = (request.body ?? {}) as Body;
    const state = text(body.state)?.toUpperCase();
    const point = w.updateStockPoint(ref, {
      name: text(body.name), state: state === 'INACTIVE' || state === 'ACTIVE' ? state : undefined,
      stockLocations: Array.isArray(body.stockLocations) ? (body.stockLocations as Body[]).map((l) => ({ code: text(l.code) ?? '', name: text(l.name) })) : undefined,
    });
    return pointView(point, w.defaultStockPointCode);
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
    return point.stockLocations;
  });
}
