// The order workflow end to end on a real dev server, with both sandboxes: each scenario of the order lifecycle.
import { randomInt } from 'node:crypto';
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../activities/wms/webhook';
import { orderWorkflowId } from '../../domain/names';
import { orderStatusQuery, resyncSignal } from '../../workflows/order/messages';
import { invoicesFor, orderInWarehouse, orderResult as result, startHarness, waitFor, type Harness } from './harness';
import { recordHistory } from './record';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('order lifecycle', () => {
  it('happy path: Fortnox order → WMS → sent → delivered quantities → one invoice', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [
      { ArticleNumber: 'A100', OrderedQuantity: 3 },
      { ArticleNumber: 'A101', OrderedQuantity: 1 },
    ]);
    const wmsOrder = await h.wms.getOrder(wmsOrderId);
    expect(wmsOrder.orderInfo.orderNumber).toBe(documentNumber);
    // The Web UI's current details: order, customer and stage at a glance.
    const details = async () =>
      (
        await h!.client.workflow
          .getHandle(orderWorkflowId(h!.tenantId, documentNumber))
          .query<{ currentDetails?: string }>('__temporal_workflow_metadata')
      ).currentDetails;
    expect(await details()).toBe(
      `**Order ${documentNumber}** · customer ${wmsOrder.consignee?.customerNumber} · awaiting-warehouse`,
    );
    expect(wmsOrder.orderLines.map((l) => [l.article.articleNumber, l.orderedNumberOfItems])).toEqual([
      ['A100', 3],
      ['A101', 1],
    ]);

    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send', { parcels: 1, trackingNumbers: ['TRACK1'] });

    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('invoiced');
    expect(outcome.backorder).toEqual([]);
    expect(await details()).toMatch(new RegExp(`^\\*\\*Order ${documentNumber}\\*\\* · customer \\S+ · completed$`));
    const fortnoxOrder = await h.fortnox.getOrder(documentNumber);
    expect(fortnoxOrder.InvoiceReference).toBe(outcome.invoiceNumber);
    expect(fortnoxOrder.OrderRows.map((r) => r.DeliveredQuantity)).toEqual([3, 1]);
    const invoices = await invoicesFor(h, documentNumber);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.InvoiceRows.map((r) => r.DeliveredQuantity)).toEqual([3, 1]);
    // Reported back to the WMS so its own ERP-reporting view is clean.
    const reported = await h.wms.getOrder(wmsOrderId);
    expect(reported.orderLines.map((l) => l.reportedNumberOfItems)).toEqual([3, 1]);
    expect(h.webhookOutcomes).toContain('signalled');
    await recordHistory(orderWorkflowId(h.tenantId, documentNumber), 'orderWorkflow', 'happy-path');
  });

  it("the WMS's webhooks carry HTTP Basic credentials, as Ongoing's do, and reach the workflow; without them, 401", async () => {
    h = await startHarness();
    const webhook = h.tenant.wms.webhook;
    if (webhook.auth !== 'basic') throw new Error('the demo WMS sends HTTP Basic');
    const configured = await got(
      `${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}/webhooks`,
    ).json<{ auth: Record<string, string> }>();
    expect(configured.auth).toEqual({ type: 'basic', username: webhook.username, password: webhook.password });

    // Sandbox → receiver → signal: the release (status 300) is a webhook, and the workflow records its event.
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await h.floor(wmsOrderId, 'release');
    const status = await h.waitForStatus(documentNumber, (s) => s.seenWebhookEvents.length > 0, 30_000);
    expect(status.seenWebhookEvents.length).toBeGreaterThan(0);
    expect(h.webhookOutcomes).toContain('signalled');
    expect(h.webhookOutcomes).not.toContain('unauthorized');
    const attempts = await got(
      `${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}/webhook-attempts`,
    ).json<Array<{ status?: number }>>();
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.status === 200 || a.status === 202)).toBe(true);

    // The same URL without the credentials is refused; with them, the reachability check answers and signals nothing.
    const url = `${h.receiverUrl}/webhooks/wms/${h.tenantId}`;
    const forged = randomInt(1_000_000, 2_000_000);
    const body = JSON.stringify({
      webhookOrdersId: 1,
      webhookEventId: forged,
      system: 'sandbox',
      timestamp: new Date().toISOString(),
      orderId: wmsOrderId,
      orderNumber: documentNumber,
      goodsOwnerId: h.tenant.wms.goodsOwnerId,
      path: '',
      byUser: { userId: 1 },
      byComputer: { computerId: 1, computerName: 'floor' },
      orderStatus: { number: 450 },
      currentShipmentId: null,
      webhookTemplate: 'order',
      goodsOwnerName: 'Demo',
      tracking: [],
      parcels: [],
    });
    const refused = await got.post(url, {
      body,
      headers: { 'content-type': 'application/json' },
      throwHttpErrors: false,
    });
    expect(refused.statusCode).toBe(401);
    expect(h.webhookOutcomes).toContain('unauthorized');
    const check = await got(url, {
      headers: { authorization: basicAuthorization(webhook.username, webhook.password) },
    }).json();
    expect(check).toEqual({ ok: true, tenant: h.tenantId });
    expect((await h.orderStatus(documentNumber)).seenWebhookEvents).not.toContain(String(forged));
  });

  it('a change in Fortnox before picking reaches the WMS', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    const current = await h.fortnox.getOrder(documentNumber);
    await h.fortnox.updateOrder(documentNumber, {
      OrderRows: [
        { RowId: current.OrderRows[0]!.RowId, OrderedQuantity: 5 },
        { ArticleNumber: 'A101', OrderedQuantity: 1 },
      ],
    } as never);
    await h.syncOrders();
    await waitFor(
      async () => {
        const order = await h!.wms.getOrder(wmsOrderId);
        return order.orderLines.length === 2 && order.orderLines[0]!.orderedNumberOfItems === 5;
      },
      30_000,
      'the WMS order to carry the change',
    );
    const status = await h.orderStatus(documentNumber);
    expect(status.actions.map((a) => a.action)).toContain('updated in the WMS');
    expect(status.rejectedChanges).toEqual([]);
  });

  it('a change after picking started is refused, left out of the WMS, and visible to operators', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    await h.floor(wmsOrderId, 'release');
    await h.waitForStatus(documentNumber, (s) => s.wmsStatus !== null && s.wmsStatus >= 300);
    const current = await h.fortnox.getOrder(documentNumber);
    await h.fortnox.updateOrder(documentNumber, {
      OrderRows: [{ RowId: current.OrderRows[0]!.RowId, OrderedQuantity: 9 }],
    } as never);
    await h.syncOrders();
    const status = await h.waitForStatus(documentNumber, (s) => s.rejectedChanges.length > 0);
    expect(status.rejectedChanges[0]).toMatch(/row 1: 2 × A100 → 9 × A100/);
    expect((await h.wms.getOrder(wmsOrderId)).orderLines[0]!.orderedNumberOfItems).toBe(2);
    const description = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).describe();
    expect(description.searchAttributes.NeedsAttention).toEqual([true]);
  });

  it('cancellation in Fortnox before the warehouse starts cancels the WMS order', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await h.fortnox.cancelOrder(documentNumber);
    await h.syncOrders();
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('closed-in-fortnox');
    expect((await h.wms.getOrder(wmsOrderId)).orderInfo.orderStatus.number).toBe(1000);
    await recordHistory(orderWorkflowId(h.tenantId, documentNumber), 'orderWorkflow', 'cancelled-in-fortnox');
  });

  it('cancellation in the WMS ends the workflow and flags it, leaving Fortnox as it is', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await h.floor(wmsOrderId, 'cancel');
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('cancelled');
    expect((await h.fortnox.getOrder(documentNumber)).InvoiceReference).toBeNull();
    await recordHistory(orderWorkflowId(h.tenantId, documentNumber), 'orderWorkflow', 'cancelled-in-wms');
  });

  it('a partial shipment invoices what was delivered and shows the rest as a backorder', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [
      { ArticleNumber: 'A100', OrderedQuantity: 4 },
      { ArticleNumber: 'A101', OrderedQuantity: 2 },
    ]);
    const lines = (await h.wms.getOrder(wmsOrderId)).orderLines;
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick', {
      lines: [
        { rowNumber: lines[0]!.rowNumber, pickedNumberOfItems: 3 },
        { rowNumber: lines[1]!.rowNumber, pickedNumberOfItems: 0 },
      ],
    });
    await h.floor(wmsOrderId, 'send');
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('invoiced');
    expect(outcome.backorder).toEqual([
      { position: 1, ArticleNumber: 'A100', remaining: 1 },
      { position: 2, ArticleNumber: 'A101', remaining: 2 },
    ]);
    expect((await h.fortnox.getOrder(documentNumber)).OrderRows.map((r) => r.DeliveredQuantity)).toEqual([3, 0]);
    await recordHistory(orderWorkflowId(h.tenantId, documentNumber), 'orderWorkflow', 'partial-shipment');
  });

  it('an invoice created by hand in Fortnox first is never duplicated', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await h.floor(wmsOrderId, 'release');
    await h.fortnox.createInvoiceFromOrder(documentNumber);
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('already-invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
  });

  it('duplicate and out-of-order webhooks change nothing', async () => {
    h = await startHarness();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const post = async (eventId: number, status: number) => {
      const body = JSON.stringify({
        webhookOrdersId: 1,
        webhookEventId: eventId,
        system: 'sandbox',
        timestamp: new Date().toISOString(),
        orderId: wmsOrderId,
        orderNumber: documentNumber,
        goodsOwnerId: h!.tenant.wms.goodsOwnerId,
        path: '',
        byUser: { userId: 1 },
        byComputer: { computerId: 1, computerName: 'floor' },
        orderStatus: { number: status },
        currentShipmentId: null,
        webhookTemplate: 'order',
        goodsOwnerName: 'Demo',
        tracking: [],
        parcels: [],
      });
      const webhook = h!.tenant.wms.webhook;
      if (webhook.auth !== 'basic') throw new Error('the demo WMS sends HTTP Basic');
      return got.post(`${h!.receiverUrl}/webhooks/wms/${h!.tenantId}`, {
        body,
        headers: {
          'content-type': 'application/json',
          authorization: basicAuthorization(webhook.username, webhook.password),
        },
        throwHttpErrors: false,
      });
    };
    // A "sent" event that arrives before the order is sent (out of order) does not make the workflow invoice.
    const early = randomInt(1_000_000, 2_000_000);
    expect((await post(early, 450)).statusCode).toBe(200);
    const afterEarly = await h.waitForStatus(
      documentNumber,
      (s) => s.seenWebhookEvents.includes(String(early)) && !s.busy && !s.pendingWmsCheck,
    );
    expect(afterEarly.stage).toBe('awaiting-warehouse');
    // The same event again is acknowledged and ignored.
    expect((await post(early, 450)).statusCode).toBe(200);
    const again = await h.orderStatus(documentNumber);
    expect(again.actions.filter((a) => a.detail?.includes(`event ${early}`))).toHaveLength(1);

    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('invoiced');
    // A late "picked" event after the invoice finds no running workflow: acknowledged, no second invoice.
    expect((await post(randomInt(2_000_000, 3_000_000), 400)).statusCode).toBe(202);
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
  });

  it('a lost webhook is caught by the reconciliation timer', async () => {
    h = await startHarness({ settings: { reconciliationInterval: '2s' } });
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    // The WMS's webhooks now go nowhere.
    await got.put(`${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}/webhooks`, {
      json: {
        url: 'http://127.0.0.1:9/nowhere',
        auth: { type: 'none' },
        events: ['orderStatusChanged'],
        statuses: [450],
      },
    });
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('invoiced');
    const history = await h.client.workflow
      .getHandle(orderWorkflowId(h.tenantId, documentNumber))
      .query(orderStatusQuery);
    expect(JSON.stringify(history)).toContain('reconciliation check');
    await recordHistory(orderWorkflowId(h.tenantId, documentNumber), 'orderWorkflow', 'reconciliation-timer');
  });

  it('Lager zeroing of delivered quantities is surfaced for an operator and never invoiced', async () => {
    h = await startHarness({ lager: true, settings: { reconciliationInterval: '1h' } });
    // The warehouse holds the goods, but Fortnox Lager has no stock of them: it will silently store DeliveredQuantity 0.
    await h.addArticle('EMPTY1', 10);
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'EMPTY1', OrderedQuantity: 2 }]);
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    const status = await h.waitForStatus(documentNumber, (s) => s.stage === 'needs-attention');
    expect(status.attention).toMatch(/row 1 EMPTY1: sent 2, Fortnox stored 0/);
    expect(await invoicesFor(h, documentNumber)).toHaveLength(0);
    const description = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).describe();
    expect(description.searchAttributes.NeedsAttention).toEqual([true]);
    expect(description.searchAttributes.OrderStage).toEqual(['needs-attention']);

    // The operator brings stock in, then resyncs: now it is reported and invoiced once.
    await h.fortnox.putInboundDocument('WMSADJUST', '1', {
      date: new Date().toISOString().slice(0, 10),
      rows: [{ itemId: 'EMPTY1', quantity: 10, directCost: 5 }],
    } as never);
    await h.fortnox.releaseDocument('inbound', 'WMSADJUST', '1');
    await h.client.workflow
      .getHandle(orderWorkflowId(h.tenantId, documentNumber))
      .signal(resyncSignal, { reason: 'stock fixed' });
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
    await recordHistory(orderWorkflowId(h.tenantId, documentNumber), 'orderWorkflow', 'lager-zeroing-then-resync');
  });

  it('finishes correctly when the worker process is killed (SIGKILL) in the middle of an order and restarted', async () => {
    h = await startHarness({ startWorkers: false });
    const worker = await h.spawnWorkerProcess();
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    // Slow invoicing down so the worker dies with the createinvoice call in flight; the server retries the lost
    // activity on the new worker once its start-to-close timeout has passed.
    await got.put(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`, {
      json: { rules: [{ route: 'PUT /3/orders/:DocumentNumber/createinvoice', latencyMs: 2000 }] },
    });
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    await h.waitForStatus(documentNumber, (s) => s.stage === 'reporting');
    worker.kill('SIGKILL');
    await got.delete(`${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}/faults`);
    await h.spawnWorkerProcess();
    const outcome = await result(h, documentNumber);
    expect(['invoiced', 'already-invoiced']).toContain(outcome.outcome);
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
    expect((await h.fortnox.getOrder(documentNumber)).OrderRows[0]!.DeliveredQuantity).toBe(2);
  });
});

describe('long-lived order workflows', () => {
  it('continue as new before the history grows large, carrying their state, and still finish', async () => {
    h = await startHarness({ settings: { orderHistoryLimit: 40 } });
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    const handle = h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber));
    const firstRunId = (await handle.describe()).runId;
    // Operators resync a waiting order a few times: each adds events until the run hands over to a new one.
    for (let i = 0; i < 8; i++) {
      await handle.signal(resyncSignal, { reason: `check ${i}` });
      await h.waitForStatus(
        documentNumber,
        (s) => !s.busy && s.actions.filter((a) => a.action === 'resync requested').length > i,
      );
    }
    const continued = await waitFor(
      async () => {
        const description = await handle.describe();
        return description.runId !== firstRunId ? description : undefined;
      },
      30_000,
      'a new run',
    );
    expect(continued.searchAttributes.Tenant).toEqual([h.tenantId]);
    const carried = await h.orderStatus(documentNumber);
    expect(carried.wmsOrderId).toBe(wmsOrderId);
    expect(carried.actions.some((a) => a.action === 'created in the WMS')).toBe(true);

    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    expect((await result(h, documentNumber)).outcome).toBe('invoiced');
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
  });
});

describe('tenant settings on the order path', () => {
  it('reports on "picked" when the tenant says so, and carries notification flags to the WMS', async () => {
    h = await startHarness({ settings: { reportOn: 'picked', notifications: { sms: true, email: false } } });
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    const wmsOrder = await h.wms.getOrder(wmsOrderId);
    expect(wmsOrder.orderInfo.smsNotification?.toBeNotified).toBe(true);
    expect(wmsOrder.orderInfo.emailNotification?.toBeNotified).toBe(false);
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    // Not sent: the picked webhook alone triggers the report.
    expect((await result(h, documentNumber)).outcome).toBe('invoiced');
    expect((await h.wms.getOrder(wmsOrderId)).orderInfo.orderStatus.number).toBe(400);
  });

  it('with fulfilment reporting switched off, leaves Fortnox untouched when the order is sent', async () => {
    h = await startHarness({ settings: { processes: { fulfilmentReporting: false } } });
    const { documentNumber, wmsOrderId } = await orderInWarehouse(h, [{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await h.floor(wmsOrderId, 'release');
    await h.floor(wmsOrderId, 'pick');
    await h.floor(wmsOrderId, 'send');
    expect((await result(h, documentNumber)).outcome).toBe('reporting-off');
    const order = await h.fortnox.getOrder(documentNumber);
    expect(order.InvoiceReference).toBeNull();
    expect(order.OrderRows[0]!.DeliveredQuantity).toBe(0);
    expect(await invoicesFor(h, documentNumber)).toHaveLength(0);
  });
});

describe('lost answers', () => {
  /** Every PUT /orders is stored, then its connection dies: the activity keeps retrying until `faults` is deleted. */
  async function createdWithLostAnswers(harness: Harness) {
    const faults = `${harness.sandboxes.wmsUrl}/_sandbox/goods-owners/${harness.tenant.wms.goodsOwnerId}/faults`;
    await got.put(faults, { json: { rules: [{ route: 'PUT /orders', timeoutAfterCommitRate: 1 }] } });
    const documentNumber = await harness.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await harness.syncOrders();
    const created = await waitFor(
      () => harness.wms.findOrderByNumber(documentNumber),
      30_000,
      'the order to reach the WMS',
    );
    return { faults, documentNumber, created };
  }

  it('a WMS order created, its answer lost, and started before the retry: the workflow carries on with it', async () => {
    h = await startHarness();
    const { faults, documentNumber, created } = await createdWithLostAnswers(h);
    // The warehouse starts on it; only then do the WMS's answers come through again: the retry is refused.
    await h.floor(created.orderInfo.orderId, 'release');
    await got.delete(faults);
    await h.floor(created.orderInfo.orderId, 'pick');
    await h.floor(created.orderInfo.orderId, 'send');
    expect((await result(h, documentNumber)).outcome).toBe('invoiced');
    const status = await h.orderStatus(documentNumber);
    expect(status.actions.map((a) => a.action)).toContain('found the order in the WMS, already started');
    await recordHistory(
      orderWorkflowId(h.tenantId, documentNumber),
      'orderWorkflow',
      'created-then-started-before-retry',
    );
  });

  it('a WMS order created, its answer lost, and cancelled on the floor before the retry: the workflow ends cancelled', async () => {
    h = await startHarness();
    const { faults, documentNumber, created } = await createdWithLostAnswers(h);
    // The floor cancels it; only then do the WMS's answers come through again: the retry is refused as cancelled.
    await h.floor(created.orderInfo.orderId, 'cancel');
    await got.delete(faults);
    const outcome = await result(h, documentNumber);
    expect(outcome.outcome).toBe('cancelled');
    const status = await h.orderStatus(documentNumber);
    expect(status.attention).toBeNull();
    expect(status.actions.map((a) => a.action)).toContain('found the order in the WMS, already cancelled');
    await recordHistory(
      orderWorkflowId(h.tenantId, documentNumber),
      'orderWorkflow',
      'created-then-cancelled-before-retry',
    );
  });
});
