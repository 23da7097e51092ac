// The purchase-order sync's pure rules: id order and pages, and which WMS lines Fortnox has not been told of.
import { describe, expect, it } from 'vitest';
import { compareIds, idPage, unreportedLines } from '../../domain/purchase-orders';

describe('purchase-order pages', () => {
  it('orders int64 ids as numbers, whatever their length, without going through floats', () => {
    expect(['10', '9', '100', '11'].sort(compareIds)).toEqual(['9', '10', '11', '100']);
    expect(compareIds('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
  });

  it('pages after a cursor, and says where the next page starts only when there is one', () => {
    const ids = ['3', '1', '12', '2', '7'];
    expect(idPage(ids, (id) => id, null, 2)).toEqual({ page: ['1', '2'], next: '2' });
    expect(idPage(ids, (id) => id, '2', 2)).toEqual({ page: ['3', '7'], next: '7' });
    expect(idPage(ids, (id) => id, '7', 2)).toEqual({ page: ['12'], next: null });
    expect(idPage(ids, (id) => id, '3', 2)).toEqual({ page: ['7', '12'], next: null });
    expect(idPage([], (id: string) => id, null, 2)).toEqual({ page: [], next: null });
  });
});

describe('lines to report', () => {
  it('are lines whose received number differs from what was reported, a never-reported line counting as 0', () => {
    const lines = [
      { id: 1, receivedNumberOfItems: 0, reportedNumberOfItems: null },
      { id: 2, receivedNumberOfItems: 4, reportedNumberOfItems: null },
      { id: 3, receivedNumberOfItems: 4, reportedNumberOfItems: 4 },
      { id: 4, receivedNumberOfItems: 6, reportedNumberOfItems: 4 },
      { id: 5, receivedNumberOfItems: 2, reportedNumberOfItems: 4 },
    ];
    expect(unreportedLines(lines).map((l) => l.id)).toEqual([2, 4, 5]);
  });
});
