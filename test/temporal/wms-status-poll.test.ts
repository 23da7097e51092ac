// Orders without webhooks: the WMS sends none and the tenant has them off, yet a shipment is reported and invoiced once,
// by the status-change poll on its schedule; the next (overlapping) poll signals nothing again; orders without a
// workflow are counted, not fatal.
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapSchedules, scheduleDefinitions, triggerScheduleNow } from '../../client/schedules';
import { statusEventId } from '../../domain/wms-status-poll';
import type { PollWmsStatusResult } from '../../workflows/poll-wms-status';
import { invoicesFor, orderResult, scheduledRun, startHarness, type Harness } from './harness';
import { recordHistory } from './record';

let h: Harness | undefined;
let scheduleIds: string[] = [];
afterEach(async () => {
  for (const id of scheduleIds)
    await h?.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  scheduleIds = [];
  await h?.close();
  h = undefined;
});

describe('WMS status-change poll (webhooks off)', () => {
  it('reports a shipment with no webhook at all, signals each status once, and skips orders it has no workflow for', async () => {
    // Only the poll is scheduled (an hour apart, so only the runs this test asks for happen).
    h = await startHarness({
      webhooks: false,
      settings: {
        wmsStatusPollInterval: '1h',
        processes: { orders: false, articles: false, suppliers: false, purchaseOrders: false },
      },
    });
    expect(h.tenant.wms.webhook).toEqual({ auth: 'off' });
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    await h.syncOrders();
    const waiting = await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    const wmsOrderId = waiting.wmsOrderId!;
    // An order the product never made (typed into the WMS by hand): the poll sees it, but has nobody to tell.
    await h.wms.upsertOrder({
      orderNumber: 'BY-HAND-1',
      deliveryDate: '2030-01-01',
      consignee: { name: 'Walk-in' },
      orderLines: [{ rowNumber: '1', articleNumber: 'A101', numberOfItems: 1 }],
    });
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    // Nothing happens by itself: there is no webhook, and the reconciliation timer is an hour away.
    expect((await h.orderStatus(documentNumber)).stage).toBe('awaiting-warehouse');
    expect(h.webhookOutcomes).toEqual([]);

    const id = `wms-status:${h.tenantId}`;
    scheduleIds = scheduleDefinitions(h.tenant).map((d) => d.scheduleId);
    await bootstrapSchedules(h.client, [h.tenant], h.taskQueue); // the poll's first run starts at once
    const first = await scheduledRun<PollWmsStatusResult>(h, id, 1);
    await recordHistory(first.workflowId, 'pollWmsStatusWorkflow', 'first-run');
    // Every order of the WMS changed status within the first poll's look-back (the demo's seeded ones too): each is
    // told once, except the one typed in by hand.
    const inWms = (await h.wms.listOrders()).length;
    expect(first.result).toMatchObject({ listed: inWms, signalled: inWms - 1, alreadyReported: 0, withoutWorkflow: 1 });
    expect(first.result.remembered).toContainEqual({ orderId: wmsOrderId, statusNumber: 450 });
    expect((await orderResult(h, documentNumber)).outcome).toBe('invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);

    // The next poll overlaps the first: nothing is signalled again, so no order's history grows for it.
    await triggerScheduleNow(h.client, id);
    const second = await scheduledRun<PollWmsStatusResult>(h, id, 2);
    expect(second.result).toMatchObject({ listed: inWms, signalled: 0, alreadyReported: inWms, withoutWorkflow: 0 });
    const history = await h.client.workflow.getHandle(`order:${h.tenantId}:${documentNumber}`).fetchHistory();
    const signals = (history.events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'wmsEvent',
    );
    expect(signals).toHaveLength(1);
    const payload = signals[0]!.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!;
    expect(await h.decodePayload(payload)).toMatchObject({
      webhookEventId: statusEventId(wmsOrderId, 450),
      statusNumber: 450,
    });
  });
});
