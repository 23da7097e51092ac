// Smoke test: the product's real order-sync workflow on the shared dev server calls its real activities against the
// Fortnox sandbox and starts one order workflow per selected order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/names';
import { syncOrdersWorkflow } from '../../workflows/sync-orders';
import { startHarness, type Harness } from './harness';
import { recordHistory } from './record';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('smoke', () => {
  it('runs the order sync end to end and starts the order workflows', async () => {
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const unconfirmed = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }], { Sent: false });
    const workflowId = `sync-orders:${h.tenantId}:smoke`;
    const first = await h.client.workflow.execute(syncOrdersWorkflow, {
      workflowId,
      taskQueue: h.taskQueue,
      args: [{ tenantId: h.tenantId }],
    });
    expect(first.started).toBeGreaterThanOrEqual(1);
    expect(Date.parse(first.cursor)).toBeGreaterThan(0);
    const description = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).describe();
    expect(description.type).toBe('orderWorkflow');
    expect(description.searchAttributes.Tenant).toEqual([h.tenantId]);
    // Not confirmed: the default selection leaves it in Fortnox, so no workflow exists for it.
    await expect(h.client.workflow.getHandle(orderWorkflowId(h.tenantId, unconfirmed)).describe()).rejects.toThrow(
      /not found/i,
    );
    await recordHistory(workflowId, 'syncOrdersWorkflow', 'first-run');
  });
});
