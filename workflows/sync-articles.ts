// The article registry sync, run per tenant by a Temporal Schedule: Fortnox stock goods changed since the previous
// run's cursor (minus an overlap; the first run: all articles) → WMS articles. The workflow walks the listing a page at
// a time and each article is its own activity, so every Fortnox activity is one request and the tenant queue's limit
// holds across worker processes; it continues as new after each page, so a registry of any size keeps short histories.
import { continueAsNew, log, patched, workflowInfo } from '@temporalio/workflow';
import { fortnoxActivities, mainActivities, profiles } from './proxies';
import type { ArticleOutcome, ArticleSyncCounts } from '../activities/articles';
import { sinceWithOverlap } from '../domain/duration';
import { articlesScheduleId } from '../domain/names';

/** Where a run continued as new left off: the listing's cursor and time, the next page, the counts so far. */
export interface ArticleSyncPosition {
  since: string | null;
  listedAt: string;
  page: number;
  counts: ArticleSyncCounts;
}

export interface SyncArticlesInput {
  tenantId: string;
  /** Set by the sync itself when it continues as new. */
  position?: ArticleSyncPosition;
}

export interface SyncArticlesResult extends ArticleSyncCounts {
  /** ISO time the next run lists from (before subtracting the overlap). */
  cursor: string;
  /** Attempts of the one-activity form that resumed from a heartbeat (runs from before paging); 0 for paged runs. */
  resumed: number;
  /** Runs this sync took (it continues as new after each page); 1 for the one-activity form. */
  runs?: number;
}

/** Articles synced at once: the queue's rate limit spaces them; this bounds what one workflow task waits on. */
const ARTICLES_AT_ONCE = 50;

const local = mainActivities(profiles.syncStep);

const tally: Record<ArticleOutcome, keyof ArticleSyncCounts | null> = {
  upserted: 'upserted',
  retired: 'retired',
  unchanged: 'unchanged',
  ignored: 'ignored',
  gone: null,
};

export async function syncArticlesWorkflow({ tenantId, position }: SyncArticlesInput): Promise<SyncArticlesResult> {
  let at = position;
  if (!at) {
    const settings = await local.getTenantSettings(tenantId);
    // The schedule hands over the previous run's result; when it does not, it is looked up on the schedule.
    const previous = (workflowInfo().lastResult ??
      (await local.previousScheduledResult(articlesScheduleId(tenantId), workflowInfo().runId))) as
      SyncArticlesResult | null | undefined;
    const since = sinceWithOverlap(previous?.cursor, settings.syncOverlap);
    // One request per activity (patched: runs scheduled before synced everything in one activity of many requests).
    if (!patched('articles-one-request-per-activity')) {
      const { listedAt, ...counts } = await fortnoxActivities(
        tenantId,
        profiles.fortnoxArticleSync,
      ).syncChangedArticles(tenantId, since);
      log.info('article sync done', { tenantId, since, ...counts });
      return { cursor: listedAt, ...counts };
    }
    // Listed from now: an article changed while the sync runs is listed again by the next run.
    at = {
      since,
      listedAt: new Date().toISOString(),
      page: 1,
      counts: { listed: 0, fetched: 0, upserted: 0, retired: 0, unchanged: 0, ignored: 0 },
    };
  }

  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxRequest);
  const counts = { ...at.counts };
  const { articleNumbers, totalPages } = await fortnox.listChangedArticlesPage(tenantId, at.since, at.page);
  counts.listed += articleNumbers.length;
  for (let i = 0; i < articleNumbers.length; i += ARTICLES_AT_ONCE) {
    const outcomes = await Promise.all(
      articleNumbers.slice(i, i + ARTICLES_AT_ONCE).map((n) => fortnox.syncArticle(tenantId, n)),
    );
    for (const outcome of outcomes) {
      if (outcome === 'gone') continue;
      counts.fetched++;
      counts[tally[outcome]!]++;
    }
  }
  if (at.page < totalPages) {
    return continueAsNew<typeof syncArticlesWorkflow>({ tenantId, position: { ...at, page: at.page + 1, counts } });
  }
  log.info('article sync done', { tenantId, since: at.since, pages: at.page, ...counts });
  return { cursor: at.listedAt, ...counts, resumed: 0, runs: at.page };
}
