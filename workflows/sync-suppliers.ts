// The supplier sync, run per tenant by a Temporal Schedule: Fortnox suppliers new or changed since the previous run's
// cursor (minus an overlap; the first run: all) → the supplierInfo of their articles in the WMS (Ongoing has no
// supplier register).
import { log, workflowInfo } from '@temporalio/workflow';
import { fortnoxActivities, mainActivities, profiles } from './proxies';
import { durationMs } from '../domain/duration';
import { suppliersScheduleId } from '../domain/names';

export interface SyncSuppliersInput {
  tenantId: string;
}

export interface SyncSuppliersResult {
  cursor: string;
  listed: number;
  articlesUpdated: number;
  articlesUnchanged: number;
}

const local = mainActivities(profiles.syncStep);

export async function syncSuppliersWorkflow({ tenantId }: SyncSuppliersInput): Promise<SyncSuppliersResult> {
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxSupplierSync);
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
