// The order sync's walk through Fortnox's listings: forward page by page, one listing after another, and back over
// the pages orders may have moved into when a listing shrinks while it is read.
import { describe, expect, it } from 'vitest';
import {
  firstOrderSyncPosition,
  nextOrderSyncPosition,
  ORDER_PAGE_SIZE,
  ORDER_SYNC_LISTINGS,
  type OrderSyncPosition,
} from '../../domain/order-sync';

const at = (
  page: number,
  lastTotal: number | null,
  listing: OrderSyncPosition['listing'] = 'invoicenotcreated',
  stepBacks = 0,
) => ({ listing, page, lastTotal, stepBacks });

describe('nextOrderSyncPosition', () => {
  it('reads open orders, then invoiced, then cancelled ones, each from page 1', () => {
    expect(ORDER_SYNC_LISTINGS).toEqual(['invoicenotcreated', 'invoicecreated', 'cancelled']);
    let position: OrderSyncPosition | null = firstOrderSyncPosition();
    const seen: string[] = [];
    while (position) {
      seen.push(`${position.listing}:${position.page}`);
      const pages = position.listing === 'invoicenotcreated' ? 3 : 1;
      position = nextOrderSyncPosition(position, { totalPages: pages, totalResources: pages * ORDER_PAGE_SIZE });
    }
    expect(seen).toEqual([
      'invoicenotcreated:1',
      'invoicenotcreated:2',
      'invoicenotcreated:3',
      'invoicecreated:1',
      'cancelled:1',
    ]);
  });

  it('an empty listing (0 pages) moves on to the next', () => {
    expect(nextOrderSyncPosition(at(1, null), { totalPages: 0, totalResources: 0 })).toMatchObject({
      listing: 'invoicecreated',
      page: 1,
      lastTotal: null,
    });
    expect(nextOrderSyncPosition(at(1, null, 'cancelled'), { totalPages: 0, totalResources: 0 })).toBeNull();
  });

  it('steps back one page when a few orders left the listing since the last page was read', () => {
    expect(nextOrderSyncPosition(at(3, 1200), { totalPages: 3, totalResources: 1197 })).toEqual(
      at(2, 1197, 'invoicenotcreated', 1),
    );
  });

  it('steps back as many pages as could have moved past', () => {
    expect(nextOrderSyncPosition(at(5, 3000), { totalPages: 4, totalResources: 1999 })).toMatchObject({ page: 2 }); // 1,001 gone: page 5's first order is now on page 2
    expect(nextOrderSyncPosition(at(2, 3000), { totalPages: 1, totalResources: 100 })).toMatchObject({ page: 1 });
  });

  it('goes forward when the listing grew (orders joining only repeat, never hide, later ones)', () => {
    expect(nextOrderSyncPosition(at(2, 1000), { totalPages: 3, totalResources: 1010 })).toEqual(at(3, 1010));
  });

  it('stops stepping back after a bound, so a listing that keeps shrinking still ends', () => {
    const tired = at(3, 1200, 'invoicenotcreated', 20);
    expect(nextOrderSyncPosition(tired, { totalPages: 3, totalResources: 1100 })).toMatchObject({
      listing: 'invoicecreated',
      page: 1,
    });
  });
});
