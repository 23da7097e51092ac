// The supplier sync, run per tenant by a Temporal Schedule: Fortnox suppliers new or changed since the previous run's
// cursor (minus an overlap; the first run: all) → the supplierInfo of their articles in the WMS (Ongoing has no
// supplier register). The workflow lists a page per activity (one Fortnox request), asks the WMS which of its articles
// carry a changed supplier under an old name, and rewrites each in its own activity (one Fortnox read), so every
// Fortnox activity is one request and the tenant queue's limit holds across worker processes.
import { continueAsNew, log, patched, workflowInfo } from '@temporalio/workflow';
import { fortnoxActivities, mainActivities, profiles } from './proxies';
import type { StaleSupplierArticle } from '../activities/suppliers';
import { sinceWithOverlap } from '../domain/duration';
import { suppliersScheduleId } from '../domain/names';

/** Where a run continued as new left off: the articles still to rewrite, and the counts so far. */
export interface SupplierSyncPosition {
  listedAt: string;
  listed: number;
  articlesUpdated: number;
  articlesUnchanged: number;
  remaining: StaleSupplierArticle[];
}

export interface SyncSuppliersInput {
  tenantId: string;
  /** Set by the sync itself when it continues as new. */
  position?: SupplierSyncPosition;
}

export interface SyncSuppliersResult {
  cursor: string;
  listed: number;
  articlesUpdated: number;
  articlesUnchanged: number;
}

/** Articles rewritten at once, and per run (a run's history stays in the low thousands of events). */
const ARTICLES_AT_ONCE = 50;
const ARTICLES_PER_RUN = 1000;

const local = mainActivities(profiles.syncStep);

export async function syncSuppliersWorkflow({ tenantId, position }: SyncSuppliersInput): Promise<SyncSuppliersResult> {
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxRequest);
  let at = position;
  if (!at) {
    const settings = await local.getTenantSettings(tenantId);
    // The schedule hands over the previous run's result; when it does not, it is looked up on the schedule.
    const previous = (workflowInfo().lastResult ??
      (await local.previousScheduledResult(suppliersScheduleId(tenantId), workflowInfo().runId))) as
      SyncSuppliersResult | null | undefined;
    const since = sinceWithOverlap(previous?.cursor, settings.syncOverlap);
    // One request per activity (patched: runs scheduled before synced everything in one activity of many requests).
    if (!patched('suppliers-one-request-per-activity')) {
      const { listedAt, ...counts } = await fortnoxActivities(
        tenantId,
        profiles.fortnoxSupplierSync,
      ).syncChangedSuppliers(tenantId, since);
      log.info('supplier sync done', { tenantId, since, ...counts });
      return { cursor: listedAt, ...counts };
    }
    // Listed from now: a supplier changed while the sync runs is listed again by the next run.
    const listedAt = new Date().toISOString();
    const changed = [];
    for (let page = 1, pages = 1; page <= pages; page++) {
      const answer = await fortnox.listChangedSuppliersPage(tenantId, since, page);
      changed.push(...answer.suppliers);
      pages = answer.totalPages;
    }
    const remaining = changed.length ? await local.findArticlesWithStaleSupplier(tenantId, changed) : [];
    at = { listedAt, listed: changed.length, articlesUpdated: 0, articlesUnchanged: 0, remaining };
  }

  const counts = { articlesUpdated: at.articlesUpdated, articlesUnchanged: at.articlesUnchanged };
  const now = at.remaining.slice(0, ARTICLES_PER_RUN);
  for (let i = 0; i < now.length; i += ARTICLES_AT_ONCE) {
    const outcomes = await Promise.all(
      now
        .slice(i, i + ARTICLES_AT_ONCE)
        .map(({ articleNumber, supplier }) => fortnox.rewriteArticleSupplier(tenantId, articleNumber, supplier)),
    );
    for (const outcome of outcomes) {
      if (outcome === 'updated') counts.articlesUpdated++;
      else if (outcome === 'unchanged') counts.articlesUnchanged++;
    }
  }
  if (at.remaining.length > now.length) {
    return continueAsNew<typeof syncSuppliersWorkflow>({
      tenantId,
      position: { ...at, ...counts, remaining: at.remaining.slice(now.length) },
    });
  }
  log.info('supplier sync done', { tenantId, listed: at.listed, ...counts });
  return { cursor: at.listedAt, listed: at.listed, ...counts };
}
