// Which orders a sync starts again. An order's workflow id is reused on purpose: a sync never restarts an order whose
// workflow ended for good (cancelled in the warehouse, terminated by an operator): each such restart used to find the
// warehouse order and ask for attention again. It does start again an order it skipped (the selection rules said no
// then, and the order has changed since). An operator reopens the others.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorContext } from '../../client/operator/context';
import { orderReopenCommand } from '../../client/operator/order';
import { orderWorkflowId } from '../../domain/names';
import { orderWorkflowSettings } from '../../domain/order-settings';
import { fortnoxChangedSignal } from '../../workflows/order/messages';
import { orderWorkflow } from '../../workflows/order/workflow';
import type { SyncOrdersResult } from '../../workflows/sync-orders';
import { orderResult, startHarness, type Harness } from './harness';

let h: Harness;
let ctx: OperatorContext;
let output = '';

beforeAll(async () => {
  h = await startHarness();
  ctx = {
    client: h.client,
    namespace: 'default',
    taskQueue: h.taskQueue,
    tenants: [h.tenant],
    out: new Writable({
      write(chunk, _enc, done) {
        output += String(chunk);
        done();
      },
    }),
    uiUrl: 'http://localhost:8233',
  };
});

afterAll(async () => {
  await h?.close();
});

const handleOf = (documentNumber: string) => h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber));
const runIdOf = async (documentNumber: string) => (await handleOf(documentNumber).describe()).runId;

describe('order workflow id reuse', () => {
  it('a sync leaves an order cancelled in the warehouse, and one an operator terminated, closed', async () => {
    const cancelled = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const terminated = await h.createOrder([{ ArticleNumber: 'A101', OrderedQuantity: 1 }]);
    await h.syncOrders();
    const { wmsOrderId } = await h.waitForStatus(cancelled, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    await h.waitForStatus(terminated, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    await h.floor(wmsOrderId!, 'cancel');
    expect((await orderResult(h, cancelled)).outcome).toBe('cancelled');
    await handleOf(terminated).terminate('operator: wrong customer');
    const before = { cancelled: await runIdOf(cancelled), terminated: await runIdOf(terminated) };

    // Both are still open, confirmed orders in Fortnox: the selection rules take them.
    const result: SyncOrdersResult = await h.syncOrders();
    expect(result.leftClosed).toBeGreaterThanOrEqual(2);
    expect(await runIdOf(cancelled)).toBe(before.cancelled);
    expect(await runIdOf(terminated)).toBe(before.terminated);
    expect((await handleOf(cancelled).describe()).status.name).toBe('COMPLETED');
    expect((await handleOf(terminated).describe()).status.name).toBe('TERMINATED');

    // The operator's way back: reopen starts a new run, which finds the warehouse order and carries on.
    const runId = await orderReopenCommand(ctx, h.tenantId, terminated, 'customer corrected');
    expect(runId).not.toBe(before.terminated);
    const status = await h.waitForStatus(terminated, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    expect(status.actions.map((a) => a.action)).toContain('found the order in the WMS');
    expect(status.actions.find((a) => a.action === 'resync requested')?.detail).toBe('customer corrected');
    expect(output).toContain(`Reopened order:${h.tenantId}:${terminated} (was terminated)`);
    await expect(orderReopenCommand(ctx, h.tenantId, terminated)).rejects.toThrow(
      /is running: reopen is for closed orders/,
    );
  });

  it('a sync starts again an order it skipped, once the order meets the selection rules', async () => {
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A102', OrderedQuantity: 1 }], { Sent: false });
    // As a sync that listed the order a moment before its confirmation was withdrawn would have: started, then skipped.
    await h.client.workflow.signalWithStart(orderWorkflow, {
      workflowId: orderWorkflowId(h.tenantId, documentNumber),
      taskQueue: h.taskQueue,
      args: [{ tenantId: h.tenantId, documentNumber, settings: orderWorkflowSettings(h.tenant.settings) }],
      signal: fortnoxChangedSignal,
      signalArgs: [],
    });
    expect((await orderResult(h, documentNumber)).outcome).toBe('skipped');
    const skippedRun = await runIdOf(documentNumber);

    await h.fortnox.updateOrder(documentNumber, { Sent: true } as never);
    const result = await h.syncOrders();
    expect(result.restarted).toBeGreaterThanOrEqual(1);
    expect(await runIdOf(documentNumber)).not.toBe(skippedRun);
    await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse');
  });
});
