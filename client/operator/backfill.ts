// `backfill <tenant> --since <date>`: the order sync's own listing and signal-with-start, run once by hand for every
// Fortnox order changed since a date (e.g. after an outage longer than the schedule's catch-up window, or when a
// tenant is connected). Idempotent like the sync: an order that already has a workflow just gets a fortnoxChanged signal.
import { ApplicationFailure } from '@temporalio/common';
import { SingleBar } from 'cli-progress';
import { createOrderSyncActivities } from '../../activities/order-sync';
import { checkSelection } from '../../domain/order';
import { orderWorkflowSettings } from '../../domain/settings';
import { OperatorError, println, requireRegistry, type OperatorContext } from './context';

export interface BackfillResult {
  listed: number;
  started: number;
  /** Orders outside the tenant's selection rules (not confirmed, invoiced, cancelled): only running workflows hear of them. */
  signalled: number;
  skipped: number;
}

export function parseSince(since: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(new Date(`${since}T00:00:00Z`).getTime())) {
    throw new OperatorError(`--since: expected a date as YYYY-MM-DD, got ${JSON.stringify(since)}`, 2);
  }
  return new Date(`${since}T00:00:00Z`);
}

export async function backfillCommand(
  ctx: OperatorContext, tenantId: string, options: { since: string; progress?: boolean },
): Promise<BackfillResult> {
  const since = parseSince(options.since);
  const registry = requireRegistry(ctx, tenantId);
  const tenant = registry.get(tenantId);
  const sync = createOrderSyncActivities(registry, () => ctx.client, ctx.taskQueue);
  println(ctx, `Listing Fortnox orders of ${tenantId} changed since ${options.since} ...`);
  const { orders } = await waitingOutRateLimits(() => sync.listChangedOrders(tenantId, since.toISOString()));
  const settings = orderWorkflowSettings(tenant.settings);
  const result: BackfillResult = { listed: orders.length, started: 0, signalled: 0, skipped: 0 };
  const bar = new SingleBar({
    format: 'backfill {bar} {value}/{total} orders | {order}',
    stream: ctx.out as NodeJS.WritableStream,
    // Only draw on a terminal; piped output gets the summary line alone.
    noTTYOutput: false,
  });
  if (options.progress !== false) bar.start(orders.length, 0, { order: '' });
  for (const order of orders) {
    const verdict = checkSelection(
      { Cancelled: order.Cancelled, Sent: order.Sent, InvoiceReference: order.invoiced ? 'invoiced' : null },
      tenant.settings.orderSelection,
    );
    if (verdict.selected) {
      result.started += await sync.startOrderWorkflows(tenantId, [order.DocumentNumber], settings);
    } else {
      const signalled = await sync.signalOrderWorkflows(tenantId, [order.DocumentNumber]);
      result.signalled += signalled;
      if (signalled === 0) result.skipped++;
    }
    bar.increment(1, { order: order.DocumentNumber });
  }
  bar.stop();
  println(ctx, `Backfill of ${tenantId} since ${options.since}: ${result.listed} listed, ${result.started} started or signalled ` +
    `(selected), ${result.signalled} running workflows told of a change, ${result.skipped} outside the selection rules.`);
  return result;
}

/**
 * The backfill lists from the operator's shell, outside Temporal, sharing the tenant's Fortnox budget with the running
 * worker: a 429 means "wait a moment", not "the backfill failed".
 */
async function waitingOutRateLimits<T>(call: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.type !== 'FortnoxRateLimited' || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}
