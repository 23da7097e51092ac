// CI's short form of `npm run bench -- --only backfill`: a tenant with a few thousand Fortnox orders and received
// purchase orders, at Fortnox's rate limit, with the product's own worker process. A full order sync and a
// purchase-order sync must complete, reach every order and receipt, and keep every history payload small. It runs its
// own dev server (bench/rig.ts), so it lives in the fast project.
import { describe, expect, it } from 'vitest';
import { runBackfill } from '../../bench/backfill';
import type { SyncOrdersResult } from '../../workflows/sync-orders';

describe('backfill (short)', () => {
  it('a full order sync of 2,400 orders and a sync of 40 received purchase orders complete with small payloads', async () => {
    const result = await runBackfill({ orders: 2400, receivedPurchaseOrders: 40, progress: false });
    const orders = result.orderSync.result as SyncOrdersResult;
    expect(orders.listed).toBe(2400);
    // Only the open, confirmed orders are started; history and drafts are listed and left alone.
    expect(orders.started).toBe(result.orders.open);
    expect(orders.pages).toBeGreaterThanOrEqual(6);
    expect(result.orderSync.largestPayloadBytes).toBeLessThan(16 * 1024);
    const purchaseOrders = result.purchaseOrderSync!.result as { receiptsPosted: number };
    expect(purchaseOrders.receiptsPosted).toBe(40);
    expect(result.purchaseOrderSync!.largestPayloadBytes).toBeLessThan(16 * 1024);
    // The next run finds every receipt settled: it posts nothing and skips the per-order reads of the first run.
    const again = result.purchaseOrderSyncAgain!;
    expect((again.result as { receiptsPosted: number }).receiptsPosted).toBe(0);
    expect(again.fortnoxCalls).toBeLessThan(result.purchaseOrderSync!.fortnoxCalls / 4);
  }, 600_000);
});
