// The article registry sync's activity: walks the Fortnox articles changed since the cursor in a fixed order, asks
// Fortnox for the details of each, and upserts, retires or skips it in the WMS. It heartbeats its position, so a
// retry after a crash resumes after the last finished article instead of starting over.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { articleAction, compareArticleNumbers, type WmsArticleFacts } from '../domain/articles';
import type { FortnoxClient } from './fortnox/client';
import { FortnoxError } from './fortnox/errors';
import type { TenantRegistry } from './tenant-registry';
import type { WmsClient } from './wms/client';
import type { WmsArticle } from './wms/schemas';
import { classifyClientError } from './rethrow-classified';

export interface ArticleSyncCounts {
  listed: number;
  /** Articles whose details were fetched from Fortnox. */
  fetched: number;
  upserted: number;
  retired: number;
  unchanged: number;
  ignored: number;
}

/** What the activity heartbeats, and reads back on a retry. */
export interface ArticleSyncProgress {
  /** When the first attempt listed: the next run's cursor, whatever retries happen in between. */
  listedAt: string;
  /** The last article finished (in `compareArticleNumbers` order); null before the first. */
  after: string | null;
  counts: ArticleSyncCounts;
  /** How many attempts resumed from a heartbeat (for operators and tests). */
  resumed: number;
}

export interface ArticleSyncResult extends ArticleSyncCounts {
  listedAt: string;
  resumed: number;
}

/** Runs a Fortnox call, waiting out 429s in place: a long walk must not lose its place over a rate limit. */
export async function patiently<T>(call: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof FortnoxError) || err.kind !== 'rate-limited' || attempt >= attempts) throw err;
      // The client has told the pacer; the next acquire waits for it. A short pause keeps us from spinning.
      await new Promise((resolve) => setTimeout(resolve, Math.min(err.retryAfterMs ?? 1000, 10_000)));
    }
  }
}

/** Every article the WMS holds for the goods owner, by number, read in pages of articleSystemId. */
export async function wmsArticlesByNumber(wms: WmsClient): Promise<Map<string, WmsArticle>> {
  const byNumber = new Map<string, WmsArticle>();
  for await (const page of wms.articlePages()) for (const article of page) byNumber.set(article.articleNumber, article);
  return byNumber;
}

export function wmsFacts(article: WmsArticle): WmsArticleFacts {
  return {
    articleNumber: article.articleNumber,
    articleName: article.articleName,
    unitCode: article.unitCode,
    barCode: article.barCodeInfo?.barCode,
    weight: article.weight,
    length: article.length,
    width: article.width,
    height: article.height,
    volume: article.volume,
    isStockArticle: article.isStockArticle,
    supplierNumber: article.supplierInfo?.supplierNumber,
    supplierName: article.supplierInfo?.supplierName,
  };
}

async function walkArticles(fortnox: FortnoxClient, wms: WmsClient, since: string | null): Promise<ArticleSyncResult> {
  const context = Context.current();
  const previous = context.info.heartbeatDetails as ArticleSyncProgress | undefined;
  const progress: ArticleSyncProgress = previous
    ? { ...previous, counts: { ...previous.counts }, resumed: previous.resumed + 1 }
    : {
      listedAt: new Date().toISOString(),
      after: null,
      counts: { listed: 0, fetched: 0, upserted: 0, retired: 0, unchanged: 0, ignored: 0 },
      resumed: 0,
    };
  if (previous) context.log.info('resuming article sync', { after: previous.after, done: previous.counts });
  context.heartbeat(progress);

  // The list is thin (no StockGoods, no dimensions): it tells us what changed; details come one by one below.
  const listed = await patiently(() => fortnox.listAllArticles({ lastModifiedSince: since ? new Date(since) : undefined }));
  const numbers = [...new Set(listed.map((a) => a.ArticleNumber))].sort(compareArticleNumbers);
  progress.counts.listed = numbers.length;
  const held = await wmsArticlesByNumber(wms);
  const todo = progress.after === null ? numbers : numbers.filter((n) => compareArticleNumbers(n, progress.after as string) > 0);

  for (const articleNumber of todo) {
    if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
    let article;
    try {
      article = await patiently(() => fortnox.getArticle(articleNumber));
    } catch (err) {
      // Deleted between the listing and now: nothing left to sync.
      if (err instanceof FortnoxError && err.status === 404) {
        progress.after = articleNumber;
        continue;
      }
      throw err;
    }
    progress.counts.fetched++;
    const existing = held.get(articleNumber);
    const action = articleAction(article, existing && wmsFacts(existing));
    if (action.kind === 'upsert' || action.kind === 'retire') {
      await wms.upsertArticle(action.draft);
      progress.counts[action.kind === 'upsert' ? 'upserted' : 'retired']++;
    } else {
      progress.counts[action.kind === 'ignore' ? 'ignored' : 'unchanged']++;
    }
    progress.after = articleNumber;
    context.heartbeat(progress);
  }
  return { ...progress.counts, listedAt: progress.listedAt, resumed: progress.resumed };
}

export function createArticleActivities(registry: TenantRegistry) {
  return {
    /**
     * Syncs every Fortnox article changed since `since` (null: all of them) to the WMS. Long-running: heartbeats after
     * each article with its position, and resumes from the last heartbeat when retried.
     */
    async syncChangedArticles(tenantId: string, since: string | null): Promise<ArticleSyncResult> {
      try {
        return await walkArticles(registry.fortnox(tenantId), registry.wms(tenantId), since);
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        throw classifyClientError(err);
      }
    },
  };
}
