// The operator's `stock report`: the WMS's stock (all warehouses) against Fortnox's, per article, read fresh from both
// sides by the worker (which holds the credentials: the CLI needs none). Fortnox's figure is the Lager stock balance
// (all stock points) when Lager is on, else the article register's QuantityInStock, a page per activity; each Fortnox
// activity is one request on the tenant's queue, so the report shares Fortnox's rate limit with everything else.
import { fortnoxActivities, mainActivities, profiles } from './proxies';
import { stockReportRows, type StockReportRow } from '../domain/stock';

export interface StockReportInput {
  tenantId: string;
  /** Only the articles whose figures differ (a large register's full table may not fit one result). */
  onlyDifferences?: boolean;
}

export interface StockReport {
  source: 'lager' | 'article-register';
  /** Every article either side knows. */
  articles: number;
  /** Articles whose figures differ. */
  differing: number;
  rows: StockReportRow[];
}

const wms = mainActivities(profiles.syncStep);

export async function stockReportWorkflow({ tenantId, onlyDifferences }: StockReportInput): Promise<StockReport> {
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxRequest);
  const wmsStock = await wms.readWmsStock(tenantId);
  const lager = await fortnox.lagerActive(tenantId);
  let fortnoxStock: Record<string, number> = {};
  if (lager) {
    fortnoxStock = await fortnox.readFortnoxStockBalance(tenantId);
  } else {
    for (let page = 1, pages = 1; page <= pages; page++) {
      const answer = await fortnox.listArticleStockPage(tenantId, page);
      Object.assign(fortnoxStock, answer.quantities);
      pages = answer.totalPages;
    }
  }
  const rows = stockReportRows(wmsStock, fortnoxStock);
  const differing = rows.filter((r) => r.difference !== 0);
  return {
    source: lager ? 'lager' : 'article-register',
    articles: rows.length,
    differing: differing.length,
    rows: onlyDifferences ? differing : rows,
  };
}
