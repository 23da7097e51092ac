// The integration's activities as two sets, one per kind of task queue. Everything that talks to Fortnox is in the
// Fortnox set and is registered only on each tenant's `fortnox:<tenant>` queue, where the server's dispatch limit
// keeps the tenant under Fortnox's rate limit across every worker process; the main set (the WMS, Temporal, the
// worker's settings) is registered only on the main queue. Workflows reach them through workflows/proxies.ts, whose
// types come from here, so a Fortnox call through the main queue does not compile.
import type { Client } from '@temporalio/client';
import { createArticleActivities } from './articles';
import { createBillingInvoiceActivities, createBillingReadActivities } from './billing';
import { createFortnoxOrderActivities, createWmsOrderActivities } from './orders';
import { createOrderStartActivities, createOrderSyncActivities } from './order-sync';
import { createPurchaseOrderActivities } from './purchase-orders';
import { createStockActivities, createStockReportWmsActivities } from './stock';
import { createSupplierActivities, createSupplierWmsActivities } from './suppliers';
import { createSyncCursorActivities } from './sync-cursor';
import { createTenantSettingsActivities } from './tenant-settings';
import { createStatusPollActivities } from './wms-status-poll';
import type { TenantRegistry } from './tenant-registry';

export interface ActivityDependencies {
  registry: TenantRegistry;
  /** A Temporal client, for activities that start or signal workflows. */
  temporal: () => Client;
  /** The task queue order workflows run on. */
  taskQueue: string;
}

/** The main queue's activities: the WMS, Temporal and the worker's settings; none of them calls Fortnox. */
export function createMainActivities({ registry, temporal, taskQueue }: ActivityDependencies) {
  return {
    ...createWmsOrderActivities(registry),
    ...createOrderStartActivities(temporal, taskQueue),
    ...createBillingReadActivities(registry),
    ...createSyncCursorActivities(temporal),
    ...createStatusPollActivities(registry, temporal),
    ...createTenantSettingsActivities(registry),
    ...createSupplierWmsActivities(registry),
    ...createStockReportWmsActivities(registry),
  };
}

/** A tenant's Fortnox queue's activities: every activity that calls Fortnox (and may call the WMS or Temporal too). */
export function createFortnoxActivities({ registry, temporal, taskQueue }: ActivityDependencies) {
  return {
    ...createFortnoxOrderActivities(registry),
    ...createOrderSyncActivities(registry, temporal, taskQueue),
    ...createBillingInvoiceActivities(registry),
    ...createArticleActivities(registry),
    ...createSupplierActivities(registry),
    ...createStockActivities(registry),
    ...createPurchaseOrderActivities(registry),
  };
}

export type MainActivities = ReturnType<typeof createMainActivities>;
export type FortnoxActivities = ReturnType<typeof createFortnoxActivities>;
