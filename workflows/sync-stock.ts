// The stock-level sync, run per tenant by a Temporal Schedule at the end of each sync interval: makes Fortnox's stock
// equal the warehouse's (article register without Lager, custom warehouse documents with Lager).
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { StockSyncResult } from '../activities/stock';
import { fortnoxTaskQueue } from '../domain/names';

export interface SyncStockInput {
  tenantId: string;
}

export async function syncStockWorkflow({ tenantId }: SyncStockInput): Promise<StockSyncResult> {
  const fortnox = proxyActivities<Activities>({
    taskQueue: fortnoxTaskQueue(tenantId),
    startToCloseTimeout: '30 minutes',
    // It beats between calls: a run on a killed worker is retried within a minute, not left to the 30-minute timeout.
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes' },
  });
  // The run's start time numbers its documents: every retry of the activity replaces or finishes the same ones.
  const runStartedAtMs = workflowInfo().runStartTime.getTime();
  const result = await fortnox.syncStockLevels(tenantId, runStartedAtMs);
  log.info('stock sync done', { tenantId, ...result });
  return result;
}
