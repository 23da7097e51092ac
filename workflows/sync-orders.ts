// The order sync, run per tenant by a Temporal Schedule: lists Fortnox orders changed since the previous run's cursor
// (minus an overlap, so nothing saved during a run is missed), then starts or signals one order workflow per order.
// It reads page by page, one activity per page, so no payload holds more than a page of counts and a sync of any
// size (a first sync of a tenant with years of orders, a backfill) resumes where it was after a worker dies; past a
// history budget it continues as new with its position.
import { continueAsNew, defineQuery, log, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { fortnoxActivities, mainActivities, profiles } from './proxies';
import { checkSelection } from '../domain/order';
import { ordersScheduleId } from '../domain/names';
import { sinceWithOverlap } from '../domain/duration';
import {
  firstOrderSyncPosition,
  nextOrderSyncPosition,
  noOrderPageCounts,
  type OrderPageCounts,
  type OrderSyncPosition,
} from '../domain/order-sync';
import { orderWorkflowSettings, type OrderWorkflowSettings } from '../domain/order-settings';

export interface SyncOrdersInput {
  tenantId: string;
  /**
   * Lists orders changed since this ISO time instead of since the previous run's cursor: the operator's backfill.
   * Null: every order.
   */
  since?: string | null;
  /**
   * The operator's backfill preview: list and classify every order as a sync would (start, start again, leave closed,
   * signal, skip) and return the counts, starting and signalling nothing. Kept across continue-as-new.
   */
  preview?: boolean;
  /** Set by this workflow when it continues as new mid-sync. */
  resume?: SyncOrdersResume;
  /** History events after which a run continues as new (default 3,000; small in tests of the hand-over). */
  historyBudget?: number;
}

export interface SyncOrdersResume {
  since: string | null;
  listedAt: string;
  settings: OrderWorkflowSettings;
  position: OrderSyncPosition;
  counts: OrderPageCounts;
  pages: number;
}

export interface SyncOrdersResult extends Partial<OrderPageCounts> {
  /** ISO time the next run lists from (before subtracting the overlap). */
  cursor: string;
  listed: number;
  started: number;
  signalled: number;
  /** Pages read (paged syncs only). */
  pages?: number;
  /** A preview: the counts are what a sync would do; nothing was started or signalled. */
  preview?: true;
}

/** Where a running sync is, for the operator's backfill progress. */
export interface SyncOrdersProgress {
  listing: string;
  page: number;
  pages: number;
  counts: OrderPageCounts;
}
export const syncOrdersProgressQuery = defineQuery<SyncOrdersProgress | null>('syncOrdersProgress');

/** Events after which a paged sync continues as new: far below Temporal's limits, each page costs about six. */
const DEFAULT_HISTORY_BUDGET = 3_000;

const local = mainActivities(profiles.orderStarts);

export async function syncOrdersWorkflow(input: SyncOrdersInput): Promise<SyncOrdersResult> {
  const { tenantId } = input;
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxOrderPage);
  if (input.resume) return pagedSync(input, input.resume);
  const settings = await local.getTenantSettings(tenantId);
  let since: string | null;
  if (input.since !== undefined) {
    since = input.since;
  } else {
    // The schedule should hand over the previous run's result; the dev server's scheduler does not, so it is looked up
    // on the schedule (patched: histories recorded before the lookup existed still replay).
    const previous = (workflowInfo().lastResult ??
      (patched('schedule-cursor-lookup')
        ? await local.previousScheduledResult(ordersScheduleId(tenantId), workflowInfo().runId)
        : undefined)) as SyncOrdersResult | null | undefined;
    since = sinceWithOverlap(previous?.cursor, settings.syncOverlap);
  }
  if (patched('order-sync-in-pages')) {
    return pagedSync(input, {
      since,
      // Workflow time (the task's start, the same on replay): the moment the listing starts, the next run's cursor.
      listedAt: new Date().toISOString(),
      settings: orderWorkflowSettings(settings),
      position: firstOrderSyncPosition(),
      counts: noOrderPageCounts(),
      pages: 0,
    });
  }

  // Before paging (runs recorded then still replay): the whole listing in one activity result.
  const { orders, listedAt } = await fortnox.listChangedOrders(tenantId, since);
  const toStart: string[] = [];
  const toSignal: string[] = [];
  for (const order of orders) {
    const verdict = checkSelection(
      { Cancelled: order.Cancelled, Sent: order.Sent, InvoiceReference: order.invoiced ? 'invoiced' : null },
      settings.orderSelection,
    );
    (verdict.selected ? toStart : toSignal).push(order.DocumentNumber);
  }
  const orderSettings = orderWorkflowSettings(settings);
  const started = toStart.length ? await local.startOrderWorkflows(tenantId, toStart, orderSettings) : 0;
  const signalled = toSignal.length ? await local.signalOrderWorkflows(tenantId, toSignal) : 0;
  log.info('order sync done', { tenantId, since, listed: orders.length, started, signalled });
  return { cursor: listedAt, listed: orders.length, started, signalled };

  async function pagedSync(input: SyncOrdersInput, from: SyncOrdersResume): Promise<SyncOrdersResult> {
    let position: OrderSyncPosition | null = from.position;
    const counts = { ...from.counts };
    let pages = from.pages;
    setHandler(
      syncOrdersProgressQuery,
      () => position && { listing: position.listing, page: position.page, pages, counts },
    );
    while (position) {
      if (
        workflowInfo().historyLength > (input.historyBudget ?? DEFAULT_HISTORY_BUDGET) ||
        workflowInfo().continueAsNewSuggested
      ) {
        return continueAsNew<typeof syncOrdersWorkflow>({ ...input, resume: { ...from, position, counts, pages } });
      }
      const page = await fortnox.syncOrderPage(tenantId, {
        listing: position.listing,
        page: position.page,
        since: from.since,
        settings: from.settings,
        // Only a preview adds the field: every other sync schedules the very activity input it always has.
        ...(input.preview ? { preview: true } : {}),
      });
      pages++;
      counts.listed += page.listed;
      counts.started += page.started;
      counts.restarted += page.restarted;
      counts.leftClosed += page.leftClosed;
      counts.signalled += page.signalled;
      position = nextOrderSyncPosition(position, page);
    }
    log.info(input.preview ? 'order sync preview done' : 'order sync done', {
      tenantId,
      since: from.since,
      pages,
      ...counts,
    });
    return { cursor: from.listedAt, pages, ...counts, ...(input.preview ? { preview: true as const } : {}) };
  }
}
