// The order workflow: one per Fortnox order, from the WMS order to the invoice. It waits durably for Fortnox changes,
// WMS events, operator resyncs and its own reconciliation timer, and never lets a change reach a started order.
// The definitions clients use are in ./messages.ts, the order's steps in ./order.ts: this file is the loop.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { FortnoxOrderNumberAttr, TenantAttr } from '../search-attributes';
import {
  fortnoxChangedSignal,
  orderStatusQuery,
  resyncSignal,
  wmsEventSignal,
  type OrderResult,
  type OrderWorkflowInput,
} from './messages';
import { currentSettings, historyTooLong, Order } from './order';

export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderResult> {
  const order = new Order(input);

  setHandler(fortnoxChangedSignal, () => {
    order.state.pendingFortnoxChange = true;
  });
  setHandler(wmsEventSignal, (event) => order.onWmsEvent(event));
  setHandler(resyncSignal, (request) => {
    order.record('resync requested', request?.reason);
    order.state.resyncRequested = true;
  });
  setHandler(orderStatusQuery, () => order.status());

  if (!input.carried) {
    upsertSearchAttributes([
      { key: TenantAttr, value: input.tenantId },
      { key: FortnoxOrderNumberAttr, value: input.documentNumber },
    ]);
    order.setStage('starting');
    await order.guarded('creating the order in the WMS', () => order.start());
  }

  const historyFull = () => historyTooLong(input);

  while (!order.done) {
    const woken = await condition(
      () =>
        order.state.pendingFortnoxChange ||
        order.state.pendingWmsCheck ||
        !!order.state.resyncRequested ||
        historyFull(),
      input.settings.reconciliationInterval,
    );
    if (!woken) {
      order.record('reconciliation check', 'no WMS event for a while: asking the WMS');
      order.state.pendingWmsCheck = true;
    }
    if (order.state.resyncRequested) {
      order.state.resyncRequested = false;
      order.state.pendingFortnoxChange = true;
      order.state.pendingWmsCheck = true;
      if (order.state.stage === 'needs-attention')
        order.setStage(order.state.wmsOrderId === null ? 'starting' : 'in-warehouse');
      if (order.state.wmsOrderId === null) {
        await order.guarded('creating the order in the WMS', () => order.start());
        // The next iteration acts on the rest; it reaches the history check below, so this cannot spin.
        continue;
      }
    }
    if (order.state.stage === 'needs-attention') {
      // Waiting for an operator: further events are remembered but acted on at the next resync.
      order.state.pendingFortnoxChange = false;
      order.state.pendingWmsCheck = false;
    } else {
      if (order.state.pendingFortnoxChange) {
        order.state.pendingFortnoxChange = false;
        await order.guarded('applying the Fortnox change', () => order.onFortnoxChanged());
      }
      if (!order.done && order.state.pendingWmsCheck) {
        order.state.pendingWmsCheck = false;
        await order.guarded('reporting the shipment', () => order.checkWms());
      }
    }
    // On every path, also while waiting for an operator: a history past its limit wakes the wait at once, so a path
    // that waited again without continuing as new would spin.
    if (!order.done && historyFull()) {
      // Keep histories small: carry the state (stage, versions, action log, seen events, a pending resync) into a fresh run,
      // with the tenant's settings as they are now (a changed selection, reporting switch or interval reaches waiting
      // orders here). Patched: runs recorded before continued with the settings they started with.
      const settings = patched('settings-reread-at-continue-as-new') ? await currentSettings(input) : input.settings;
      await condition(allHandlersFinished);
      return continueAsNew<typeof orderWorkflow>({ ...input, settings, carried: order.state });
    }
  }
  await condition(allHandlersFinished);
  return order.result!;
}
