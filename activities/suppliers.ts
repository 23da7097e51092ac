// The supplier sync's activity. Ongoing REST v1 has no supplier register, so a Fortnox supplier reaches the WMS as the
// supplierInfo of its articles: a supplier new or changed since the cursor rewrites the articles that carry it under
// an old name, each from a fresh read of the Fortnox article. Nothing here calls a supplier endpoint of the WMS.
import { Context } from '@temporalio/activity';
import {
  articleAction,
  articlesWithStaleSupplier,
  withSupplierName,
  type FortnoxSupplierFacts,
} from '../domain/articles';
import { patiently, wmsArticlesByNumber, wmsFacts } from './articles';
import { FORTNOX_MAX_PAGE_SIZE } from './fortnox/client';
import { FortnoxError } from './fortnox/errors';
import type { TenantRegistry } from './tenant-registry';
import { activityFortnox } from './activity-fortnox';

export interface SupplierSyncResult {
  listedAt: string;
  /** Suppliers new or changed in Fortnox since the cursor. */
  listed: number;
  /** WMS articles whose supplierInfo was rewritten. */
  articlesUpdated: number;
  /** Articles that carried a changed supplier but already agreed once read fresh (or left the warehouse). */
  articlesUnchanged: number;
}

/** A page of the Fortnox suppliers changed since the cursor (number and name: all the WMS keeps of one). */
export interface SupplierListPage {
  suppliers: FortnoxSupplierFacts[];
  totalPages: number;
}

/** A WMS article whose supplierInfo names a changed supplier under an old name, and that supplier. */
export interface StaleSupplierArticle {
  articleNumber: string;
  supplier: FortnoxSupplierFacts;
}

/** The supplier sync's Fortnox activities, for the tenant's Fortnox queue: one Fortnox request each (but the old one). */
export function createSupplierActivities(registry: TenantRegistry) {
  const fortnoxOf = (tenantId: string) => activityFortnox(registry, tenantId);
  return {
    /** One page of the Fortnox suppliers changed since `since` (null: all): one request. */
    async listChangedSuppliersPage(tenantId: string, since: string | null, page: number): Promise<SupplierListPage> {
      const answer = await fortnoxOf(tenantId).listSuppliers({
        lastModifiedSince: since ? new Date(since) : undefined,
        page,
        limit: FORTNOX_MAX_PAGE_SIZE,
      });
      return {
        suppliers: answer.items.map((s) => ({ SupplierNumber: s.SupplierNumber, Name: s.Name })),
        totalPages: answer.totalPages,
      };
    },

    /**
     * Rewrites one WMS article's supplierInfo from a fresh read of the Fortnox article (one request), with the
     * supplier's current name. Idempotent: it decides on fresh reads of both sides.
     */
    async rewriteArticleSupplier(
      tenantId: string,
      articleNumber: string,
      supplier: FortnoxSupplierFacts,
    ): Promise<'updated' | 'unchanged' | 'gone'> {
      let article;
      try {
        article = await fortnoxOf(tenantId).getArticle(articleNumber);
      } catch (err) {
        // Deleted in Fortnox since: the article sync retires nothing it cannot read either.
        if (err instanceof FortnoxError && err.status === 404) return 'gone';
        throw err;
      }
      const wms = registry.wms(tenantId);
      const existing = await wms.getArticleByNumber(articleNumber);
      const action = articleAction(withSupplierName(article, supplier), existing && wmsFacts(existing));
      if (action.kind !== 'upsert' && action.kind !== 'retire') return 'unchanged';
      await wms.upsertArticle(action.draft);
      return 'updated';
    },

    /**
     * The whole sync in one activity: every page and a request per stale article. Kept for runs scheduled before the
     * workflow walked the pages and articles itself.
     */
    async syncChangedSuppliers(tenantId: string, since: string | null): Promise<SupplierSyncResult> {
      const fortnox = registry.fortnox(tenantId);
      const wms = registry.wms(tenantId);
      const listedAt = new Date().toISOString();
      const result: SupplierSyncResult = { listedAt, listed: 0, articlesUpdated: 0, articlesUnchanged: 0 };
      const changed = await patiently(() =>
        fortnox.listAllSuppliers({ lastModifiedSince: since ? new Date(since) : undefined }),
      );
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
    },
  };
}

/** The supplier sync's WMS side, for the main queue: which WMS articles carry a changed supplier under an old name. */
export function createSupplierWmsActivities(registry: TenantRegistry) {
  return {
    async findArticlesWithStaleSupplier(
      tenantId: string,
      changed: FortnoxSupplierFacts[],
    ): Promise<StaleSupplierArticle[]> {
      const held = await wmsArticlesByNumber(registry.wms(tenantId));
      const stale = articlesWithStaleSupplier(changed, [...held.values()].map(wmsFacts));
      return [...stale].map(([articleNumber, supplier]) => ({ articleNumber, supplier }));
    },
  };
}
