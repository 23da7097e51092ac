// The status-change poll's activity: WMS orders whose status changed since the cursor (Ongoing's
// orderStatusChangedTimeFrom, read page by page) → one "WMS event" signal to each order's workflow, as a webhook
// would send. The product so works with webhooks off or lost, only slower. A status the previous poll already reported
// is not signalled again; the workflows re-read the order themselves, so a signal is only ever a hint.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orderWorkflowId } from '../domain/names';
import { alreadyReported, rememberStatuses, statusEventId, type SeenStatus } from '../domain/wms-status-poll';
import { wmsEventSignal } from '../workflows/order/messages';
import type { TenantRegistry } from './tenant-registry';

export interface StatusPollResult {
  /** When this poll started listing, by this machine's clock: the next poll lists from here (minus the overlap). */
  listedAt: string;
  /** Orders whose status changed in the window. */
  listed: number;
  signalled: number;
  /** Already reported at this status by the previous poll (the window overlaps). */
  alreadyReported: number;
  /** Orders the product has no running workflow for (created in the WMS by hand, or already finished). */
  withoutWorkflow: number;
  /** What the next poll must not report again. */
  remembered: SeenStatus[];
}

export function createStatusPollActivities(registry: TenantRegistry, temporal: () => Client) {
  return {
    async signalWmsStatusChanges(tenantId: string, since: string, previous: SeenStatus[]): Promise<StatusPollResult> {
      const context = Context.current();
      const listedAt = new Date().toISOString();
      const reported = new Map(previous.map((s) => [s.orderId, s.statusNumber]));
      const seen: SeenStatus[] = [];
      const counts = { listed: 0, signalled: 0, alreadyReported: 0, withoutWorkflow: 0 };
      for await (const page of registry.wms(tenantId).orderPages({ orderStatusChangedTimeFrom: since })) {
        for (const order of page) {
          const status: SeenStatus = {
            orderId: order.orderInfo.orderId,
            statusNumber: order.orderInfo.orderStatus.number,
          };
          counts.listed++;
          seen.push(status);
          if (alreadyReported(reported, status)) {
            counts.alreadyReported++;
            continue;
          }
          try {
            await temporal()
              .workflow.getHandle(orderWorkflowId(tenantId, order.orderInfo.orderNumber))
              .signal(wmsEventSignal, {
                webhookEventId: statusEventId(status.orderId, status.statusNumber),
                orderId: status.orderId,
                statusNumber: status.statusNumber,
                timestamp: listedAt,
              });
            counts.signalled++;
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
            counts.withoutWorkflow++;
          }
        }
        context.heartbeat(counts);
      }
      return { listedAt, ...counts, remembered: rememberStatuses(seen) };
    },
  };
}
