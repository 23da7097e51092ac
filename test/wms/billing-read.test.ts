// prepareBillingExport against the WMS sandbox in a mock activity context: what a period reads, that it heartbeats per
// order and resumes after the last one, and that it reads only the sources the configuration prices.
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingReadActivities } from '../../activities/billing';
import { integrationFailureInterceptor } from '../../activities/integration-error';
import { TenantRegistry } from '../../activities/tenant-registry';
import { tenantSchema, type Tenant } from '../../config/tenants';
import { billingPeriod, type BillingExportPlan } from '../../domain/billing';
import type { PriceList } from '../../domain/billing-sources';
import type { WmsSandbox } from '../../simulators/wms/server';
import { consignee, newGoodsOwner, startSandbox } from './helpers';

let sandbox: WmsSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const feeMapping = { ORDER: {}, PICKLINE: {}, PARCEL: {}, STORAGE: {}, ADJUSTMENT: {}, INBOUND: {} };
const priceList: PriceList = {
  STORAGE: { basis: 'itemsInStock', unitPrice: 0.1 },
  INBOUND: { basis: 'receivedPurchaseOrderLines', unitPrice: 4 },
  ADJUSTMENT: { basis: 'inventoryAdjustments', unitPrice: 15 },
};
// A month safely in the past, on the sandbox's clock: October 2025 in Stockholm is 2025-09-30T22:00Z–2025-10-31T23:00Z.
const october = billingPeriod('2025-10');

/** A goods owner whose October: 3 orders shipped (one in each neighbouring month too), a receipt, a damaged item. */
async function goodsOwnerWithAnOctober() {
  const at = (iso: string) => {
    sandbox.state.now = () => new Date(iso);
  };
  at('2025-09-15T08:00:00Z');
  const owner = await newGoodsOwner(sandbox, { seed: true }); // 225 items, counted in September
  const ship = async (orderNumber: string, when: string) => {
    const { orderId } = await owner.client.upsertOrder({
      orderNumber,
      deliveryDate: '2025-10-01',
      consignee,
      orderLines: [
        { rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: 2 },
        { rowNumber: '2', articleNumber: 'WIDGET-2', numberOfItems: 1 },
      ],
    });
    at(when);
    await owner.ctl('POST', `/orders/${orderId}/send`);
  };
  await ship('SEP', '2025-09-30T21:59:00Z');
  await ship('OCT-1', '2025-09-30T22:00:00Z');
  await ship('OCT-2', '2025-10-15T12:00:00Z');
  await ship('OCT-3', '2025-10-31T22:59:00Z');
  await ship('NOV', '2025-10-31T23:00:00Z');
  at('2025-10-20T08:00:00Z');
  const { purchaseOrderId } = await owner.client.upsertPurchaseOrder({
    purchaseOrderNumber: 'PO-OCT',
    purchaseOrderLines: [{ rowNumber: '1', articleNumber: 'GADGET-1', numberOfItems: 4 }],
  });
  await owner.ctl('POST', `/purchase-orders/${purchaseOrderId}/receive`);
  await owner.ctl('POST', '/stock-adjustments', { articleNumber: 'GADGET-1', delta: -1, reason: 'damage' });
  sandbox.state.now = () => new Date();
  return owner;
}

function tenantOf(
  creds: { goodsOwnerId: number; username: string; password: string; warehouse: string },
  billing: Record<string, unknown>,
): Tenant {
  const fortnox = {
    apiBaseUrl: 'http://127.0.0.1:1',
    authBaseUrl: 'http://127.0.0.1:1',
    auth: { mode: 'client_credentials', clientId: 'c', clientSecret: 's', tenantId: '1' },
  };
  return tenantSchema.parse({
    id: 'acme',
    fortnox,
    wms: {
      baseUrl: `${sandbox.url}/${creds.warehouse}`,
      username: creds.username,
      password: creds.password,
      goodsOwnerId: creds.goodsOwnerId,
      webhook: { auth: 'off' },
    },
    billing: { fortnox, customerNumber: '1001', feeMapping, ...billing },
  });
}

type Calls = { total: number; byRoute: Record<string, number> };

async function prepare(tenant: Tenant, heartbeatDetails?: unknown) {
  const env = new MockActivityEnvironment(heartbeatDetails === undefined ? {} : { heartbeatDetails }, {
    interceptors: [integrationFailureInterceptor],
  });
  const beats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => beats.push(details));
  const { prepareBillingExport } = createBillingReadActivities(new TenantRegistry([tenant]));
  const plan: BillingExportPlan = await env.run(prepareBillingExport, tenant.id, october);
  return { plan, beats };
}

describe('reading a billing period from the WMS', () => {
  it("reads the charges of the orders shipped in the period and counts what the price list prices, at the period's end", async () => {
    const { creds, ctl } = await goodsOwnerWithAnOctober();
    await ctl('DELETE', '/calls');
    const { plan } = await prepare(tenantOf(creds, { priceList }));
    expect(plan.invoices[0]!.InvoiceRows.map((r) => [r.feeCode, r.DeliveredQuantity, r.Price])).toEqual([
      ['ORDER', 3, 25],
      ['PARCEL', 3, 12],
      ['PICKLINE', 6, 4],
      // Stock at the period's end: 225 counted, 3 items out with each of the 4 orders shipped before it, 4 in, 1 damaged.
      ['STORAGE', 225 - 4 * 3 + 4 - 1, 0.1], // the November order, shipped at the very end, is not before it
      ['INBOUND', 1, 4],
      ['ADJUSTMENT', 1, 15],
    ]);
    expect(plan.sources).toEqual({
      from: '2025-09-30T22:00:00.000Z',
      to: '2025-10-31T23:00:00.000Z',
      ordersShipped: 3,
      stockDate: '2025-10-31T23:00:00.000Z',
      counts: { itemsInStock: 216, inventoryAdjustments: 1, receivedPurchaseOrderLines: 1 },
    });
    expect(plan.specificationId).toBe(`${creds.goodsOwnerId}-2025-10-01-2025-10-31`);
    // One call per order shipped in the period, and nothing else per order.
    const calls = (await ctl('GET', '/calls')) as Calls;
    expect(calls.byRoute['GET /orders/:orderId/invoiceCharges']).toBe(3);
    // Read again later, the period is the same: same lines, same version.
    expect((await prepare(tenantOf(creds, { priceList }))).plan.version).toBe(plan.version);
  });

  it('heartbeats after every order and, retried, goes on after the last order it beat for', async () => {
    const { creds, ctl } = await goodsOwnerWithAnOctober();
    const tenant = tenantOf(creds, { priceList });
    const first = await prepare(tenant);
    const perOrder = first.beats.filter(
      (b): b is { orders: number } => typeof b === 'object' && b !== null && 'orders' in b,
    );
    expect(perOrder.map((b) => b.orders)).toEqual(expect.arrayContaining([0, 1, 2, 3]));

    // A retry after the second order: the third order's charges are read, the first two come from the heartbeat.
    const afterSecond = perOrder.find((b) => b.orders === 2)!;
    await ctl('DELETE', '/calls');
    const resumed = await prepare(tenant, afterSecond);
    expect(resumed.plan.version).toBe(first.plan.version);
    expect(resumed.plan.invoices).toEqual(first.plan.invoices);
    expect(((await ctl('GET', '/calls')) as Calls).byRoute['GET /orders/:orderId/invoiceCharges']).toBe(1);
  });

  it('reads only what is priced: no orders without per-order charges, no stock, adjustments or receipts without a price', async () => {
    const { creds, ctl } = await goodsOwnerWithAnOctober();
    await ctl('DELETE', '/calls');
    const { plan } = await prepare(tenantOf(creds, { orderCharges: false, priceList: { STORAGE: priceList.STORAGE } }));
    expect(plan.invoices[0]!.InvoiceRows.map((r) => r.feeCode)).toEqual(['STORAGE']);
    expect(plan.sources).toMatchObject({ counts: { itemsInStock: 216 } });
    expect(plan.sources).not.toHaveProperty('ordersShipped');
    expect(Object.keys(((await ctl('GET', '/calls')) as Calls).byRoute)).toEqual(['GET /articles/historicalInventory']);
  });
});
