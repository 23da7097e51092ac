// The supplier sync, run per tenant by a Temporal Schedule: Fortnox suppliers new or changed since the previous run's
// cursor (minus an overlap; the first run: all) → the supplierInfo of their articles in the WMS (Ongoing has no
// supplier register).
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { durationMs } from '../domain/duration';
import { fortnoxTaskQueue, suppliersScheduleId } from '../domain/names';

export interface SyncSuppliersInput {
  tenantId: string;
}

export interface SyncSuppliersResult {
  cursor: string;
  listed: number;
  articlesUpdated: number;
  articlesUnchanged: number;
}

const local = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function syncSuppliersWorkflow({ tenantId }: SyncSuppliersInput): Promise<SyncSuppliersResult> {
  const fortnox = proxyActivities<Activities>({
    taskQueue: fortnoxTaskQueue(tenantId),
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes' },
  });
  const settings = await local.getTenantSettings(tenantId);
  // The schedule hands over the previous run's result; when it does not, it is looked up on the schedule.
  const previous = (workflowInfo().lastResult ??
    await local.previousScheduledResult(suppliersScheduleId(tenantId), workflowInfo().runId)) as SyncSuppliersResult | null | undefined;
  const since = previous?.cursor
    ? new Date(new Date(previous.cursor).getTime() - durationMs(settings.syncOverlap)).toISOString()
    : null;
  const { listedAt, ...counts } = await fortnox.syncChangedSuppliers(tenantId, since);
  log.info('supplier sync done', { tenantId, since, ...counts });
  return { cursor: listedAt, ...counts };
}
