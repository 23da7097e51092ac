// `order show`, `order resync` and `order reopen`: one order workflow as an operator sees it (stage, why it needs
// attention, the action log, the result, the link to the Web UI), the resync signal that makes it re-read both sides,
// and the deliberate new run of a closed order.
import { WorkflowNotFoundError, type WorkflowExecutionDescription } from '@temporalio/client';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { reopenOrderWorkflow } from '../../activities/order-start';
import { orderWorkflowId } from '../../domain/names';
import { orderWorkflowSettings, type OrderWorkflowSettings } from '../../domain/order-settings';
import {
  orderStatusQuery,
  resyncSignal,
  type OrderResult,
  type OrderStatus,
  type OrderWorkflowInput,
} from '../../workflows/order/messages';
import { OperatorError, println, table, workflowUrl, type OperatorContext } from './context';

export interface OrderView {
  workflowId: string;
  url: string;
  /** RUNNING, COMPLETED, FAILED, ... */
  execution: string;
  /** From the workflow's status query; undefined when no worker answered it in time. */
  status?: OrderStatus;
  /** Stage from the search attributes (always available). */
  stage?: string;
  result?: OrderResult;
}

/** A query needs a worker; an operator should not wait long for one that is down. */
const QUERY_TIMEOUT_MS = 5000;

async function describe(ctx: OperatorContext, workflowId: string): Promise<WorkflowExecutionDescription> {
  try {
    return await ctx.client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      throw new OperatorError(`no workflow ${workflowId} on namespace ${ctx.namespace}`);
    throw err;
  }
}

export async function loadOrder(ctx: OperatorContext, tenantId: string, documentNumber: string): Promise<OrderView> {
  const workflowId = orderWorkflowId(tenantId, documentNumber);
  const description = await describe(ctx, workflowId);
  const handle = ctx.client.workflow.getHandle(workflowId);
  const view: OrderView = {
    workflowId,
    url: workflowUrl(ctx, workflowId),
    execution: description.status.name,
    stage: (description.searchAttributes.OrderStage as string[] | undefined)?.[0],
  };
  try {
    view.status = await ctx.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
      handle.query(orderStatusQuery),
    );
  } catch {
    // No worker is polling (or it is busy): show what visibility knows.
  }
  if (description.status.name === 'COMPLETED') view.result = (await handle.result()) as OrderResult;
  return view;
}

export async function orderShowCommand(
  ctx: OperatorContext,
  tenantId: string,
  documentNumber: string,
): Promise<OrderView> {
  const view = await loadOrder(ctx, tenantId, documentNumber);
  const s = view.status;
  println(ctx, `Order ${documentNumber} (tenant ${tenantId})`);
  println(ctx, `  workflow:   ${view.workflowId} (${view.execution})`);
  println(ctx, `  stage:      ${s?.stage ?? view.stage ?? '?'}${s?.busy ? ' (acting now)' : ''}`);
  if (s?.wmsOrderId != null) println(ctx, `  WMS order:  ${s.wmsOrderId}, status ${s.wmsStatus ?? '?'}`);
  if (s?.attention) println(ctx, `  attention:  ${s.attention}`);
  for (const change of s?.rejectedChanges ?? []) println(ctx, `  rejected:   ${change}`);
  const result = s?.result ?? view.result;
  if (result) {
    println(
      ctx,
      `  result:     ${result.outcome}${result.invoiceNumber ? `, invoice ${result.invoiceNumber}` : ''}${result.detail ? ` (${result.detail})` : ''}`,
    );
    for (const b of result.backorder ?? [])
      println(ctx, `  backorder:  row ${b.position} ${b.ArticleNumber}: ${b.remaining} left`);
  }
  println(ctx, `  Web UI:     ${view.url}`);
  println(ctx);
  if (s) {
    println(ctx, 'Action log');
    println(
      ctx,
      table(
        ['at', 'action', 'detail'],
        s.actions.map((a) => [a.at.replace('T', ' ').slice(0, 19), a.action, a.detail ?? '']),
      ),
    );
  } else {
    println(ctx, '(no worker answered the status query: the action log is in the Web UI, or start a worker)');
  }
  return view;
}

export async function orderResyncCommand(
  ctx: OperatorContext,
  tenantId: string,
  documentNumber: string,
  reason = 'operator resync (CLI)',
): Promise<void> {
  const workflowId = orderWorkflowId(tenantId, documentNumber);
  const description = await describe(ctx, workflowId);
  if (description.status.name !== 'RUNNING') {
    throw new OperatorError(
      `${workflowId} is ${description.status.name.toLowerCase()}: only a running order can be resynced ` +
        `(to start it again, use: npm run cli -- order reopen ${tenantId} ${documentNumber})`,
    );
  }
  await ctx.client.workflow.getHandle(workflowId).signal(resyncSignal, { reason });
  println(
    ctx,
    `Resync sent to ${workflowId}: it re-reads Fortnox and the WMS now. Follow it at ${workflowUrl(ctx, workflowId)}`,
  );
}

/**
 * `order reopen`: a new run of a closed order (invoicing was off, it was cancelled in the warehouse, an operator
 * terminated it): the sync never starts such an order again by itself. The new run takes the tenant's current
 * settings from the tenants file, or without one the settings of the order's last run.
 */
export async function orderReopenCommand(
  ctx: OperatorContext,
  tenantId: string,
  documentNumber: string,
  reason = 'operator reopen (CLI)',
): Promise<string> {
  const workflowId = orderWorkflowId(tenantId, documentNumber);
  const description = await describe(ctx, workflowId);
  if (description.status.name === 'RUNNING') {
    throw new OperatorError(
      `${workflowId} is running: reopen is for closed orders; to make it re-read both sides, use: ` +
        `npm run cli -- order resync ${tenantId} ${documentNumber}`,
    );
  }
  const tenant = ctx.tenants.find((t) => t.id === tenantId);
  const settings = tenant ? orderWorkflowSettings(tenant.settings) : await lastRunSettings(ctx, workflowId);
  const runId = await reopenOrderWorkflow(ctx.client, ctx.taskQueue, tenantId, documentNumber, settings, reason);
  println(
    ctx,
    `Reopened ${workflowId} (was ${description.status.name.toLowerCase()}): new run ${runId}, ` +
      `${tenant ? "with the tenant's current settings" : "with its last run's settings"}. Follow it at ${workflowUrl(ctx, workflowId)}`,
  );
  return runId;
}

/** The settings the order's last run started with (the first event of its history). */
async function lastRunSettings(ctx: OperatorContext, workflowId: string): Promise<OrderWorkflowSettings> {
  const history = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  // Sealed by the payload codec: opened with the client's own data converter.
  const input = payloads?.[0]
    ? await decodeOptionalSinglePayload<OrderWorkflowInput>(ctx.client.options.loadedDataConverter, payloads[0])
    : undefined;
  if (!input?.settings)
    throw new OperatorError(
      `${workflowId}: its last run's settings could not be read; add the tenant to the tenants file`,
    );
  return input.settings;
}
