// Sandbox controls under `/_sandbox`: tenants, seeding, faults, call counters and log, clock, nightly job, state dump.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { emptyCallStats } from './state';
import type { Json, SandboxState, Tenant } from './state';
import { compileRules } from './faults';
import type { FaultRuleInput } from './faults';
import { createAuthorizationCode } from './oauth';
import { seedTenant } from './seed';
import { createBulkOrders, MAX_BULK_ORDERS } from './bulk-orders';
import { stockholmDate } from './stockholm-time';
import type { BookedEntry } from './lager/engine';
import { createPurchaseOrders } from './lager/purchase-orders';
import { documentView } from './lager/routes';

/** A control-plane error: plain `{error, message}`, never confused with Fortnox's own shapes. */
export class SandboxControlError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}

type Body = Record<string, unknown>;

function tenantParam(state: SandboxState, request: FastifyRequest): Tenant {
  const { tenantId } = request.params as { tenantId: string };
  const tenant = state.tenants.get(tenantId);
  if (!tenant) throw new SandboxControlError(404, 'tenantNotFound', `No tenant ${tenantId}.`);
  return tenant;
}

/** Turning Lager on moves the article register's balances into the warehouse, as Fortnox's activation does. */
function activateLager(state: SandboxState, tenant: Tenant): void {
  if (tenant.lager) return;
  tenant.lager = true;
  const rows = [...tenant.articles.values()]
    .filter((a) => a.StockGoods && a.QuantityInStock > 0)
    .map((a) => ({ itemId: a.ArticleNumber, quantity: a.QuantityInStock, directCost: a.PurchasePrice }));
  if (rows.length === 0) return;
  const id = String(tenant.warehouse.documents.size + 1);
  tenant.warehouse.saveDocument('INBOUND', 'SANDBOXACTIVATION', id, {
    date: state.today(),
    rows,
    note: 'Lager activation',
  });
  tenant.warehouse.release('INBOUND', 'SANDBOXACTIVATION', id);
}

function runNightly(tenant: Tenant): BookedEntry[] {
  return tenant.lager ? tenant.warehouse.runBookkeeping() : [];
}

export function controlRoutes(app: FastifyInstance, state: SandboxState): void {
  app.post('/_sandbox/tenants', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    if (typeof body.lager !== 'boolean')
      throw new SandboxControlError(400, 'invalidBody', 'lager (boolean) is required.');
    const tenant = state.createTenant({
      lager: body.lager,
      allowNegativeStock: body.allowNegativeStock === true,
      companyName: typeof body.companyName === 'string' ? body.companyName : undefined,
    });
    reply.code(201);
    return { tenantId: tenant.tenantId, clientId: tenant.clientId, clientSecret: tenant.clientSecret };
  });

  app.get('/_sandbox/tenants', async () =>
    [...state.tenants.values()].map((t) => ({
      tenantId: t.tenantId,
      companyName: t.companyName,
      lager: t.lager,
      allowNegativeStock: t.allowNegativeStock,
    })),
  );

  /** Settings a Fortnox user changes in the UI: activating Lager, allowing negative stock. */
  app.patch('/_sandbox/tenants/:tenantId', async (request) => {
    const tenant = tenantParam(state, request);
    const body = (request.body ?? {}) as Body;
    if (body.lager === true) activateLager(state, tenant);
    if (body.lager === false)
      throw new SandboxControlError(400, 'cannotDeactivateLager', 'Lager cannot be deactivated once active.');
    if (typeof body.allowNegativeStock === 'boolean') tenant.allowNegativeStock = body.allowNegativeStock;
    if (typeof body.companyName === 'string') tenant.companyName = body.companyName;
    return {
      tenantId: tenant.tenantId,
      lager: tenant.lager,
      allowNegativeStock: tenant.allowNegativeStock,
      companyName: tenant.companyName,
    };
  });

  app.post('/_sandbox/tenants/:tenantId/authorization-codes', async (request) => {
    const tenant = tenantParam(state, request);
    const body = (request.body ?? {}) as Body;
    const code = createAuthorizationCode(state, tenant, {
      redirectUri: typeof body.redirectUri === 'string' ? body.redirectUri : undefined,
      scope: typeof body.scope === 'string' ? body.scope : undefined,
    });
    return { code };
  });

  app.post('/_sandbox/reset', async () => {
    state.reset();
    return { reset: true };
  });

  app.post('/_sandbox/tenants/:tenantId/seed', async (request) => seedTenant(state, tenantParam(state, request)));

  app.post('/_sandbox/tenants/:tenantId/orders/bulk', async (request, reply) => {
    const tenant = tenantParam(state, request);
    const body = (request.body ?? {}) as Body;
    const count = body.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_BULK_ORDERS) {
      throw new SandboxControlError(400, 'invalidBody', `count must be a whole number 1..${MAX_BULK_ORDERS}.`);
    }
    if (typeof body.customerNumber !== 'string')
      throw new SandboxControlError(400, 'invalidBody', 'customerNumber (string) is required.');
    if (body.rows !== undefined && !Array.isArray(body.rows))
      throw new SandboxControlError(400, 'invalidBody', 'rows must be an array.');
    const created = createBulkOrders(
      tenant,
      {
        count,
        customerNumber: body.customerNumber,
        sent: body.sent === true,
        invoiced: body.invoiced === true,
        rows: (body.rows ?? []) as Json[],
      },
      state.clock.nowMs(),
      state.today(),
    );
    reply.code(201);
    return { created: count, ...created };
  });

  /** A backlog of Lager purchase orders in one call (`POST purchaseorders-v1` bodies, checked as it checks them) → their ids. */
  app.post('/_sandbox/tenants/:tenantId/purchase-orders', async (request, reply) => {
    const tenant = tenantParam(state, request);
    const body = (request.body ?? {}) as Body;
    if (!tenant.lager) throw new SandboxControlError(400, 'lagerNotActivated', 'Purchase orders need Fortnox Lager.');
    if (!Array.isArray(body.purchaseOrders) || body.purchaseOrders.length === 0) {
      throw new SandboxControlError(
        400,
        'invalidBody',
        'purchaseOrders (a non-empty array of purchase-order bodies) is required.',
      );
    }
    reply.code(201);
    return { ids: createPurchaseOrders(tenant, body.purchaseOrders as Body[]) };
  });

  app.put('/_sandbox/tenants/:tenantId/faults', async (request) => {
    const tenant = tenantParam(state, request);
    const body = (request.body ?? {}) as Body;
    if (!Array.isArray(body.rules)) throw new SandboxControlError(400, 'invalidBody', 'rules (array) is required.');
    const rules = body.rules as FaultRuleInput[];
    for (const rule of rules) {
      if (typeof rule.route !== 'string' || rule.route === '')
        throw new SandboxControlError(400, 'invalidBody', 'Each rule needs a route.');
      for (const rate of [rule.errorRate, rule.timeoutAfterCommitRate, rule.badBodyRate]) {
        if (rate !== undefined && (typeof rate !== 'number' || rate < 0 || rate > 1))
          throw new SandboxControlError(400, 'invalidBody', 'Rates are 0..1.');
      }
    }
    for (const rule of rules) {
      if (rule.badBody !== undefined && !['html', 'empty', 'schema'].includes(rule.badBody)) {
        throw new SandboxControlError(400, 'invalidBody', 'badBody is one of html, empty, schema.');
      }
    }
    tenant.faults = compileRules(rules);
    return { rules: tenant.faults.map(({ random: _random, ...rule }) => rule) };
  });

  app.delete('/_sandbox/tenants/:tenantId/faults', async (request) => {
    tenantParam(state, request).faults = [];
    return { rules: [] };
  });

  app.get('/_sandbox/tenants/:tenantId/calls', async (request) => tenantParam(state, request).calls);

  app.delete('/_sandbox/tenants/:tenantId/calls', async (request) => {
    const tenant = tenantParam(state, request);
    tenant.calls = emptyCallStats();
    tenant.log = [];
    return tenant.calls;
  });

  app.get('/_sandbox/tenants/:tenantId/log', async (request) => {
    const tenant = tenantParam(state, request);
    const limit = Number((request.query as Record<string, string | undefined>).limit ?? 100);
    return tenant.log.slice(-Math.max(1, Math.min(1000, Number.isFinite(limit) ? limit : 100)));
  });

  app.post('/_sandbox/tenants/:tenantId/nightly', async (request) => ({
    booked: runNightly(tenantParam(state, request)),
  }));

  app.get('/_sandbox/clock', async () => ({
    now: state.clock.now().toISOString(),
    offsetSeconds: state.clock.offsetSeconds,
  }));

  /** Moving the clock past a Stockholm midnight runs the nightly job, as the real one runs each night. */
  app.post('/_sandbox/clock', async (request) => {
    const body = (request.body ?? {}) as Body;
    const before = stockholmDate(state.clock.now());
    if (typeof body.now === 'string') {
      const instant = new Date(body.now);
      if (Number.isNaN(instant.getTime()))
        throw new SandboxControlError(400, 'invalidBody', 'now must be an ISO date-time.');
      state.clock.set(instant);
    } else if (typeof body.advanceSeconds === 'number') {
      state.clock.advance(body.advanceSeconds);
    } else {
      throw new SandboxControlError(400, 'invalidBody', 'Give now (ISO string) or advanceSeconds (number).');
    }
    const after = stockholmDate(state.clock.now());
    const nightly: Record<string, BookedEntry[]> = {};
    if (after > before) for (const tenant of state.tenants.values()) nightly[tenant.tenantId] = runNightly(tenant);
    return { now: state.clock.now().toISOString(), offsetSeconds: state.clock.offsetSeconds, nightly };
  });

  app.delete('/_sandbox/clock', async () => {
    state.clock.reset();
    return { now: state.clock.now().toISOString(), offsetSeconds: 0 };
  });

  app.get('/_sandbox/tenants/:tenantId/state', async (request) => {
    const t = tenantParam(state, request);
    const w = t.warehouse;
    return {
      tenantId: t.tenantId,
      companyName: t.companyName,
      lager: t.lager,
      allowNegativeStock: t.allowNegativeStock,
      customers: [...t.customers.values()].map((e) => e.data),
      suppliers: [...t.suppliers.values()].map((e) => e.data),
      articles: [...t.articles.values()],
      orders: [...t.orders.values()],
      invoices: [...t.invoices.values()],
      warehouse: {
        stockPoints: w.stockPoints,
        defaultStockPointCode: w.defaultStockPointCode,
        documentTypes: Object.fromEntries(w.documentTypes),
        documents: [...w.documents.values()].map((d) => ({
          direction: d.direction,
          internal: d.internal,
          booked: d.booked,
          ...documentView(d, w),
        })),
        lots: w.lots,
        deficits: Object.fromEntries(w.deficits),
        stockBalance: w.stockBalance({}),
      },
      faults: t.faults.map(({ random: _random, ...rule }) => rule),
    };
  });
}
