// `backfill <tenant> --since <date>`: the order sync itself, run once from a date instead of the schedule's cursor
// (e.g. after an outage longer than the schedule's catch-up window, or when a tenant is connected). It runs as a
// workflow on the worker (which holds the credentials), page by page, visible and resumable in the Web UI; the
// command follows its progress. Idempotent like the sync: an order that already has a workflow just gets a signal.
// Without --yes it is a preview: the same workflow lists and classifies every order the backfill would touch, and
// starts and signals nothing, so an operator sees how many orders a date reaches before hundreds of workflows start.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import { SingleBar } from 'cli-progress';
import { formatStockholmTimestamp } from '../../activities/fortnox/stockholm-time';
import { backfillPreviewWorkflowId, backfillWorkflowId } from '../../domain/names';
import { syncOrdersProgressQuery, syncOrdersWorkflow, type SyncOrdersResult } from '../../workflows/sync-orders';
import { OperatorError, println, requireKnownTenant, table, workflowUrl, type OperatorContext } from './context';

export interface BackfillResult {
  /** Counts of what the backfill would do: nothing was started or signalled. */
  preview: boolean;
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

/**
 * The `--since` date as the instant the listing starts from (midnight UTC). A date after today (in Stockholm time,
 * Fortnox's) is refused: nothing has changed since then, so such a backfill can only be a typo.
 */
export function parseSince(since: string, now = new Date()): Date {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(since) ||
    Number.isNaN(new Date(`${since}T00:00:00Z`).getTime()) ||
    new Date(`${since}T00:00:00Z`).toISOString().slice(0, 10) !== since
  ) {
    throw new OperatorError(`--since: expected a date as YYYY-MM-DD, got ${JSON.stringify(since)}`, 2);
  }
  const today = formatStockholmTimestamp(now).slice(0, 10);
  if (since > today)
    throw new OperatorError(
      `--since ${since} is in the future (today is ${today} in Stockholm time): nothing has changed since then`,
      2,
    );
  return new Date(`${since}T00:00:00Z`);
}

const PROGRESS_EVERY_MS = 1000;

export interface BackfillOptions {
  since: string;
  /** Start and signal for real; without it, a preview that only counts. */
  yes?: boolean;
  progress?: boolean;
  /** Today, for refusing a future --since (tests move it). */
  now?: Date;
}

export async function backfillCommand(
  ctx: OperatorContext,
  tenantId: string,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const since = parseSince(options.since, options.now);
  await requireKnownTenant(ctx, tenantId); // a tenant the worker does not know would wait for it forever
  const preview = !options.yes;
  // A preview gets its own id each time: it never joins (or blocks) the backfill itself, which keeps its stable id.
  const workflowId = preview
    ? backfillPreviewWorkflowId(tenantId, options.since, Date.now().toString(36))
    : backfillWorkflowId(tenantId, options.since);
  const what = preview ? 'Backfill preview' : 'Backfill';
  let handle: WorkflowHandle<typeof syncOrdersWorkflow>;
  try {
    handle = await ctx.client.workflow.start(syncOrdersWorkflow, {
      workflowId,
      taskQueue: ctx.taskQueue,
      args: [{ tenantId, since: since.toISOString(), ...(preview ? { preview } : {}) }],
      staticSummary:
        `${what}: every Fortnox order of ${tenantId} changed since ${options.since}` +
        `${preview ? ' (counts only: starts and signals nothing)' : ''}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    handle = ctx.client.workflow.getHandle(workflowId); // the same backfill is running: follow it
  }
  println(ctx, `${what} of ${tenantId} since ${options.since}: ${workflowUrl(ctx, workflowId)}`);
  const r = await follow(ctx, handle, options.progress !== false);
  const started = r.started + (r.restarted ?? 0);
  const leftClosed = r.leftClosed ?? 0;
  const summary: BackfillResult = {
    preview,
    listed: r.listed,
    started,
    leftClosed,
    signalled: r.signalled,
    skipped: r.listed - started - leftClosed - r.signalled,
  };
  if (preview) {
    println(
      ctx,
      `PREVIEW: nothing was started or signalled. ${summary.listed} Fortnox order(s) of ${tenantId} changed since ${options.since}:`,
    );
    println(
      ctx,
      table(
        ['would', 'orders', 'why'],
        [
          ['start (or signal, if running)', summary.started, "selected by the tenant's rules"],
          [
            'leave closed',
            summary.leftClosed,
            'selected, but their workflows ended for good (order reopen starts one again)',
          ],
          ['signal', summary.signalled, 'outside the selection rules, with a running workflow to tell of the change'],
          ['skip', summary.skipped, 'outside the selection rules, no running workflow'],
        ],
      ),
    );
    println(ctx, `To run it: npm run cli -- backfill ${tenantId} --since ${options.since} --yes`);
    return summary;
  }
  println(
    ctx,
    `Backfill of ${tenantId} since ${options.since}: ${summary.listed} listed, ${summary.started} started or signalled ` +
      `(selected), ${summary.leftClosed} left closed, ${summary.signalled} running workflows told of a change, ` +
      `${summary.skipped} outside the selection rules.`,
  );
  return summary;
}

/** Waits for the sync's result, drawing its progress (pages read, orders listed) meanwhile. */
async function follow(
  ctx: OperatorContext,
  handle: WorkflowHandle<typeof syncOrdersWorkflow>,
  showProgress: boolean,
): Promise<SyncOrdersResult> {
  const bar = new SingleBar({
    // Fortnox says how many pages a listing has only as it is read: a running count, not a bar.
    format: 'backfill: {value} pages read | listing {listing} | {listed} orders',
    stream: ctx.out as NodeJS.WritableStream,
    // Only draw on a terminal; piped output gets the summary line alone.
    noTTYOutput: false,
  });
  if (showProgress) bar.start(1, 0, { listing: '', listed: 0 });
  let done = false;
  const result = handle.result().finally(() => {
    done = true;
  });
  while (showProgress && !done) {
    const progress = await handle.query(syncOrdersProgressQuery).catch(() => null);
    if (progress) {
      bar.setTotal(progress.pages + 1);
      bar.update(progress.pages, { listing: progress.listing, listed: progress.counts.listed });
    }
    await Promise.race([
      result.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS)),
    ]);
  }
  try {
    return await result;
  } finally {
    if (showProgress) bar.stop();
  }
}
