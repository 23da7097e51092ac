import { describe, expect, it } from 'vitest';
import {
  movedArticles,
  quantityInStockUpdates,
  receiptDocumentId,
  splitDeltas,
  stockDeltas,
  stockDocumentId,
  stockSyncOffsetMs,
  unpostedReceipts,
  unreportedShipment,
  type StockReading,
} from '../../domain/stock';

describe('stockDeltas', () => {
  const wms = [
    { articleNumber: 'A', warehouse: 'Main', numberOfItems: 10 },
    { articleNumber: 'A', warehouse: 'Second', numberOfItems: 5 },
    { articleNumber: 'B', warehouse: 'Main', numberOfItems: 0 },
  ];

  it('without a stock point map compares one total per article', () => {
    const fortnox = [
      { itemId: 'A', stockPointCode: 'LAGER', inStock: 12 },
      { itemId: 'B', stockPointCode: 'LAGER', inStock: 4 },
    ];
    expect(stockDeltas({ articles: ['A', 'B'], wms, fortnox, stockPoints: {} })).toEqual([
      { itemId: 'A', delta: 3 },
      { itemId: 'B', delta: -4 },
    ]);
  });

  it('with a map compares per stock point, ignoring unmapped warehouses and points', () => {
    const fortnox = [
      { itemId: 'A', stockPointCode: 'STO', inStock: 7 },
      { itemId: 'A', stockPointCode: 'GBG', inStock: 5 },
      { itemId: 'A', stockPointCode: 'OTHER', inStock: 99 },
    ];
    expect(stockDeltas({ articles: ['A'], wms, fortnox, stockPoints: { Main: 'sto', Second: 'GBG' } })).toEqual([
      { itemId: 'A', stockPointCode: 'STO', delta: 3 },
    ]);
    expect(stockDeltas({ articles: ['A'], wms, fortnox: [], stockPoints: { Main: 'STO' } })).toEqual([
      { itemId: 'A', stockPointCode: 'STO', delta: 10 },
    ]);
  });

  it('counts a shipment not yet reported once: its report will move Fortnox, so the sync must not', () => {
    // The warehouse shipped 4 of A (WMS 15 → 11); Fortnox still shows 15 until the order workflow reports it.
    const shipped = [
      { articleNumber: 'A', warehouse: 'Main', numberOfItems: 6 },
      { articleNumber: 'A', warehouse: 'Second', numberOfItems: 5 },
    ];
    const fortnox = [{ itemId: 'A', stockPointCode: 'LAGER', inStock: 15 }];
    const pendingShipments = [{ articleNumber: 'A', quantity: 4 }];
    expect(stockDeltas({ articles: ['A'], wms: shipped, fortnox, pendingShipments, stockPoints: {} })).toEqual([]);
    // After the report lands: Fortnox 11, nothing pending, still nothing to do.
    expect(
      stockDeltas({
        articles: ['A'],
        wms: shipped,
        fortnox: [{ itemId: 'A', stockPointCode: 'LAGER', inStock: 11 }],
        stockPoints: {},
      }),
    ).toEqual([]);
  });

  it('counts a receipt not yet posted once', () => {
    const fortnox = [{ itemId: 'A', stockPointCode: 'LAGER', inStock: 10 }];
    const pendingReceipts = [{ articleNumber: 'A', quantity: 5 }];
    expect(stockDeltas({ articles: ['A'], wms, fortnox, pendingReceipts, stockPoints: {} })).toEqual([]);
  });

  it('attributes pending movements without a warehouse to the first mapped stock point', () => {
    const fortnox = [{ itemId: 'A', stockPointCode: 'STO', inStock: 10 }];
    expect(
      stockDeltas({
        articles: ['A'],
        wms: [{ articleNumber: 'A', warehouse: 'Main', numberOfItems: 8 }],
        fortnox,
        pendingShipments: [{ articleNumber: 'A', quantity: 2 }],
        stockPoints: { Main: 'STO', Second: 'GBG' },
      }),
    ).toEqual([]);
  });

  it('only compares the articles asked for', () => {
    expect(stockDeltas({ articles: [], wms, fortnox: [], stockPoints: {} })).toEqual([]);
  });
});

describe('quantityInStockUpdates', () => {
  it('writes the WMS total where Fortnox differs, including zero for articles the WMS has none of', () => {
    const wms = [
      { articleNumber: 'A', warehouse: 'Main', numberOfItems: 10 },
      { articleNumber: 'A', warehouse: 'Second', numberOfItems: 2 },
      { articleNumber: 'C', warehouse: 'Main', numberOfItems: 3 },
    ];
    expect(
      quantityInStockUpdates(
        ['A', 'B', 'C'],
        wms,
        new Map([
          ['A', 12],
          ['B', 5],
          ['C', 1],
        ]),
      ),
    ).toEqual([
      { ArticleNumber: 'B', QuantityInStock: 0 },
      { ArticleNumber: 'C', QuantityInStock: 3 },
    ]);
  });
});

describe('unreportedShipment', () => {
  const picked = [
    { articleNumber: 'A', pickedNumberOfItems: 3 },
    { articleNumber: 'A', pickedNumberOfItems: 1 },
    { articleNumber: 'B', pickedNumberOfItems: 2 },
  ];

  it('is what the warehouse picked minus what the fresh Fortnox order delivered', () => {
    expect(
      unreportedShipment(picked, [
        { ArticleNumber: 'A', DeliveredQuantity: 0 },
        { ArticleNumber: 'B', DeliveredQuantity: 0 },
      ]),
    ).toEqual([
      { articleNumber: 'A', quantity: 4 },
      { articleNumber: 'B', quantity: 2 },
    ]);
    expect(
      unreportedShipment(picked, [
        { ArticleNumber: 'A', DeliveredQuantity: 4 },
        { ArticleNumber: 'B', DeliveredQuantity: 2 },
      ]),
    ).toEqual([]);
  });

  it('is nothing for an order Fortnox no longer has', () => {
    expect(unreportedShipment(picked, null)).toEqual([]);
  });
});

describe('movedArticles', () => {
  const reading = (wms: Record<string, number>, fortnox: Record<string, number> = wms): StockReading => ({
    wms: Object.entries(wms).map(([articleNumber, numberOfItems]) => ({
      articleNumber,
      warehouse: 'MAIN',
      numberOfItems,
    })),
    fortnox: Object.entries(fortnox).map(([itemId, inStock]) => ({ itemId, stockPointCode: 'LAGER', inStock })),
  });

  it('is empty when nothing moved while the pending movements were read', () => {
    expect(movedArticles(reading({ A: 10, B: 5 }, { A: 12, B: 5 }), reading({ A: 10, B: 5 }, { A: 12, B: 5 }))).toEqual(
      new Set(),
    );
  });

  it('names an article the warehouse shipped, received or adjusted in the window', () => {
    expect(movedArticles(reading({ A: 10, B: 5 }), reading({ A: 8, B: 5 }, { A: 10, B: 5 }))).toEqual(new Set(['A']));
  });

  it('names an article whose report (or posted receipt) moved Fortnox in the window, though the warehouse stood still', () => {
    // The pending reading may have seen the order before or after its report: only the balances tell it moved.
    expect(movedArticles(reading({ A: 8 }, { A: 10 }), reading({ A: 8 }, { A: 8 }))).toEqual(new Set(['A']));
  });

  it('names an article that appears on one side only in the second reading', () => {
    const before = reading({ A: 8 });
    const after: StockReading = {
      wms: before.wms,
      fortnox: [...before.fortnox, { itemId: 'C', stockPointCode: 'LAGER', inStock: 1 }],
    };
    expect(movedArticles(before, after)).toEqual(new Set(['C']));
  });
});

describe('ids, offsets and receipts', () => {
  it('makes digits-only ids of at most 25 characters, the same for the same run', () => {
    const id = stockDocumentId('t-1', 1_700_000_000_000, 3);
    expect(id).toMatch(/^\d{19}$/);
    expect(stockDocumentId('t-1', 1_700_000_000_000, 3)).toBe(id);
    expect(stockDocumentId('t-2', 1_700_000_000_000, 3)).not.toBe(id);
    expect(id.endsWith('03')).toBe(true);
    expect(receiptDocumentId('12', 1)).toBe('12001');
    expect(() => stockDocumentId('t', 1, 100)).toThrow();
  });

  it('puts the stock sync at the end of the interval', () => {
    expect(stockSyncOffsetMs(15 * 60_000)).toBe(14 * 60_000);
    expect(stockSyncOffsetMs(60_000)).toBe(56_000);
  });

  it('splits deltas into inbound and outbound quantities', () => {
    expect(
      splitDeltas([
        { itemId: 'A', delta: 2 },
        { itemId: 'B', delta: -3 },
      ]),
    ).toEqual({
      inbound: [{ itemId: 'A', delta: 2 }],
      outbound: [{ itemId: 'B', delta: 3 }],
    });
  });

  it('leaves what is received but not posted', () => {
    expect(
      unpostedReceipts(
        [
          { articleNumber: 'A', receivedNumberOfItems: 5 },
          { articleNumber: 'B', receivedNumberOfItems: 1 },
        ],
        [
          { itemId: 'A', quantity: 3 },
          { itemId: 'B', quantity: 1 },
        ],
      ),
    ).toEqual([{ articleNumber: 'A', quantity: 2 }]);
  });
});
