// The article and supplier registry rules: how a Fortnox article becomes a WMS article, what happens to articles that
// stop being stock goods or become inactive, and when an upsert can be skipped because the WMS already agrees.

/** The parts of a full Fortnox article (`GET /3/articles/{ArticleNumber}`) the registry sync uses. */
export interface FortnoxArticleFacts {
  ArticleNumber: string;
  Description: string;
  EAN?: string;
  Unit?: string;
  /** Grams (an integer in Fortnox). */
  Weight?: number | null;
  /** Millimetres (integers in Fortnox). */
  Width?: number | null;
  Height?: number | null;
  Depth?: number | null;
  /** The "Lagervara" flag: only stock goods belong in the warehouse. */
  StockGoods: boolean;
  Active: boolean;
  SupplierNumber?: string | null;
  SupplierName?: string;
}

/** The body of a WMS `PUT /articles` (goodsOwnerId is added by the client). Ongoing: kilograms and metres. */
export interface WmsArticleDraft {
  articleNumber: string;
  articleName?: string;
  unitCode?: string;
  barCodeInfo?: { barCode: string };
  weight?: number;
  length?: number;
  width?: number;
  height?: number;
  volume?: number;
  isStockArticle: boolean;
  supplierInfo?: { supplierNumber?: string; supplierName?: string };
}

/** What the WMS holds of an article, as far as the comparison needs it. */
export interface WmsArticleFacts {
  articleNumber: string;
  articleName?: string | null;
  unitCode?: string | null;
  barCode?: string | null;
  weight?: number | null;
  length?: number | null;
  width?: number | null;
  height?: number | null;
  volume?: number | null;
  isStockArticle?: boolean | null;
  supplierNumber?: string | null;
  supplierName?: string | null;
}

export type ArticleAction =
  /** A stock article the WMS lacks or holds differently: PUT it. */
  | { kind: 'upsert'; draft: WmsArticleDraft }
  /** No longer stock goods (or inactive) but known to the WMS: keep it (stock, history, open orders refer to it) and
   * mark it a non-stock article so the warehouse stops treating it as stock. */
  | { kind: 'retire'; draft: WmsArticleDraft }
  /** The WMS already holds exactly this. */
  | { kind: 'unchanged' }
  /** Not stock goods and never in the WMS: nothing to do. */
  | { kind: 'ignore' };

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const positive = (value: number | null | undefined): value is number => typeof value === 'number' && value > 0;

/** Fortnox article → WMS article, every mapped field: number, name, EAN, unit, weight, dimensions, supplier. */
export function toWmsArticle(article: FortnoxArticleFacts): WmsArticleDraft {
  const draft: WmsArticleDraft = {
    articleNumber: article.ArticleNumber,
    articleName: article.Description,
    isStockArticle: true,
  };
  if (article.Unit) draft.unitCode = article.Unit;
  if (article.EAN) draft.barCodeInfo = { barCode: article.EAN };
  if (positive(article.Weight)) draft.weight = round(article.Weight / 1000, 6);
  // Fortnox's Depth is the article's length.
  if (positive(article.Depth)) draft.length = round(article.Depth / 1000, 6);
  if (positive(article.Width)) draft.width = round(article.Width / 1000, 6);
  if (positive(article.Height)) draft.height = round(article.Height / 1000, 6);
  if (positive(article.Depth) && positive(article.Width) && positive(article.Height)) {
    draft.volume = round((article.Depth * article.Width * article.Height) / 1e9, 9);
  }
  if (article.SupplierNumber) {
    draft.supplierInfo = {
      supplierNumber: article.SupplierNumber,
      ...(article.SupplierName ? { supplierName: article.SupplierName } : {}),
    };
  }
  return draft;
}

/** True when an article belongs in the warehouse as a stock article. */
export function isWarehouseArticle(article: Pick<FortnoxArticleFacts, 'StockGoods' | 'Active'>): boolean {
  return article.StockGoods && article.Active;
}

const same = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : (a ?? null) === (b ?? null);

/** True when every field the draft sets already has that value in the WMS (fields the draft leaves out are not compared). */
export function wmsAgrees(draft: WmsArticleDraft, wms: WmsArticleFacts): boolean {
  const pairs: [unknown, unknown][] = [
    [draft.articleName, wms.articleName],
    [draft.unitCode, wms.unitCode],
    [draft.barCodeInfo?.barCode, wms.barCode],
    [draft.weight, wms.weight],
    [draft.length, wms.length],
    [draft.width, wms.width],
    [draft.height, wms.height],
    [draft.volume, wms.volume],
    [draft.supplierInfo?.supplierNumber, wms.supplierNumber],
    [draft.supplierInfo?.supplierName, wms.supplierName],
  ];
  if ((wms.isStockArticle ?? true) !== draft.isStockArticle) return false;
  return pairs.every(([wanted, held]) => wanted === undefined || same(wanted, held));
}

/** Decides what one changed Fortnox article means for the WMS. */
export function articleAction(article: FortnoxArticleFacts, wms: WmsArticleFacts | undefined): ArticleAction {
  if (isWarehouseArticle(article)) {
    const draft = toWmsArticle(article);
    return wms && wmsAgrees(draft, wms) ? { kind: 'unchanged' } : { kind: 'upsert', draft };
  }
  if (!wms) return { kind: 'ignore' };
  if (wms.isStockArticle === false) return { kind: 'unchanged' };
  return { kind: 'retire', draft: { articleNumber: article.ArticleNumber, isStockArticle: false } };
}

/** Orders article numbers for a resumable walk: a plain code-unit comparison, the same on every machine. */
export function compareArticleNumbers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- suppliers ----------------------------------------------------------------------------------------------
// Ongoing REST v1 has no supplier register: a supplier exists in the WMS only as the supplierInfo of its articles and
// purchase orders. So a new or renamed Fortnox supplier reaches the WMS through the articles that carry it.

/** A Fortnox supplier as the list gives it (`GET /3/suppliers`): number and name are all the WMS keeps of it. */
export interface FortnoxSupplierFacts {
  SupplierNumber: string;
  Name: string;
}

/**
 * The WMS articles whose supplierInfo names one of the changed suppliers under another name: they are the ones to
 * rewrite. Returns article number → the supplier it carries.
 */
export function articlesWithStaleSupplier(
  changed: FortnoxSupplierFacts[],
  wms: Iterable<WmsArticleFacts>,
): Map<string, FortnoxSupplierFacts> {
  const bySupplier = new Map(changed.map((s) => [s.SupplierNumber, s]));
  const stale = new Map<string, FortnoxSupplierFacts>();
  for (const article of wms) {
    const supplier = article.supplierNumber ? bySupplier.get(article.supplierNumber) : undefined;
    if (supplier && (article.supplierName ?? '') !== supplier.Name) stale.set(article.articleNumber, supplier);
  }
  return stale;
}

/** The article as the article sync would send it, with the supplier's current name (fresher than the article's copy). */
export function withSupplierName(article: FortnoxArticleFacts, supplier: FortnoxSupplierFacts): FortnoxArticleFacts {
  return article.SupplierNumber === supplier.SupplierNumber ? { ...article, SupplierName: supplier.Name } : article;
}
