// The supplier sync's activity. Ongoing REST v1 has no supplier register, so a Fortnox supplier reaches the WMS as the
// supplierInfo of its articles: a supplier new or changed since the cursor rewrites the articles that carry it under
// an old name, each from a fresh read of the Fortnox article. Nothing here calls a supplier endpoint of the WMS.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { articleAction, articlesWithStaleSupplier, withSupplierName } from '../domain/articles';
import { patiently, wmsArticlesByNumber, wmsFacts } from './articles';
import { FortnoxError, toApplicationFailure as fortnoxFailure } from './fortnox/errors';
import type { TenantRegistry } from './tenant-registry';
import { toApplicationFailure as wmsFailure, WmsError } from './wms/errors';

export interface SupplierSyncResult {
  listedAt: string;
  /** Suppliers new or changed in Fortnox since the cursor. */
  listed: number;
  /** WMS articles whose supplierInfo was rewritten. */
  articlesUpdated: number;
  /** Articles that carried a changed supplier but already agreed once read fresh (or left the warehouse). */
  articlesUnchanged: number;
}

export function createSupplierActivities(registry: TenantRegistry) {
  return {
    async syncChangedSuppliers(tenantId: string, since: string | null): Promise<SupplierSyncResult> {
      const fortnox = registry.fortnox(tenantId);
      const wms = registry.wms(tenantId);
      const listedAt = new Date().toISOString();
      const result: SupplierSyncResult = { listedAt, listed: 0, articlesUpdated: 0, articlesUnchanged: 0 };
      try {
        const changed = await patiently(() => fortnox.listAllSuppliers({ lastModifiedSince: since ? new Date(since) : undefined }));
        result.listed = changed.length;
        if (changed.length === 0) return result;
        const held = await wmsArticlesByNumber(wms);
        const stale = articlesWithStaleSupplier(changed, [...held.values()].map(wmsFacts));
        for (const [articleNumber, supplier] of stale) {
          Context.current().heartbeat(result);
          let article;
          try {
            article = await patiently(() => fortnox.getArticle(articleNumber));
          } catch (err) {
            // Deleted in Fortnox since: the article sync retires nothing it cannot read either.
            if (err instanceof FortnoxError && err.status === 404) continue;
            throw err;
          }
          const existing = held.get(articleNumber);
          const action = articleAction(withSupplierName(article, supplier), existing && wmsFacts(existing));
          if (action.kind === 'upsert' || action.kind === 'retire') {
            await wms.upsertArticle(action.draft);
            result.articlesUpdated++;
          } else {
            result.articlesUnchanged++;
          }
        }
        return result;
      } catch (err) {
        if (err instanceof ApplicationFailure) throw err;
        if (err instanceof FortnoxError) throw fortnoxFailure(err);
        if (err instanceof WmsError) throw wmsFailure(err);
        throw err;
      }
    },
  };
}
