// Rules of the purchase-order sync that need no I/O: the order pages walk in, and which WMS lines are settled.

/** Fortnox purchase-order ids are int64 digits: compared as numbers of any length, never as floats or text. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * One page of the ids after `after` (null: from the start), at most `limit`, in id order; `next` is where the page
 * after this one starts, null when none is left.
 */
export function idPage<T>(
  items: T[],
  idOf: (item: T) => string,
  after: string | null,
  limit: number,
): { page: T[]; next: string | null } {
  const rest = items
    .filter((item) => after === null || compareIds(idOf(item), after) > 0)
    .sort((x, y) => compareIds(idOf(x), idOf(y)));
  const page = rest.slice(0, limit);
  return { page, next: rest.length > limit ? idOf(page[page.length - 1]!) : null };
}

export interface ReceivedLine {
  id: number;
  receivedNumberOfItems: number;
  /** What the ERP was last told of the line; null until first reported (counts as 0, as Ongoing lists it). */
  reportedNumberOfItems?: number | null;
}

/**
 * Lines whose receipt Fortnox has not been told of: received differs from reported. Ongoing's
 * `onlyPurchaseOrdersWithOrderLinesToReport` lists a purchase order with such a line; whether it counts a never-reported
 * line with nothing received is not documented, so it is checked here again.
 */
export function unreportedLines<L extends ReceivedLine>(lines: readonly L[]): L[] {
  return lines.filter((l) => l.receivedNumberOfItems !== (l.reportedNumberOfItems ?? 0));
}
