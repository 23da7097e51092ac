import { describe, expect, it } from 'vitest';
import {
  articleAction,
  articlesWithStaleSupplier,
  compareArticleNumbers,
  toWmsArticle,
  wmsAgrees,
  withSupplierName,
  type FortnoxArticleFacts,
} from '../../domain/articles';

const article = (overrides: Partial<FortnoxArticleFacts> = {}): FortnoxArticleFacts => ({
  ArticleNumber: 'A-1',
  Description: 'Widget',
  EAN: '7350000000011',
  Unit: 'st',
  Weight: 400,
  Width: 100,
  Height: 50,
  Depth: 200,
  StockGoods: true,
  Active: true,
  SupplierNumber: '101',
  SupplierName: 'Nordic Widgets AB',
  ...overrides,
});

describe('toWmsArticle', () => {
  it('maps every field: number, name, EAN, unit, weight g→kg, dimensions mm→m with volume, supplier', () => {
    expect(toWmsArticle(article())).toEqual({
      articleNumber: 'A-1',
      articleName: 'Widget',
      unitCode: 'st',
      barCodeInfo: { barCode: '7350000000011' },
      weight: 0.4,
      length: 0.2,
      width: 0.1,
      height: 0.05,
      volume: 0.001,
      isStockArticle: true,
      supplierInfo: { supplierNumber: '101', supplierName: 'Nordic Widgets AB' },
    });
  });

  it('leaves out what Fortnox does not have, instead of sending zeros or empty strings', () => {
    const draft = toWmsArticle(
      article({ EAN: '', Weight: null, Width: 0, Height: null, Depth: null, SupplierNumber: null }),
    );
    expect(draft).toEqual({ articleNumber: 'A-1', articleName: 'Widget', unitCode: 'st', isStockArticle: true });
  });
});

describe('articleAction', () => {
  const held = {
    articleNumber: 'A-1',
    articleName: 'Widget',
    unitCode: 'st',
    barCode: '7350000000011',
    weight: 0.4,
    length: 0.2,
    width: 0.1,
    height: 0.05,
    volume: 0.001,
    isStockArticle: true,
    supplierNumber: '101',
    supplierName: 'Nordic Widgets AB',
  };

  it('upserts a stock article the WMS lacks', () => {
    expect(articleAction(article(), undefined)).toEqual({ kind: 'upsert', draft: toWmsArticle(article()) });
  });

  it('skips the upsert when the WMS holds exactly this', () => {
    expect(articleAction(article(), held)).toEqual({ kind: 'unchanged' });
  });

  it('upserts when any mapped field differs', () => {
    expect(articleAction(article({ Description: 'Widget, blue' }), held).kind).toBe('upsert');
    expect(articleAction(article({ Weight: 500 }), held).kind).toBe('upsert');
    expect(articleAction(article({ SupplierNumber: '102' }), held).kind).toBe('upsert');
    expect(articleAction(article(), { ...held, isStockArticle: false }).kind).toBe('upsert');
  });

  it('retires an article that stopped being stock goods or became inactive, if the WMS has it', () => {
    const retire = { kind: 'retire', draft: { articleNumber: 'A-1', isStockArticle: false } };
    expect(articleAction(article({ StockGoods: false }), held)).toEqual(retire);
    expect(articleAction(article({ Active: false }), held)).toEqual(retire);
    expect(articleAction(article({ Active: false }), { ...held, isStockArticle: false })).toEqual({
      kind: 'unchanged',
    });
  });

  it('ignores non-stock articles the WMS never had', () => {
    expect(articleAction(article({ StockGoods: false }), undefined)).toEqual({ kind: 'ignore' });
  });
});

describe('wmsAgrees', () => {
  it('compares only the fields the draft sets', () => {
    expect(
      wmsAgrees(
        { articleNumber: 'A', articleName: 'x', isStockArticle: true },
        { articleNumber: 'A', articleName: 'x', weight: 3 },
      ),
    ).toBe(true);
  });
});

describe('compareArticleNumbers', () => {
  it('is a total, machine-independent order', () => {
    expect(['b', 'B', '10', '9', 'a'].sort(compareArticleNumbers)).toEqual(['10', '9', 'B', 'a', 'b']);
  });
});

describe("suppliers, carried in articles' supplierInfo", () => {
  const held = (articleNumber: string, supplierNumber: string | null, supplierName: string | null) => ({
    articleNumber,
    supplierNumber,
    supplierName,
  });

  it('picks the WMS articles that carry a changed supplier under another name', () => {
    const stale = articlesWithStaleSupplier(
      [
        { SupplierNumber: '101', Name: 'Nordic Widgets AB' },
        { SupplierNumber: '102', Name: 'Bolts AB' },
      ],
      [
        held('A', '101', 'Nordic Widgets'),
        held('B', '101', 'Nordic Widgets AB'),
        held('C', '103', 'Other'),
        held('D', null, null),
        held('E', '102', null),
      ],
    );
    expect([...stale.keys()]).toEqual(['A', 'E']);
    expect(stale.get('A')).toEqual({ SupplierNumber: '101', Name: 'Nordic Widgets AB' });
  });

  it("gives the article the supplier's current name, unless the article has moved to another supplier", () => {
    expect(
      toWmsArticle(withSupplierName(article(), { SupplierNumber: '101', Name: 'Renamed AB' })).supplierInfo,
    ).toEqual({ supplierNumber: '101', supplierName: 'Renamed AB' });
    expect(
      toWmsArticle(withSupplierName(article({ SupplierNumber: '102' }), { SupplierNumber: '101', Name: 'Renamed AB' }))
        .supplierInfo,
    ).toEqual({ supplierNumber: '102', supplierName: 'Nordic Widgets AB' });
  });
});
