// The stock-level sync, run per tenant by a Temporal Schedule at the end of each sync interval: makes Fortnox's stock
// equal the warehouse's (article register without Lager, custom warehouse documents with Lager).
import { log, workflowInfo } from '@temporalio/workflow';
import { fortnoxActivities, profiles } from './proxies';
import type { StockSyncResult } from '../activities/stock';

export interface SyncStockInput {
  tenantId: string;
}

export async function syncStockWorkflow({ tenantId }: SyncStockInput): Promise<StockSyncResult> {
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxStockSync);
  // The run's start time numbers its documents: every retry of the activity replaces or finishes the same ones.
  const runStartedAtMs = workflowInfo().runStartTime.getTime();
  const result = await fortnox.syncStockLevels(tenantId, runStartedAtMs);
  log.info('stock sync done', { tenantId, ...result });
  return result;
}
