// The status-change poll, run per tenant by a Temporal Schedule (default every 2 minutes): asks the WMS which orders
// changed status since the previous poll (minus an overlap) and tells their workflows, so orders reach Fortnox with
// webhooks off or lost, a few minutes late instead of at the next reconciliation. The first poll looks back one
// reconciliation interval: anything older is each order's own reconciliation timer's to catch.
import { log, workflowInfo } from '@temporalio/workflow';
import { mainActivities, profiles } from './proxies';
import { durationMs, sinceWithOverlap } from '../domain/duration';
import { wmsStatusScheduleId } from '../domain/names';
import type { SeenStatus } from '../domain/wms-status-poll';

export interface PollWmsStatusInput {
  tenantId: string;
}

export interface PollWmsStatusResult {
  /** ISO time the next poll lists from (before subtracting the overlap). */
  cursor: string;
  listed: number;
  signalled: number;
  alreadyReported: number;
  withoutWorkflow: number;
  /** The statuses this poll reported, so the next (overlapping) one does not report them again. */
  remembered: SeenStatus[];
}

const local = mainActivities(profiles.wmsStatusPoll);

export async function pollWmsStatusWorkflow({ tenantId }: PollWmsStatusInput): Promise<PollWmsStatusResult> {
  const settings = await local.getTenantSettings(tenantId);
  const previous = (workflowInfo().lastResult ??
    (await local.previousScheduledResult(wmsStatusScheduleId(tenantId), workflowInfo().runId))) as
    PollWmsStatusResult | null | undefined;
  const since =
    sinceWithOverlap(previous?.cursor, settings.syncOverlap) ??
    new Date(Date.now() - durationMs(settings.reconciliationInterval)).toISOString();
  const { listedAt, ...result } = await local.signalWmsStatusChanges(tenantId, since, previous?.remembered ?? []);
  log.info('WMS status poll done', {
    tenantId,
    since,
    listed: result.listed,
    signalled: result.signalled,
    alreadyReported: result.alreadyReported,
    withoutWorkflow: result.withoutWorkflow,
  });
  return { cursor: listedAt, ...result };
}
