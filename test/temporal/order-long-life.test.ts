// What only months of life show, compressed: an order waiting for an operator through many events continues as new
// instead of spinning, and an operator's resync that lands while a run continues as new is acted on in the next run.
import { temporal } from '@temporalio/proto';
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/names';
import { resyncSignal, wmsEventSignal } from '../../workflows/order/messages';
import { orderInWarehouse, startHarness, waitFor, type Harness } from './harness';
import { recordHistory } from './record';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The event types of one run's history. */
async function eventTypes(harness: Harness, workflowId: string, runId: string): Promise<string[]> {
  const history = await harness.client.workflow.getHandle(workflowId, runId).fetchHistory();
  // Event types arrive as enum numbers; the enum maps them back to their names.
  return (history.events ?? []).map((e) => {
    const type = String(temporal.api.enums.v1.EventType[e.eventType ?? 0]);
    const cause = e.workflowTaskFailedEventAttributes?.cause;
    return cause == null ? type : `${type}:${temporal.api.enums.v1.WorkflowTaskFailedCause[cause]}`;
  });
}

describe('order workflow over months', () => {
  it('waiting for an operator, continues as new when its history is long instead of spinning', async () => {
    // A small history limit stands for months of reconciliation wakes and webhook retries.
    h = await startHarness({ settings: { orderHistoryLimit: 40 } });
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    // Sent without picking anything: the order waits for an operator.
    await h.floor(wmsOrderId, 'pick', { lines: [{ rowNumber: '1', pickedNumberOfItems: 0 }] });
    await h.floor(wmsOrderId, 'send');
    await h.waitForStatus(documentNumber, (s) => s.stage === 'needs-attention' && !s.busy);
    const workflowId = orderWorkflowId(h.tenantId, documentNumber);
    const handle = h.client.workflow.getHandle(workflowId);
    const firstRun = (await handle.describe()).runId;

    // Events keep arriving (webhook retries, reconciliation wakes) while nobody looks: each grows the history.
    for (let i = 0; (await handle.describe()).runId === firstRun; i++) {
      expect(i, 'the run never continued as new').toBeLessThan(60);
      await handle.signal(wmsEventSignal, { webhookEventId: `late-${i}`, orderId: wmsOrderId, statusNumber: 450 });
      await new Promise((r) => setTimeout(r, 50));
    }
    const types = await eventTypes(h, workflowId, firstRun);
    expect(types.at(-1)).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
    // No workflow task failed or timed out on the way: the wait never spun. The one refusal allowed is the server's
    // UNHANDLED_COMMAND: a continue-as-new completed while a new signal was waiting is sent back to take the signal first.
    const failedTasks = types.filter((t) => /WORKFLOW_TASK_(FAILED|TIMED_OUT)/.test(t));
    expect(failedTasks.filter((t) => !t.endsWith(':WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND'))).toEqual([]);
    // The limit is checked once per loop iteration, and signals keep landing while one runs (about 4 events each); an
    // order waiting for the operator acts on none of them, so its iterations are light: 60 covers them.
    expect(types.length).toBeLessThan(40 + 60);
    // The next run still waits for the operator, with what it knew.
    const status = await h.waitForStatus(documentNumber, (s) => !s.busy);
    expect(status.stage).toBe('needs-attention');
    expect(status.attention).toMatch(/without picking anything/);
    // The run that waited, took signals and continued as new (with the settings re-read) is kept for replay.
    await recordHistory(workflowId, 'orderWorkflow', 'needs-attention-continue-as-new', firstRun);
  });

  it('acts in the next run on a resync that lands while the run continues as new', async () => {
    h = await startHarness({ settings: { orderHistoryLimit: 24 } });
    const harness = h;
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const workflowId = orderWorkflowId(h.tenantId, documentNumber);
    const handle = h.client.workflow.getHandle(workflowId);
    // Start from a fresh run, whose history is short.
    const before = await handle.describe();
    let runId = before.runId;
    let event = 0;
    const nudge = () =>
      handle.signal(wmsEventSignal, { webhookEventId: `nudge-${event++}`, orderId: wmsOrderId, statusNumber: 200 });
    while ((await handle.describe()).runId === before.runId) {
      await nudge();
      await h.waitForStatus(documentNumber, (s) => !s.busy && !s.pendingWmsCheck);
    }
    runId = (await handle.describe()).runId;
    // Events until the next act (about ten history events: a signal, two workflow tasks, an activity) must go past the
    // limit: that iteration will continue as new.
    const limit = 24;
    let length = Number((await handle.describe()).historyLength);
    while (length + 10 <= limit) {
      await nudge();
      await h.waitForStatus(documentNumber, (s) => !s.busy && !s.pendingWmsCheck);
      length = Number((await handle.describe()).historyLength);
    }
    expect((await handle.describe()).runId).toBe(runId);
    expect(length).toBeLessThanOrEqual(limit);

    // The next read of the WMS order is slow; while it is in flight an operator asks for a resync.
    const wmsOwner = `${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}`;
    await got.put(`${wmsOwner}/faults`, { json: { rules: [{ route: 'GET /orders/:orderId', latencyMs: 3000 }] } });
    const fortnoxLog = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/log`;
    const readsOfOrder = async () =>
      (await got(fortnoxLog, { searchParams: { limit: 1000 } }).json<Array<{ method: string; url: string }>>()).filter(
        (c) => c.method === 'GET' && c.url.startsWith(`/3/orders/${documentNumber}`),
      ).length;
    const readsBefore = await readsOfOrder();
    await nudge();
    await h.waitForStatus(documentNumber, (s) => s.busy);
    await handle.signal(resyncSignal, { reason: 'stock fixed' });
    await waitFor(async () => (await handle.describe()).runId !== runId, 30_000, 'the run to continue as new');
    await got.delete(`${wmsOwner}/faults`);

    // The new run re-read Fortnox for the resync; the request was not lost with the old run.
    await waitFor(async () => (await readsOfOrder()) > readsBefore, 30_000, "the resync's read of the Fortnox order");
    const status = await harness.waitForStatus(documentNumber, (s) => !s.busy && !s.resyncRequested);
    expect(status.actions.map((a) => a.action)).toContain('resync requested');
    await recordHistory(workflowId, 'orderWorkflow', 'resync-during-continue-as-new', runId);
  });
});
