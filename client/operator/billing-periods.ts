// `status`'s check of 3PL invoicing: every period close of a tenant's billing schedule that is due must have a completed
// export under the period's id, `billing:<tenant>:<YYYY-MM>`. A close the schedule never ran (Temporal down longer than
// its catch-up window, the schedule paused by an operator over the close) and one whose export failed or timed out are
// listed, so no month goes uninvoiced without an operator seeing it. Only closes since the schedule exists and within
// the namespace's retention are checked: an older export is no longer in Temporal to look at.
import { ScheduleNotFoundError, WorkflowNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { msNumberToTs, optionalTsToMs, tsToDate } from '@temporalio/common/lib/time';
import { closedBillingPeriod } from '../../domain/billing';
import { billingExportWorkflowId, billingScheduleId } from '../../domain/names';
import { NeedsAttentionAttr } from '../../workflows/search-attributes';
import { pausedByOperator } from '../schedules';
import type { OperatorContext } from './context';

export type BillingPeriodState =
  | 'exported'
  /** The export (or the close that starts it) is running. */
  | 'running'
  /** No export of the period exists: the close never ran, or it has not started its export. */
  | 'missing'
  /** The export ended without completing (failed, timed out, terminated, cancelled): see `detail`. */
  | 'failed'
  /** The export completed and flagged itself for an operator (e.g. charges changed after the export). */
  | 'needs-attention';

export interface BillingPeriodCheck {
  /** `YYYY-MM`. */
  period: string;
  /** When the schedule's close of the period was due. */
  dueAt: Date;
  workflowId: string;
  state: BillingPeriodState;
  /** For `failed`: how the export ended, e.g. TIMED_OUT. */
  detail?: string;
}

export interface BillingCheck {
  scheduleId: string;
  /** Every due close checked, oldest first. */
  periods: BillingPeriodCheck[];
  /** Closes Temporal skipped because it could not start them within the schedule's catch-up window. */
  missedCatchupWindow: number;
}

export interface BillingCheckOptions {
  /** The time to check at (default: now). */
  now?: Date;
  /** A close younger than this is not expected to show its export yet. Default 10 minutes. */
  graceMs?: number;
}

const DEFAULT_RETENTION_MS = 7 * 86_400_000;

async function retentionMs(ctx: OperatorContext): Promise<number> {
  const { config } = await ctx.client.workflowService.describeNamespace({ namespace: ctx.namespace });
  return optionalTsToMs(config?.workflowExecutionRetentionTtl) || DEFAULT_RETENTION_MS;
}

async function exportState(
  ctx: OperatorContext,
  workflowId: string,
): Promise<Pick<BillingPeriodCheck, 'state' | 'detail'>> {
  try {
    const description = await ctx.client.workflow.getHandle(workflowId).describe();
    switch (description.status.name) {
      case 'COMPLETED':
        return { state: description.typedSearchAttributes.get(NeedsAttentionAttr) ? 'needs-attention' : 'exported' };
      case 'RUNNING':
        return { state: 'running' };
      default:
        return { state: 'failed', detail: description.status.name };
    }
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { state: 'missing' };
    throw err;
  }
}

/** The check of a tenant's billing schedule, or undefined when the tenant has none (3PL invoicing not configured). */
export async function checkBillingPeriods(
  ctx: OperatorContext,
  tenantId: string,
  options: BillingCheckOptions = {},
): Promise<BillingCheck | undefined> {
  const scheduleId = billingScheduleId(tenantId);
  let schedule: ScheduleDescription;
  try {
    schedule = await ctx.client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
  const check: BillingCheck = {
    scheduleId,
    periods: [],
    missedCatchupWindow: schedule.info.numActionsMissedCatchupWindow,
  };
  // Switched off in the settings: no close is expected. An operator's pause excuses none: the month still needs invoicing.
  if (schedule.state.paused && !pausedByOperator(schedule.state)) return check;

  const now = (options.now ?? new Date()).getTime();
  const from = Math.max(schedule.info.createdAt.getTime(), now - (await retentionMs(ctx)));
  const to = now - (options.graceMs ?? 10 * 60_000);
  if (to <= from) return check;
  // The times the schedule's own spec (cron, time zone) names, as Temporal computes them.
  const { startTime } = await ctx.client.workflowService.listScheduleMatchingTimes({
    namespace: ctx.namespace,
    scheduleId,
    startTime: msNumberToTs(from),
    endTime: msNumberToTs(to),
  });
  const due = new Map<string, Date>();
  for (const ts of startTime ?? []) {
    const dueAt = tsToDate(ts);
    const { period } = closedBillingPeriod(dueAt);
    if (!due.has(period)) due.set(period, dueAt);
  }
  const closeRunning = schedule.info.runningActions.length > 0;
  const periods = [...due.entries()];
  for (const [index, [period, dueAt]] of periods.entries()) {
    const workflowId = billingExportWorkflowId(tenantId, period);
    let state = await exportState(ctx, workflowId);
    // The latest close's run is still on its way to starting the export (e.g. waiting for a worker).
    if (state.state === 'missing' && closeRunning && index === periods.length - 1)
      state = { state: 'running', detail: 'the close is running' };
    check.periods.push({ period, dueAt, workflowId, ...state });
  }
  return check;
}

/** The periods an operator must look at. */
export const billingProblems = (check: BillingCheck | undefined): BillingPeriodCheck[] =>
  (check?.periods ?? []).filter((p) => p.state !== 'exported' && p.state !== 'running');
