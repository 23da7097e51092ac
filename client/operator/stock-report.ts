// `stock report <tenant>`: WMS stock against Fortnox stock per article, with the difference, read fresh from both
// sides. Fortnox's figure is the Lager stock balance (all stock points) when Lager is active, else the article
// register's QuantityInStock; the WMS's is its physical numberOfItems over all warehouses.
import { println, requireRegistry, table, type OperatorContext } from './context';

export interface StockRow {
  ArticleNumber: string;
  wms: number;
  fortnox: number;
  /** wms − fortnox: positive means the warehouse holds more than Fortnox believes. */
  difference: number;
}

export interface StockReport {
  source: 'lager' | 'article-register';
  rows: StockRow[];
}

export async function collectStockReport(ctx: OperatorContext, tenantId: string): Promise<StockReport> {
  const registry = requireRegistry(ctx, tenantId);
  const fortnox = registry.fortnox(tenantId);
  const wms = registry.wms(tenantId);
  const wmsQty = new Map<string, number>();
  for (const article of await wms.getInventoryPerWarehouse()) {
    wmsQty.set(article.articleNumber, article.inventoryPerWarehouse.reduce((sum, w) => sum + w.numberOfItems, 0));
  }
  // The product's one Lager detection: a failed read is an error here too, never "Lager off" (a wrong source).
  const lager = await registry.lagerActive(tenantId);
  const fortnoxQty = new Map<string, number>();
  if (lager) {
    for (const b of await fortnox.getStockBalance()) fortnoxQty.set(b.itemId, (fortnoxQty.get(b.itemId) ?? 0) + b.inStock);
  } else {
    for (const a of await fortnox.listAllArticles()) if (a.QuantityInStock != null) fortnoxQty.set(a.ArticleNumber, Number(a.QuantityInStock));
  }
  const numbers = [...new Set([...wmsQty.keys(), ...fortnoxQty.keys()])].sort();
  const rows = numbers.map((ArticleNumber) => {
    const w = wmsQty.get(ArticleNumber) ?? 0;
    const f = fortnoxQty.get(ArticleNumber) ?? 0;
    return { ArticleNumber, wms: w, fortnox: f, difference: w - f };
  });
  return { source: lager ? 'lager' : 'article-register', rows };
}

export async function stockReportCommand(ctx: OperatorContext, tenantId: string, options: { onlyDifferences?: boolean } = {}): Promise<StockReport> {
  const report = await collectStockReport(ctx, tenantId);
  const rows = options.onlyDifferences ? report.rows.filter((r) => r.difference !== 0) : report.rows;
  println(ctx, `Stock of ${tenantId}: WMS (all warehouses) against Fortnox (${report.source === 'lager' ? 'Lager stock balance' : 'article register'})`);
  println(ctx, table(['article', 'WMS', 'Fortnox', 'difference'], rows.map((r) => [r.ArticleNumber, r.wms, r.fortnox, r.difference])));
  const off = report.rows.filter((r) => r.difference !== 0).length;
  println(ctx, off ? `${off} of ${report.rows.length} articles differ.` : `All ${report.rows.length} articles agree.`);
  return report;
}
