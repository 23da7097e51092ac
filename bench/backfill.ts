// Backfill at full size (issue 16): a tenant with 30,000 Fortnox orders (years of invoiced history, unconfirmed drafts
// and a few open, confirmed ones) and hundreds of received purchase orders, at Fortnox's real rate limit. A full order
// sync and a purchase-order sync must complete, and no history payload may come near Temporal's 2 MB limit.
import { randomBytes } from 'node:crypto';
import { createBulkOrders } from '../simulators/fortnox/bulk-orders';
import { createSupplier } from '../simulators/fortnox/rest/registers';
import { seedPurchaseOrderBacklog } from '../simulators/purchase-order-backlog';
import { historyFigures, type HistoryFigures } from './history-payloads';
import { startRig, type Rig } from './rig';

export interface BackfillOptions {
  orders: number;
  receivedPurchaseOrders: number;
  progress: boolean;
}

export interface SyncFigures extends HistoryFigures {
  wallSeconds: number;
  fortnoxCalls: number;
  fortnoxByRoute: Record<string, number>;
  result: unknown;
}

export interface BackfillResult {
  orders: { invoiced: number; unconfirmed: number; open: number };
  receivedPurchaseOrders: number;
  orderSync: SyncFigures;
  purchaseOrderSync?: SyncFigures;
  /** The next purchase-order sync: everything is settled, so it must skip what the first one did. */
  purchaseOrderSyncAgain?: SyncFigures;
}

/** Share of the orders that are history (invoiced) and drafts (confirmation not sent); the rest are open and confirmed. */
const INVOICED_SHARE = 0.96;
const UNCONFIRMED_SHARE = 0.035;

async function measured(rig: Rig, workflowType: string, args: unknown[]): Promise<SyncFigures> {
  await rig.resetCalls();
  const workflowId = `bench-${workflowType}:${rig.tenant.id}:${randomBytes(3).toString('hex')}`;
  const started = Date.now();
  const result = await rig.client.workflow.execute(workflowType, { workflowId, taskQueue: rig.taskQueue, args });
  const wallSeconds = (Date.now() - started) / 1000;
  const calls = rig.fortnoxTenant.calls;
  return {
    wallSeconds,
    fortnoxCalls: calls.total,
    fortnoxByRoute: { ...calls.byRoute },
    result,
    ...(await historyFigures(rig.client, workflowId)),
  };
}

export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const say = (line: string) => options.progress && process.stderr.write(`backfill: ${line}\n`);
  // Fortnox's limit on (25 requests / 5 s), Lager on (purchase orders live there), webhooks off (nothing on the floor).
  const rig = await startRig({ fortnoxRateLimit: true, lager: true, webhooks: false });
  try {
    const customerNumber = [...rig.fortnoxTenant.customers.keys()][0]!;
    const now = rig.fortnox.state.clock.nowMs();
    const today = rig.fortnox.state.today();
    const invoiced = Math.round(options.orders * INVOICED_SHARE);
    const unconfirmed = Math.round(options.orders * UNCONFIRMED_SHARE);
    const open = options.orders - invoiced - unconfirmed;
    createBulkOrders(
      rig.fortnoxTenant,
      { count: invoiced, customerNumber, sent: true, invoiced: true, rows: [] },
      now,
      today,
    );
    createBulkOrders(
      rig.fortnoxTenant,
      { count: unconfirmed, customerNumber, sent: false, invoiced: false, rows: [] },
      now,
      today,
    );
    createBulkOrders(
      rig.fortnoxTenant,
      {
        count: open,
        customerNumber,
        sent: true,
        invoiced: false,
        rows: [{ ArticleNumber: rig.articles[0], OrderedQuantity: 1 }],
      },
      now,
      today,
    );
    say(`seeded ${options.orders} orders (${invoiced} invoiced, ${unconfirmed} unconfirmed, ${open} open)`);
    const supplier = createSupplier(rig.fortnoxTenant, { Name: 'Bench Leverantör AB', City: 'Göteborg' }, now);
    await seedPurchaseOrderBacklog({
      fortnoxUrl: rig.fortnox.url,
      fortnoxTenantId: rig.fortnoxTenant.tenantId,
      wmsUrl: rig.wms.url,
      goodsOwnerId: rig.goodsOwner.goodsOwnerId,
      count: options.receivedPurchaseOrders,
      supplierNumber: String(supplier.SupplierNumber),
      rows: [{ itemId: rig.articles[0]!, orderedQuantity: 10, price: 50 }],
      wms: 'received',
    });
    say(`seeded ${options.receivedPurchaseOrders} purchase orders, received in full in the WMS`);
    await rig.spawnWorker('product', { LOG_LEVEL: 'warn' });

    say('full order sync ...');
    const orderSync = await measured(rig, 'syncOrdersWorkflow', [{ tenantId: rig.tenant.id, since: null }]);
    say(
      `order sync: ${orderSync.wallSeconds.toFixed(1)} s, ${orderSync.fortnoxCalls} Fortnox calls, largest payload ${orderSync.largestPayloadBytes} B`,
    );

    say('purchase-order sync ...');
    const purchaseOrderSync = await measured(rig, 'syncPurchaseOrdersWorkflow', [{ tenantId: rig.tenant.id }]);
    say(
      `purchase-order sync: ${purchaseOrderSync.wallSeconds.toFixed(1)} s, ${purchaseOrderSync.fortnoxCalls} Fortnox calls, ` +
        `largest payload ${purchaseOrderSync.largestPayloadBytes} B`,
    );

    say('purchase-order sync again (everything settled) ...');
    const purchaseOrderSyncAgain = await measured(rig, 'syncPurchaseOrdersWorkflow', [{ tenantId: rig.tenant.id }]);
    say(
      `purchase-order sync again: ${purchaseOrderSyncAgain.wallSeconds.toFixed(1)} s, ${purchaseOrderSyncAgain.fortnoxCalls} Fortnox calls`,
    );
    return {
      orders: { invoiced, unconfirmed, open },
      receivedPurchaseOrders: options.receivedPurchaseOrders,
      orderSync,
      purchaseOrderSync,
      purchaseOrderSyncAgain,
    };
  } finally {
    await rig.close();
  }
}
