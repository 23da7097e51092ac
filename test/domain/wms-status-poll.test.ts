import { describe, expect, it } from 'vitest';
import { alreadyReported, rememberStatuses, statusEventId } from '../../domain/wms-status-poll';

describe('status-change poll rules', () => {
  it('names one event per order and status, so a workflow ignores a status it already heard of', () => {
    expect(statusEventId(88, 450)).toBe('status-88-450');
    expect(statusEventId(88, 450)).not.toBe(statusEventId(88, 300));
  });

  it('reports a status once: the same status again is skipped, a new one is not', () => {
    const previous = new Map([[88, 300]]);
    expect(alreadyReported(previous, { orderId: 88, statusNumber: 300 })).toBe(true);
    expect(alreadyReported(previous, { orderId: 88, statusNumber: 450 })).toBe(false);
    expect(alreadyReported(previous, { orderId: 89, statusNumber: 300 })).toBe(false);
  });

  it("hands the next poll only this window's statuses, bounded", () => {
    const seen = Array.from({ length: 10 }, (_, i) => ({ orderId: i, statusNumber: 450 }));
    expect(rememberStatuses(seen)).toEqual(seen);
    expect(rememberStatuses(seen, 3)).toEqual(seen.slice(-3));
  });
});
