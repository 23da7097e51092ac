// The 3PL invoicing schedule's run at period close: it names the period that closed (the month before the run's
// scheduled time, on a Stockholm wall clock) and runs that period's export as a child under the period's own id,
// `billing:<tenant>:<YYYY-MM>`, the id an operator's `billing export` uses too. So one period has one identity: a
// scheduled and a manual export of the same month can never run side by side.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  executeChild,
  log,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import { closedBillingPeriod } from '../domain/billing';
import { billingExportWorkflowId } from '../domain/names';
import { billingExportWorkflow, type BillingExportResult } from './billing-export';
import { ScheduledStartTimeAttr } from './search-attributes';

export interface BillingPeriodCloseInput {
  tenantId: string;
}

export type BillingPeriodCloseResult =
  | { period: string; outcome: 'exported'; export: BillingExportResult }
  /** An operator's export of the same period was running: it is the period's export; nothing was started twice. */
  | { period: string; outcome: 'already-running' };

/**
 * When the close was due: the schedule's scheduled time for this run, so a close that runs late (Temporal down at the
 * close and caught up days later, a backfill) still closes the month before its due date, not the month before the day
 * it happens to run. Without a schedule (started by hand): now. Histories from before this replay as they ran (now).
 */
function closeTime(): Date {
  if (!patched('billing-close-scheduled-time')) return new Date();
  return workflowInfo().typedSearchAttributes.get(ScheduledStartTimeAttr) ?? new Date();
}

export async function billingPeriodCloseWorkflow({
  tenantId,
}: BillingPeriodCloseInput): Promise<BillingPeriodCloseResult> {
  const { period } = closedBillingPeriod(closeTime());
  try {
    const result = await executeChild(billingExportWorkflow, {
      workflowId: billingExportWorkflowId(tenantId, period),
      args: [{ tenantId, period }],
    });
    return { period, outcome: 'exported', export: result };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      log.info("the period's export is already running (started by an operator)", { tenantId, period });
      return { period, outcome: 'already-running' };
    }
    // The export's own business failure (unknown fee code, missing permission) is this run's failure, readable as is.
    if (err instanceof ChildWorkflowFailure && err.cause instanceof ApplicationFailure) throw err.cause;
    throw err;
  }
}
