// The article registry sync, run per tenant by a Temporal Schedule: Fortnox stock goods changed since the previous
// run's cursor (minus an overlap; the first run: all articles) → WMS articles, in one long heartbeating activity that
// resumes where it stopped after a crash.
import { log, workflowInfo } from '@temporalio/workflow';
import { fortnoxActivities, mainActivities, profiles } from './proxies';
import type { ArticleSyncCounts } from '../activities/articles';
import { durationMs } from '../domain/duration';
import { articlesScheduleId } from '../domain/names';

export interface SyncArticlesInput {
  tenantId: string;
}

export interface SyncArticlesResult extends ArticleSyncCounts {
  /** ISO time the next run lists from (before subtracting the overlap). */
  cursor: string;
  resumed: number;
}

const local = mainActivities(profiles.syncStep);

export async function syncArticlesWorkflow({ tenantId }: SyncArticlesInput): Promise<SyncArticlesResult> {
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxArticleSync);
  const settings = await local.getTenantSettings(tenantId);
  // The schedule hands over the previous run's result; when it does not, it is looked up on the schedule.
  const previous = (workflowInfo().lastResult ??
    await local.previousScheduledResult(articlesScheduleId(tenantId), workflowInfo().runId)) as SyncArticlesResult | null | undefined;
  const since = previous?.cursor
    ? new Date(new Date(previous.cursor).getTime() - durationMs(settings.syncOverlap)).toISOString()
    : null;
  const { listedAt, ...counts } = await fortnox.syncChangedArticles(tenantId, since);
  log.info('article sync done', { tenantId, since, ...counts });
  return { cursor: listedAt, ...counts };
}
