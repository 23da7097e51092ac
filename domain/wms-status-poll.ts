// The status-change poll's rules: which WMS status changes to tell the order workflows about, remembering across runs
// what was already told so an overlapping window does not signal (and grow the history of) the same order twice.

/** A WMS order's status as one poll saw it. */
export interface SeenStatus {
  orderId: number;
  statusNumber: number;
}

/** The event id a poll signals with: one per order and status, so a workflow ignores a status it already heard of. */
export function statusEventId(orderId: number, statusNumber: number): string {
  return `status-${orderId}-${statusNumber}`;
}

/**
 * How many statuses a poll hands to the next: the next window overlaps only this one's end, so this window's statuses
 * are all it can meet again. Bounded to keep the result small; beyond it an order is merely signalled twice.
 */
export const MAX_REMEMBERED_STATUSES = 5000;

export function rememberStatuses(seen: SeenStatus[], limit = MAX_REMEMBERED_STATUSES): SeenStatus[] {
  return seen.slice(-limit);
}

/** True when the previous poll already reported this order at this status. */
export function alreadyReported(previous: Map<number, number>, status: SeenStatus): boolean {
  return previous.get(status.orderId) === status.statusNumber;
}
