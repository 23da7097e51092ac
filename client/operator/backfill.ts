// `backfill <tenant> --since <date>`: the order sync itself, run once from a date instead of the schedule's cursor
// (e.g. after an outage longer than the schedule's catch-up window, or when a tenant is connected). It runs as a
// workflow on the worker (which holds the credentials), page by page, visible and resumable in the Web UI; the
// command follows its progress. Idempotent like the sync: an order that already has a workflow just gets a signal.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { SingleBar } from 'cli-progress';
import { syncOrdersProgressQuery, type SyncOrdersResult } from '../../workflows/sync-orders';
import { OperatorError, println, requireRegistry, workflowUrl, type OperatorContext } from './context';

export interface BackfillResult {
  listed: number;
  /** Selected by the tenant's rules: started, or (running) told of the change. */
  started: number;
  /** Selected, but their workflows had ended for good: left closed (`order reopen` starts one again). */
  leftClosed: number;
  /** Orders outside the selection rules (not confirmed, invoiced, cancelled) whose running workflows heard of a change. */
  signalled: number;
  /** Outside the selection rules, with no running workflow. */
  skipped: number;
}

export function parseSince(since: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(new Date(`${since}T00:00:00Z`).getTime())) {
    throw new OperatorError(`--since: expected a date as YYYY-MM-DD, got ${JSON.stringify(since)}`, 2);
  }
  return new Date(`${since}T00:00:00Z`);
}

export const backfillWorkflowId = (tenantId: string, since: string) => `backfill:${tenantId}:${since}`;

const PROGRESS_EVERY_MS = 1000;

export async function backfillCommand(
  ctx: OperatorContext, tenantId: string, options: { since: string; progress?: boolean },
): Promise<BackfillResult> {
  const since = parseSince(options.since);
  requireRegistry(ctx, tenantId); // a tenant the worker does not know would wait for it forever
  const workflowId = backfillWorkflowId(tenantId, options.since);
  let handle;
  try {
    handle = await ctx.client.workflow.start('syncOrdersWorkflow', {
      workflowId,
      taskQueue: ctx.taskQueue,
      args: [{ tenantId, since: since.toISOString() }],
      staticSummary: `Backfill: every Fortnox order of ${tenantId} changed since ${options.since}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    handle = ctx.client.workflow.getHandle(workflowId); // the same backfill is running: follow it
  }
  println(ctx, `Backfill of ${tenantId} since ${options.since}: ${workflowUrl(ctx, workflowId)}`);
  const bar = new SingleBar({
    // Fortnox says how many pages a listing has only as it is read: a running count, not a bar.
    format: 'backfill: {value} pages read | listing {listing} | {listed} orders',
    stream: ctx.out as NodeJS.WritableStream,
    // Only draw on a terminal; piped output gets the summary line alone.
    noTTYOutput: false,
  });
  const showProgress = options.progress !== false;
  if (showProgress) bar.start(1, 0, { listing: '', listed: 0 });
  let done = false;
  const result = handle.result().finally(() => { done = true; }) as Promise<SyncOrdersResult>;
  while (showProgress && !done) {
    const progress = await handle.query(syncOrdersProgressQuery).catch(() => null);
    if (progress) {
      bar.setTotal(progress.pages + 1);
      bar.update(progress.pages, { listing: progress.listing, listed: progress.counts.listed });
    }
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS))]);
  }
  const r = await result;
  if (showProgress) bar.stop();
  const started = r.started + (r.restarted ?? 0);
  const leftClosed = r.leftClosed ?? 0;
  const summary: BackfillResult = {
    listed: r.listed, started, leftClosed, signalled: r.signalled, skipped: r.listed - started - leftClosed - r.signalled,
  };
  println(ctx, `Backfill of ${tenantId} since ${options.since}: ${summary.listed} listed, ${summary.started} started or signalled ` +
    `(selected), ${summary.leftClosed} left closed, ${summary.signalled} running workflows told of a change, ` +
    `${summary.skipped} outside the selection rules.`);
  return summary;
}
