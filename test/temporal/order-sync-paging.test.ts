// A full order sync of a tenant with more orders than fit a page (and, scaled up in the backfill bench, more than fit
// Temporal's 2 MB payload limit): one activity per page, small payloads, the same outcome when a run hands over to
// the next by continue-as-new in the middle of a listing.
import { WorkflowNotFoundError } from '@temporalio/client';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyFigures } from '../../bench/history-payloads';
import { orderWorkflowId } from '../../domain/names';
import type { SyncOrdersResult } from '../../workflows/sync-orders';
import { startHarness, type Harness } from './harness';
import { recordHistory } from './record';

let h: Harness;
let sentOrders: string[];

beforeAll(async () => {
  h = await startHarness({ fortnoxRateLimit: false });
  const first = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
  const { CustomerNumber } = await h.fortnox.getOrder(first);
  // 1,100 orders whose confirmation has not gone out (outside the selection rules), 150 invoiced ones, then two that
  // are selected: open orders fill three pages of 500, and the selected ones sit on the last.
  const bulk = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/orders/bulk`;
  await got.post(bulk, { json: { count: 1100, customerNumber: CustomerNumber, sent: false } });
  await got.post(bulk, { json: { count: 150, customerNumber: CustomerNumber, sent: true, invoiced: true } });
  sentOrders = [first, await h.createOrder([{ ArticleNumber: 'A101', OrderedQuantity: 1 }])];
}, 300_000);

afterAll(async () => {
  await h?.close();
});

async function fullSync(workflowId: string, historyBudget?: number, preview?: boolean): Promise<SyncOrdersResult> {
  return h.client.workflow.execute('syncOrdersWorkflow', {
    workflowId,
    taskQueue: h.taskQueue,
    args: [{ tenantId: h.tenantId, since: null, historyBudget, ...(preview ? { preview } : {}) }],
  }) as Promise<SyncOrdersResult>;
}

let previewed: SyncOrdersResult;

describe('paged order sync', () => {
  // First, while no order has a workflow: the backfill's preview reads every page like a sync, across continue-as-new,
  // and starts nothing.
  it('a preview classifies every page, across continue-as-new, and starts or signals nothing', async () => {
    const workflowId = `sync-orders-preview:${h.tenantId}`;
    previewed = await fullSync(workflowId, 12, true);
    const selected = (await h.fortnox.listAllOrders({ filter: 'invoicenotcreated', sent: true })).length;
    expect(previewed).toMatchObject({
      preview: true,
      pages: 5,
      listed: (await h.fortnox.listAllOrders({})).length,
      started: selected,
      leftClosed: 0,
      restarted: 0,
      signalled: 0,
    });
    const runs: string[] = [];
    for await (const execution of h.client.workflow.list({ query: `WorkflowId = ${JSON.stringify(workflowId)}` }))
      runs.push(execution.status.name);
    expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
    // Not one order workflow of the tenant exists (visibility lags, so each selected order is looked up directly).
    for (const n of sentOrders) {
      await expect(h.client.workflow.getHandle(orderWorkflowId(h.tenantId, n)).describe()).rejects.toThrow(
        WorkflowNotFoundError,
      );
    }
    await recordHistory(workflowId, 'syncOrdersWorkflow', 'preview');
  });

  it('reads every page of every listing, starts the selected orders, and keeps each payload small', async () => {
    const workflowId = `sync-orders-paged:${h.tenantId}`;
    const result = await fullSync(workflowId);
    const listed = (await h.fortnox.listAllOrders({})).length;
    // Three pages of open orders, one of invoiced ones, one (empty) of cancelled ones.
    expect(result.pages).toBe(5);
    expect(result.listed).toBe(listed);
    const selected = (await h.fortnox.listAllOrders({ filter: 'invoicenotcreated', sent: true })).length;
    expect(selected).toBeGreaterThanOrEqual(sentOrders.length);
    expect(result.started).toBe(selected);
    expect(result.started).toBe(previewed.started); // the preview counted what the sync then did
    for (const n of sentOrders) await h.waitForStatus(n, (s) => s.stage === 'awaiting-warehouse');
    // A page's worth of orders never travels through the history: inputs and results are counts.
    expect((await historyFigures(h.client, workflowId)).largestPayloadBytes).toBeLessThan(2_000);
    await recordHistory(workflowId, 'syncOrdersWorkflow', 'paged');
  });

  it('hands over by continue-as-new mid-listing and ends with the same counts', async () => {
    const workflowId = `sync-orders-handover:${h.tenantId}`;
    const result = await fullSync(workflowId, 12);
    const runs: { runId: string; status: string }[] = [];
    for await (const execution of h.client.workflow.list({ query: `WorkflowId = ${JSON.stringify(workflowId)}` })) {
      runs.push({ runId: execution.runId, status: execution.status.name });
    }
    const handedOver = runs.filter((r) => r.status === 'CONTINUED_AS_NEW');
    expect(handedOver.length).toBeGreaterThanOrEqual(2);
    await recordHistory(workflowId, 'syncOrdersWorkflow', 'paged-continue-as-new', handedOver[0]!.runId);
    expect(result).toMatchObject({ pages: 5, listed: (await h.fortnox.listAllOrders({})).length });
    // The selected orders' workflows are running: they are signalled, not started twice.
    expect(result.started).toBe((await h.fortnox.listAllOrders({ filter: 'invoicenotcreated', sent: true })).length);
    expect(result.restarted).toBe(0);
  });
});
