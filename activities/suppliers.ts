// The supplier registry sync's activity: Fortnox suppliers new or changed since the cursor → the WMS supplier registry,
// skipping those the WMS already holds exactly, so a rerun writes nothing.
import { Context } from '@temporalio/activity';
import { toWmsSupplier, wmsSupplierAgrees } from '../domain/articles';
import { patiently } from './articles';
import { FortnoxError, toApplicationFailure as fortnoxFailure } from './fortnox/errors';
import type { TenantRegistry } from './tenant-registry';
import { toApplicationFailure as wmsFailure, WmsError } from './wms/errors';

export interface SupplierSyncResult {
  listedAt: string;
  listed: number;
  upserted: number;
  unchanged: number;
}

export function createSupplierActivities(registry: TenantRegistry) {
  return {
    async syncChangedSuppliers(tenantId: string, since: string | null): Promise<SupplierSyncResult> {
      const fortnox = registry.fortnox(tenantId);
      const wms = registry.wms(tenantId);
      const listedAt = new Date().toISOString();
      try {
        const listed = await patiently(() => fortnox.listAllSuppliers({ lastModifiedSince: since ? new Date(since) : undefined }));
        const held = new Map((await wms.listSuppliers()).map((s) => [s.supplierNumber, s]));
        let upserted = 0;
        let unchanged = 0;
        for (const item of listed) {
          // The list item lacks CountryCode and Phone1: read the supplier itself, only for those that changed.
          const supplier = await patiently(() => fortnox.getSupplier(item.SupplierNumber));
          const draft = toWmsSupplier(supplier);
          const existing = held.get(draft.supplierNumber);
          if (existing && wmsSupplierAgrees(draft, existing)) {
            unchanged++;
          } else {
            await wms.upsertSupplier(draft);
            upserted++;
          }
          Context.current().heartbeat({ upserted, unchanged });
        }
        return { listedAt, listed: listed.length, upserted, unchanged };
      } catch (err) {
        if (err instanceof FortnoxError) throw fortnoxFailure(err);
        if (err instanceof WmsError) throw wmsFailure(err);
        throw err;
      }
    },
  };
}
