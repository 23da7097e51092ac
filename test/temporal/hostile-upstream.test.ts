// Fortnox and the WMS answering with bodies no client can trust (HTML pages, empty bodies, wrong-shaped JSON): each
// gets a clear, classified error, the affected order is marked as needing attention, the worker keeps running, other
// orders go on, and after the fault the order is resynced and invoiced exactly once.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/names';
import { resyncSignal } from '../../workflows/order/messages';
import { invoicesFor, orderInWarehouse, orderResult, startHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function ship(harness: Harness, wmsOrderId: number) {
  await harness.floor(wmsOrderId, 'release');
  await harness.floor(wmsOrderId, 'pick');
  await harness.floor(wmsOrderId, 'send');
}

describe('hostile upstream answers', () => {
  it.each([
    ['HTML page', 'html', /unexpected body/],
    ['wrong-shaped JSON', 'schema', /unexpected body/],
  ] as const)(
    'Fortnox answering a %s while reporting: needs attention, then invoiced once after a resync',
    async (_name, badBody, message) => {
      h = await startHarness();
      const hit = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
      const bystander = await orderInWarehouse(h, [{ ArticleNumber: 'A101', OrderedQuantity: 1 }]);
      const faults = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`;
      await got.put(faults, { json: { rules: [{ route: 'GET /3/orders/:DocumentNumber', badBodyRate: 1, badBody }] } });
      await ship(h, hit.wmsOrderId);
      const status = await h.waitForStatus(hit.documentNumber, (s) => s.stage === 'needs-attention');
      expect(status.attention).toMatch(message);
      expect(status.attention).toMatch(/GET \/3\/orders\/\d+/);
      const description = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, hit.documentNumber)).describe();
      expect(description.searchAttributes.NeedsAttention).toEqual([true]);
      expect(description.status.name).toBe('RUNNING');

      await got.delete(faults);
      // The worker kept running: the other order still goes through.
      await ship(h, bystander.wmsOrderId);
      expect((await orderResult(h, bystander.documentNumber)).outcome).toBe('invoiced');

      await h.client.workflow
        .getHandle(orderWorkflowId(h.tenantId, hit.documentNumber))
        .signal(resyncSignal, { reason: 'Fortnox fixed' });
      expect((await orderResult(h, hit.documentNumber)).outcome).toBe('invoiced');
      expect(await invoicesFor(h, hit.documentNumber)).toHaveLength(1);
    },
  );

  it('Fortnox answering an empty body after it created the invoice: the report reads again and keeps that invoice', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    const faults = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`;
    await got.put(faults, {
      json: { rules: [{ route: 'PUT /3/orders/:DocumentNumber/createinvoice', badBodyRate: 1, badBody: 'empty' }] },
    });
    await ship(h, wmsOrderId);
    // The unreadable answer is not taken as a refusal to park on: the order is read again, shows the invoice Fortnox
    // made, and that one is kept. No operator needed, no second createinvoice.
    const outcome = await orderResult(h, documentNumber);
    expect(outcome.outcome).toBe('already-invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
    const calls = (await got(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/calls`).json()) as {
      byRoute: Record<string, number>;
    };
    expect(calls.byRoute['PUT /3/orders/:DocumentNumber/createinvoice']).toBe(1);
    const description = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).describe();
    expect(description.searchAttributes.NeedsAttention ?? [false]).toEqual([false]);
  });

  it('the WMS answering an HTML page: needs attention, then completed after a resync', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const faults = `${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}/faults`;
    await got.put(faults, { json: { rules: [{ route: 'GET /orders/:orderId', badBodyRate: 1, badBody: 'html' }] } });
    await ship(h, wmsOrderId);
    const status = await h.waitForStatus(documentNumber, (s) => s.stage === 'needs-attention');
    expect(status.attention).toMatch(/reporting the shipment failed/);
    await got.delete(faults);
    await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).signal(resyncSignal, {});
    expect((await orderResult(h, documentNumber)).outcome).toBe('invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
  });
});
