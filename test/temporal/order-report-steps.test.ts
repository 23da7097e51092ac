// One Fortnox request per Fortnox activity, on a real dev server with the sandboxes: what lets the tenant queue's
// dispatch limit hold Fortnox's rate limit across worker processes (issue 18). The report's decisions are unit-tested
// in test/workflows/fulfilment.test.ts; here the requests the sandbox saw are held against the activities Temporal ran.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { fortnoxTaskQueue, orderWorkflowId, syncOrdersWorkflowId } from '../../domain/names';
import { invoicesFor, orderResult, startHarness, waitFor, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const callsUrl = (harness: Harness) =>
  `${harness.sandboxes.fortnoxUrl}/_sandbox/tenants/${harness.fortnoxTenantId}/calls`;

/** Fortnox-queue activity executions in a workflow's history (attempts included), by activity type. */
async function fortnoxActivities(harness: Harness, workflowId: string): Promise<Map<string, number>> {
  const history = await harness.client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<number, string>();
  const counts = new Map<string, number>();
  for (const event of history.events ?? []) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes?.taskQueue?.name === fortnoxTaskQueue(harness.tenantId)) {
      scheduled.set(Number(event.eventId), attributes.activityType?.name ?? '?');
    }
    const started = event.activityTaskStartedEventAttributes;
    const type = started && scheduled.get(Number(started.scheduledEventId));
    if (type) counts.set(type, (counts.get(type) ?? 0) + (started.attempt ?? 1));
  }
  return counts;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

describe('one Fortnox request per Fortnox activity', () => {
  it('an order from the sync to its invoice: the sandbox saw exactly as many requests as Temporal ran Fortnox activities', async () => {
    h = await startHarness();
    const documentNumber = await h.createOrder([
      { ArticleNumber: 'A100', OrderedQuantity: 2 },
      { ArticleNumber: 'A101', OrderedQuantity: 1 },
    ]);
    await got.delete(callsUrl(h));
    await h.syncOrders();
    const status = await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    await h.floor(status.wmsOrderId!, 'release');
    await h.floor(status.wmsOrderId!, 'pick');
    await h.floor(status.wmsOrderId!, 'send');
    expect((await orderResult(h, documentNumber)).outcome).toBe('invoiced');
    const requests = await got(callsUrl(h)).json<{ total: number; byRoute: Record<string, number> }>();

    const order = await fortnoxActivities(h, orderWorkflowId(h.tenantId, documentNumber));
    // The report is a read, a write and the invoice, each its own activity (and lagerActive when this worker did not
    // know yet): never the one activity of up to five requests it was.
    expect(order.get('reportFulfilment')).toBeUndefined();
    expect(order.get('readFortnoxOrderForReport')).toBe(1);
    expect(order.get('writeDeliveredQuantities')).toBe(1);
    expect(order.get('createInvoiceFromOrder')).toBe(1);

    // Every workflow that asked Fortnox anything: the sync, and the workflow of each order it started (the sandbox's
    // own seeded orders too), found by the order numbers the sandbox was asked about.
    const log = await got(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/log`).json<
      Array<{ url: string }>
    >();
    const orderNumbers = new Set(log.flatMap((entry) => /^\/3\/orders\/(\d+)/.exec(entry.url)?.[1] ?? []));
    const syncId = await waitFor(
      async () => {
        for await (const run of h!.client.workflow.list({ query: 'WorkflowType = "syncOrdersWorkflow"' })) {
          if (run.workflowId.startsWith(syncOrdersWorkflowId(h!.tenantId))) return run.workflowId;
        }
        return undefined;
      },
      20_000,
      'the sync run in visibility',
    );
    let activities = total(await fortnoxActivities(h, syncId));
    for (const n of orderNumbers) activities += total(await fortnoxActivities(h, orderWorkflowId(h.tenantId, n)));
    expect(log.length).toBe(requests.total);
    expect(requests.total).toBe(activities);
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
  });

  it('a write of delivered quantities whose answer is lost is not sent again on the RowIds it renumbered: read again, one invoice', async () => {
    h = await startHarness();
    const documentNumber = await h.createOrder([
      { ArticleNumber: 'A100', OrderedQuantity: 2 },
      { ArticleNumber: 'A101', OrderedQuantity: 1 },
    ]);
    await h.syncOrders();
    const status = await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    // From now on every order PUT is stored, then its connection dies before the answer.
    const faults = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`;
    await got.put(faults, { json: { rules: [{ route: 'PUT /3/orders/:DocumentNumber', timeoutAfterCommitRate: 1 }] } });
    await h.floor(status.wmsOrderId!, 'release');
    await h.floor(status.wmsOrderId!, 'pick');
    await h.floor(status.wmsOrderId!, 'send');
    const outcome = await orderResult(h, documentNumber);
    expect(outcome.outcome).toBe('invoiced');
    expect(outcome.delivered?.map((r) => r.DeliveredQuantity)).toEqual([2, 1]);
    const stored = await h.fortnox.getOrder(documentNumber);
    expect(stored.OrderRows.map((r) => r.DeliveredQuantity)).toEqual([2, 1]);
    const invoices = await invoicesFor(h, documentNumber);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.InvoiceRows.map((r) => r.DeliveredQuantity)).toEqual([2, 1]);
    const activities = await fortnoxActivities(h, orderWorkflowId(h.tenantId, documentNumber));
    expect(activities.get('writeDeliveredQuantities')).toBe(1);
    expect(activities.get('readFortnoxOrderForReport')).toBe(2);
    await got.delete(faults);
  });

  it('the article and supplier syncs and the stock report: the sandbox saw exactly as many requests as Fortnox activities ran', async () => {
    h = await startHarness();
    await h.fortnox.updateSupplier((await h.fortnox.listAllSuppliers())[0]!.SupplierNumber, {
      Name: 'Omdöpt Leverantör AB',
    });
    await got.delete(callsUrl(h));
    let activities = 0;
    for (const workflowType of ['syncArticlesWorkflow', 'syncSuppliersWorkflow', 'stockReportWorkflow']) {
      const workflowId = `${workflowType}:${h.tenantId}:one-request`;
      await h.client.workflow.execute(workflowType, {
        workflowId,
        taskQueue: h.taskQueue,
        args: [{ tenantId: h.tenantId }],
      });
      const ran = await fortnoxActivities(h, workflowId);
      expect(total(ran), workflowType).toBeGreaterThan(0);
      activities += total(ran);
    }
    const requests = await got(callsUrl(h)).json<{ total: number; byRoute: Record<string, number> }>();
    // Every article's details, each changed supplier's articles and the stock report's pages: one request each.
    expect(requests.byRoute['GET /3/articles/:ArticleNumber']).toBeGreaterThanOrEqual(10);
    expect(requests.total).toBe(activities);
  });
});
