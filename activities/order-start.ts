// Starting an order's workflow, deliberate about ones that have ended. Temporal's default would start a closed order
// again on every sync that lists it (an order whose invoicing is switched off, one cancelled in the warehouse, one an
// operator terminated), and each new run would find the warehouse order and ask for attention again. So a sync starts
// an order once; it starts it again only when its last run ended before the order reached the warehouse (skipped by
// the selection rules, which the order may meet now). Anything else is reopened by an operator, on purpose.
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/common';
import { orderWorkflowId } from '../domain/names';
import type { OrderWorkflowSettings } from '../domain/order-settings';
import {
  fortnoxChangedSignal,
  ORDER_WORKFLOW_TYPE,
  resyncSignal,
  type OrderResult,
  type OrderWorkflow,
} from '../workflows/order/messages';

export type OrderStart =
  /** Started now, or (already running) told that the order changed. */
  | 'started'
  /** Its last run ended before the order reached the warehouse: started again. */
  | 'restarted'
  /** Its last run ended for good (invoiced, cancelled, terminated, ...): left alone; `order reopen` starts it again. */
  | 'left-closed';

/** Outcomes of a run that never reached the warehouse: starting the order again is what the sync is for. */
const RESTARTABLE_OUTCOMES: ReadonlySet<OrderResult['outcome']> = new Set(['skipped']);

/** The start options every start of an order uses; the caller adds the signal that starts it. */
function startOptions(taskQueue: string, tenantId: string, documentNumber: string, settings: OrderWorkflowSettings) {
  return {
    workflowId: orderWorkflowId(tenantId, documentNumber),
    taskQueue,
    args: [{ tenantId, documentNumber, settings }] satisfies Parameters<OrderWorkflow>,
    staticSummary: `Fortnox order ${documentNumber} (${tenantId}) → WMS → invoice`,
  };
}

/** The sync's start: signal-with-start that never starts an ended order again, except after a skip. */
export async function startOrderWorkflow(
  client: Client,
  taskQueue: string,
  tenantId: string,
  documentNumber: string,
  settings: OrderWorkflowSettings,
): Promise<OrderStart> {
  const options = {
    ...startOptions(taskQueue, tenantId, documentNumber, settings),
    signal: fortnoxChangedSignal,
    signalArgs: [] as [],
  };
  try {
    await client.workflow.signalWithStart<OrderWorkflow, []>(ORDER_WORKFLOW_TYPE, {
      ...options,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return 'started';
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  // The id has a closed run (a running one would have taken the signal).
  const handle = client.workflow.getHandle(options.workflowId);
  const { status } = await handle.describe();
  if (status.name === 'RUNNING') {
    await handle.signal(fortnoxChangedSignal); // started by someone else a moment ago
    return 'started';
  }
  if (status.name !== 'COMPLETED') return 'left-closed';
  const { outcome } = (await handle.result()) as OrderResult;
  if (!RESTARTABLE_OUTCOMES.has(outcome)) return 'left-closed';
  await client.workflow.signalWithStart<OrderWorkflow, []>(ORDER_WORKFLOW_TYPE, {
    ...options,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  return 'restarted';
}

/**
 * What startOrderWorkflow would do now, found by reading only (describe, and the result of a completed run): the
 * backfill's preview. It follows startOrderWorkflow's rules, so a preview and the run after it agree, short of orders
 * that change in between.
 */
export async function previewOrderStart(client: Client, tenantId: string, documentNumber: string): Promise<OrderStart> {
  const handle = client.workflow.getHandle(orderWorkflowId(tenantId, documentNumber));
  let status;
  try {
    ({ status } = await handle.describe());
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'started';
    throw err;
  }
  if (status.name === 'RUNNING') return 'started';
  if (status.name !== 'COMPLETED') return 'left-closed';
  const { outcome } = (await handle.result()) as OrderResult;
  return RESTARTABLE_OUTCOMES.has(outcome) ? 'restarted' : 'left-closed';
}

/**
 * An operator's reopen: a fresh run of a closed order, which finds the warehouse order (if any) and carries on from
 * what both sides say now. The reason goes into the new run's action log.
 */
export async function reopenOrderWorkflow(
  client: Client,
  taskQueue: string,
  tenantId: string,
  documentNumber: string,
  settings: OrderWorkflowSettings,
  reason: string,
): Promise<string> {
  const handle = await client.workflow.signalWithStart<OrderWorkflow, [{ reason?: string }?]>(ORDER_WORKFLOW_TYPE, {
    ...startOptions(taskQueue, tenantId, documentNumber, settings),
    signal: resyncSignal,
    signalArgs: [{ reason }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
  return handle.signaledRunId;
}
