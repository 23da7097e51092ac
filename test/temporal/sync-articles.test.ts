// The article and supplier registry syncs on a real dev server with both sandboxes: every mapped field, articles that
// stop being stock goods or become inactive, reruns that write nothing, and a large registry interrupted and resumed.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncArticlesResult } from '../../workflows/sync-articles';
import type { SyncSuppliersResult } from '../../workflows/sync-suppliers';
import { startHarness, waitFor, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const wmsCalls = async (harness: Harness) =>
  got(`${harness.sandboxes.wmsUrl}/_sandbox/goods-owners/${harness.tenant.wms.goodsOwnerId}/calls`).json<{
    byRoute: Record<string, number>;
  }>();
const fortnoxCalls = async (harness: Harness) =>
  got(`${harness.sandboxes.fortnoxUrl}/_sandbox/tenants/${harness.fortnoxTenantId}/calls`).json<{
    byRoute: Record<string, number>;
  }>();

describe('article registry sync', () => {
  it('copies stock goods with every mapped field, retires articles that stop being stock goods or become inactive', async () => {
    h = await startHarness();
    const first = await h.runSync<SyncArticlesResult>('syncArticlesWorkflow', { record: 'first-run' });
    // The demo WMS knew the ten articles without dimensions and supplier: each is completed once.
    expect(first).toMatchObject({ listed: 10, fetched: 10, upserted: 10, retired: 0 });
    const fortnoxA100 = await h.fortnox.getArticle('A100');
    const a100 = await h.wms.getArticleByNumber('A100');
    expect(a100).toMatchObject({
      articleName: fortnoxA100.Description,
      unitCode: 'st',
      barCodeInfo: { barCode: fortnoxA100.EAN },
      weight: fortnoxA100.Weight! / 1000,
      length: fortnoxA100.Depth! / 1000,
      width: fortnoxA100.Width! / 1000,
      height: fortnoxA100.Height! / 1000,
      isStockArticle: true,
      supplierInfo: { supplierNumber: fortnoxA100.SupplierNumber, supplierName: fortnoxA100.SupplierName },
    });

    // A rerun finds everything in place and writes nothing to the WMS.
    const putsBefore = (await wmsCalls(h)).byRoute['PUT /articles'] ?? 0;
    const second = await h.runSync<SyncArticlesResult>('syncArticlesWorkflow', { record: 'incremental' });
    expect(second).toMatchObject({ listed: 10, upserted: 0, unchanged: 10 });
    expect((await wmsCalls(h)).byRoute['PUT /articles'] ?? 0).toBe(putsBefore);

    await h.fortnox.updateArticle('A101', { StockGoods: false });
    await h.fortnox.updateArticle('A102', { Active: false });
    await h.fortnox.updateArticle('A103', { Description: 'Skärbräda ek, stor', EAN: '7350000099999' });
    await h.fortnox.createArticle({ ArticleNumber: 'S-1', Description: 'Frakt', StockGoods: false, Type: 'SERVICE' });
    await h.fortnox.createArticle({
      ArticleNumber: 'N-1',
      Description: 'Ny lagervara',
      StockGoods: true,
      Unit: 'st',
      Weight: 1500,
    });
    const third = await h.runSync<SyncArticlesResult>('syncArticlesWorkflow');
    expect(third).toMatchObject({ upserted: 2, retired: 2, ignored: 1 });
    expect((await h.wms.getArticleByNumber('A101'))?.isStockArticle).toBe(false);
    expect((await h.wms.getArticleByNumber('A102'))?.isStockArticle).toBe(false);
    // Retired, not deleted: the warehouse keeps the article's stock and history.
    expect((await h.wms.getArticleByNumber('A102'))?.inventoryInfo.numberOfItems).toBeGreaterThan(0);
    expect(await h.wms.getArticleByNumber('S-1')).toBeUndefined();
    expect(await h.wms.getArticleByNumber('N-1')).toMatchObject({
      articleName: 'Ny lagervara',
      weight: 1.5,
      isStockArticle: true,
    });
    expect(await h.wms.getArticleByNumber('A103')).toMatchObject({
      articleName: 'Skärbräda ek, stor',
      barCodeInfo: { barCode: '7350000099999' },
    });

    // Active and stock goods again: back as a stock article.
    await h.fortnox.updateArticle('A102', { Active: true });
    expect(await h.runSync<SyncArticlesResult>('syncArticlesWorkflow')).toMatchObject({ upserted: 1, retired: 0 });
    expect((await h.wms.getArticleByNumber('A102'))?.isStockArticle).toBe(true);
  });

  it('carries a renamed supplier to the supplierInfo of its articles in the WMS, without any supplier endpoint', async () => {
    h = await startHarness();
    await h.runSync<SyncArticlesResult>('syncArticlesWorkflow');
    // The articles already carry their suppliers: the first supplier run has nothing to rewrite.
    const first = await h.runSync<SyncSuppliersResult>('syncSuppliersWorkflow', { record: 'first-run' });
    expect(first).toMatchObject({ listed: 2, articlesUpdated: 0 });

    const [supplier] = await h.fortnox.listAllSuppliers();
    const carriers = (await h.fortnox.listAllArticles()).length; // every demo article has one of the two suppliers
    await h.fortnox.updateSupplier(supplier!.SupplierNumber, { Name: 'Nordiska Träfabriken AB' });
    const renamed = await h.runSync<SyncSuppliersResult>('syncSuppliersWorkflow', { record: 'renamed' });
    expect(renamed.listed).toBeGreaterThanOrEqual(1); // the cursor overlaps the previous run by syncOverlap
    expect(renamed.articlesUpdated).toBeGreaterThan(0);
    expect(renamed.articlesUpdated).toBeLessThan(carriers);
    const wmsArticles = await h.wms.listArticles();
    const ofSupplier = wmsArticles.filter((a) => a.supplierInfo?.supplierNumber === supplier!.SupplierNumber);
    expect(ofSupplier).toHaveLength(renamed.articlesUpdated);
    expect(ofSupplier.every((a) => a.supplierInfo?.supplierName === 'Nordiska Träfabriken AB')).toBe(true);
    // The rest of each article is untouched: the rewrite is the article sync's full draft, not a partial PUT.
    expect(ofSupplier.every((a) => a.articleName && a.isStockArticle)).toBe(true);

    // A rerun finds nothing stale, and nothing ever asked the WMS for a supplier register (Ongoing REST v1 has none).
    expect(await h.runSync<SyncSuppliersResult>('syncSuppliersWorkflow')).toMatchObject({ articlesUpdated: 0 });
    expect(Object.keys((await wmsCalls(h)).byRoute).filter((route) => route.includes('supplier'))).toEqual([]);
  });

  it('syncs a registry of 3,000 articles a request per activity, interrupted by a worker stop, without re-upserting finished articles', async () => {
    h = await startHarness({ fortnoxRateLimit: false });
    const fortnox = h.fortnox;
    const numbers = Array.from({ length: 3000 }, (_, i) => `BIG-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < numbers.length; i += 100) {
      await Promise.all(
        numbers.slice(i, i + 100).map((n, j) =>
          fortnox.createArticle({
            ArticleNumber: n,
            Description: `Artikel ${n}`,
            StockGoods: true,
            Unit: 'st',
            EAN: `735${String(i + j).padStart(10, '0')}`,
            Weight: 100 + j,
          }),
        ),
      );
    }
    const total = numbers.length + 10; // plus the demo articles
    const baseline = (await wmsCalls(h)).byRoute['PUT /articles'] ?? 0; // the demo seeding's own PUTs
    const handle = await h.client.workflow.start('syncArticlesWorkflow', {
      workflowId: `sync-articles-big:${h.tenantId}`,
      taskQueue: h.taskQueue,
      args: [{ tenantId: h.tenantId }],
    });
    const harness = h;
    const atStop = await waitFor(
      async () => {
        const puts = (await wmsCalls(harness)).byRoute['PUT /articles'] ?? 0;
        return puts - baseline >= 1000 ? puts - baseline : undefined;
      },
      60_000,
      '1,000 articles in the WMS',
    );
    await h.stopWorkers();
    const afterStop = ((await wmsCalls(h)).byRoute['PUT /articles'] ?? 0) - baseline;
    expect(afterStop).toBeLessThan(total);
    await h.startWorkers();
    const result = (await handle.result()) as SyncArticlesResult;

    const puts = ((await wmsCalls(h)).byRoute['PUT /articles'] ?? 0) - baseline;
    const detailGets = (await fortnoxCalls(h)).byRoute['GET /3/articles/:ArticleNumber'] ?? 0;
    console.log(
      `large registry: ${total} articles, stopped at ${atStop}-${afterStop} upserts; after resume ${puts} upserts, ` +
        `${detailGets} Fortnox detail reads, ${result.runs} runs, counts ${JSON.stringify(result)}`,
    );
    // A page per run (500 articles), each run a short history of one list request and an activity per article.
    expect(result.runs).toBe(Math.ceil(total / 500));
    expect(detailGets).toBeGreaterThanOrEqual(total);
    // Every article reached the WMS exactly once: nothing finished before the stop was upserted again.
    expect(puts).toBe(total);
    expect(result.listed).toBe(total);
    const wmsArticles = await h.wms.listArticles();
    expect(new Set(wmsArticles.map((a) => a.articleNumber))).toEqual(
      new Set([
        ...numbers,
        ...wmsArticles.filter((a) => !a.articleNumber.startsWith('BIG-')).map((a) => a.articleNumber),
      ]),
    );
    expect(wmsArticles.filter((a) => a.articleNumber.startsWith('BIG-'))).toHaveLength(numbers.length);
    // Only the articles in flight at the stop were read again: far fewer than all finished articles.
    expect(detailGets).toBeLessThan(total + afterStop / 2);
  });
});
