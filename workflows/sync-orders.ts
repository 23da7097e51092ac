// The order sync, run per tenant by a Temporal Schedule: lists Fortnox orders changed since the previous run's cursor
// (minus an overlap, so nothing saved during a run is missed), then starts or signals one order workflow per order.
import { log, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { checkSelection, fortnoxTaskQueue } from '../domain/order';
import { durationMs } from '../domain/duration';
import { orderWorkflowSettings } from '../domain/settings';

export interface SyncOrdersInput {
  tenantId: string;
}

export interface SyncOrdersResult {
  /** ISO time the next run lists from (before subtracting the overlap). */
  cursor: string;
  listed: number;
  started: number;
  signalled: number;
}

const local = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function syncOrdersWorkflow({ tenantId }: SyncOrdersInput): Promise<SyncOrdersResult> {
  const fortnox = proxyActivities<Activities>({
    taskQueue: fortnoxTaskQueue(tenantId),
    // Listing a large backlog at Fortnox's pace can take minutes; the heartbeat notices a dead worker in seconds.
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '20 seconds',
    retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes' },
  });
  const settings = await local.getTenantSettings(tenantId);
  // The schedule should hand over the previous run's result; the dev server's scheduler does not, so it is looked up
  // on the schedule (patched: histories recorded before the lookup existed still replay).
  const previous = (workflowInfo().lastResult ??
    (patched('schedule-cursor-lookup') ? await local.previousScheduledResult(`orders:${tenantId}`, workflowInfo().runId) : undefined)
  ) as SyncOrdersResult | null | undefined;
  const since = previous?.cursor
    ? new Date(new Date(previous.cursor).getTime() - durationMs(settings.syncOverlap)).toISOString()
    : null;

  const { orders, listedAt } = await fortnox.listChangedOrders(tenantId, since);
  const toStart: string[] = [];
  const toSignal: string[] = [];
  for (const order of orders) {
    const verdict = checkSelection(
      { Cancelled: order.Cancelled, Sent: order.Sent, InvoiceReference: order.invoiced ? 'invoiced' : null },
      settings.orderSelection,
    );
    (verdict.selected ? toStart : toSignal).push(order.DocumentNumber);
  }
  const orderSettings = orderWorkflowSettings(settings);
  const started = toStart.length ? await local.startOrderWorkflows(tenantId, toStart, orderSettings) : 0;
  const signalled = toSignal.length ? await local.signalOrderWorkflows(tenantId, toSignal) : 0;
  log.info('order sync done', { tenantId, since, listed: orders.length, started, signalled });
  return { cursor: listedAt, listed: orders.length, started, signalled };
}
