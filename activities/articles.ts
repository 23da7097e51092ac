// The article registry sync's activity: walks the Fortnox articles changed since the cursor in a fixed order, asks
// Fortnox for the details of each, and upserts, retires or skips it in the WMS. It heartbeats its position, so a
// retry after a crash resumes after the last finished article instead of starting over.
import { Context } from '@temporalio/activity';
import { articleAction, compareArticleNumbers, type WmsArticleFacts } from '../domain/articles';
import { FORTNOX_MAX_PAGE_SIZE, type FortnoxClient } from './fortnox/client';
import { FortnoxError } from './fortnox/errors';
import type { TenantRegistry } from './tenant-registry';
import type { WmsClient } from './wms/client';
import type { WmsArticle } from './wms/schemas';
import { activityFortnox } from './activity-fortnox';

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
  const listed = await patiently(() =>
    fortnox.listAllArticles({ lastModifiedSince: since ? new Date(since) : undefined }),
  );
  const numbers = [...new Set(listed.map((a) => a.ArticleNumber))].sort(compareArticleNumbers);
  progress.counts.listed = numbers.length;
  const held = await wmsArticlesByNumber(wms);
  const todo =
    progress.after === null ? numbers : numbers.filter((n) => compareArticleNumbers(n, progress.after as string) > 0);

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

/** A page of the Fortnox articles changed since the cursor: their numbers, and how many pages there are. */
export interface ArticleListPage {
  articleNumbers: string[];
  totalPages: number;
}

/** What happened to one article (`gone`: deleted in Fortnox between the listing and its read). */
export type ArticleOutcome = 'upserted' | 'retired' | 'unchanged' | 'ignored' | 'gone';

export function createArticleActivities(registry: TenantRegistry) {
  const fortnoxOf = (tenantId: string) => activityFortnox(registry, tenantId);
  return {
    /** One page of the Fortnox articles changed since `since` (null: all): one request. */
    async listChangedArticlesPage(tenantId: string, since: string | null, page: number): Promise<ArticleListPage> {
      const answer = await fortnoxOf(tenantId).listArticles({
        lastModifiedSince: since ? new Date(since) : undefined,
        page,
        limit: FORTNOX_MAX_PAGE_SIZE,
      });
      return { articleNumbers: answer.items.map((a) => a.ArticleNumber), totalPages: answer.totalPages };
    },

    /**
     * One article to the WMS: one Fortnox request (its details: the list is thin), then the WMS's copy is read and
     * upserted, retired or left alone. Idempotent: it decides on fresh reads of both sides.
     */
    async syncArticle(tenantId: string, articleNumber: string): Promise<ArticleOutcome> {
      let article;
      try {
        article = await fortnoxOf(tenantId).getArticle(articleNumber);
      } catch (err) {
        if (err instanceof FortnoxError && err.status === 404) return 'gone';
        throw err;
      }
      const wms = registry.wms(tenantId);
      const existing = await wms.getArticleByNumber(articleNumber);
      const action = articleAction(article, existing && wmsFacts(existing));
      if (action.kind === 'upsert' || action.kind === 'retire') {
        await wms.upsertArticle(action.draft);
        return action.kind === 'upsert' ? 'upserted' : 'retired';
      }
      return action.kind === 'ignore' ? 'ignored' : 'unchanged';
    },

    /**
     * Syncs every Fortnox article changed since `since` (null: all of them) to the WMS. Long-running: heartbeats after
     * each article with its position, and resumes from the last heartbeat when retried. A request per article in one
     * activity: kept for runs scheduled before the workflow walked pages and articles itself.
     */
    async syncChangedArticles(tenantId: string, since: string | null): Promise<ArticleSyncResult> {
      return walkArticles(registry.fortnox(tenantId), registry.wms(tenantId), since);
    },
  };
}
