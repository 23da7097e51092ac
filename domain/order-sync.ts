// How the order sync walks Fortnox's order list: in pages, one filtered listing after another, so no payload holds
// more than one page and a sync of any size resumes where it was. Pure: the workflow and the tests share it.

/**
 * The listings, in order. Fortnox's list items carry no InvoiceReference, so "is it invoiced?" comes from which
 * listing an order is in: open orders first (the ones a sync starts), then invoiced and cancelled ones (which only
 * running workflows need to hear of, unless the selection rules take them).
 */
export const ORDER_SYNC_LISTINGS = ['invoicenotcreated', 'invoicecreated', 'cancelled'] as const;
export type OrderSyncListing = (typeof ORDER_SYNC_LISTINGS)[number];

/** Fortnox's largest page. */
export const ORDER_PAGE_SIZE = 500;

/** Where a paged sync is: the listing, the page to read next, and the listing's size when last read. */
export interface OrderSyncPosition {
  listing: OrderSyncListing;
  page: number;
  /** TotalResources at the previous page of this listing; null before its first page. */
  lastTotal: number | null;
  /** Times this listing stepped back; bounded, so a listing that keeps shrinking still ends. */
  stepBacks: number;
}

export interface OrderPageAnswer {
  totalPages: number;
  totalResources: number;
}

export interface OrderPageCounts {
  listed: number;
  /** Selected, and started or (already running) signalled. */
  started: number;
  /** Selected, but the order's workflow had ended: left closed (see startOrderWorkflow), or started again after a skip. */
  leftClosed: number;
  restarted: number;
  /** Not selected: running workflows told of the change. */
  signalled: number;
}

export type OrderPageResult = OrderPageAnswer & OrderPageCounts;

export const noOrderPageCounts = (): OrderPageCounts => ({
  listed: 0,
  started: 0,
  leftClosed: 0,
  restarted: 0,
  signalled: 0,
});

export const firstOrderSyncPosition = (): OrderSyncPosition => ({
  listing: ORDER_SYNC_LISTINGS[0],
  page: 1,
  lastTotal: null,
  stepBacks: 0,
});

const MAX_STEP_BACKS = 20;

/**
 * The page after `at`, given what reading it answered; null when the last listing is done.
 *
 * Orders leave a listing while it is read (an open order is invoiced): every later order moves forward, and the
 * ones that crossed into pages already read would be skipped. Paging forward sees a shrunk total on the next read:
 * step back over as many pages as could have crossed, and read them again (an order seen twice is only signalled
 * twice). Orders joining a listing move later ones backwards: read twice, never skipped.
 */
export function nextOrderSyncPosition(at: OrderSyncPosition, answer: OrderPageAnswer): OrderSyncPosition | null {
  const shrunkBy = at.lastTotal === null ? 0 : at.lastTotal - answer.totalResources;
  if (shrunkBy > 0 && at.page > 1 && at.stepBacks < MAX_STEP_BACKS) {
    const page = Math.max(1, at.page - Math.ceil(shrunkBy / ORDER_PAGE_SIZE));
    return { ...at, page, lastTotal: answer.totalResources, stepBacks: at.stepBacks + 1 };
  }
  if (at.page < answer.totalPages) return { ...at, page: at.page + 1, lastTotal: answer.totalResources };
  const next = ORDER_SYNC_LISTINGS.indexOf(at.listing) + 1;
  return next < ORDER_SYNC_LISTINGS.length
    ? { ...firstOrderSyncPosition(), listing: ORDER_SYNC_LISTINGS[next]! }
    : null;
}
