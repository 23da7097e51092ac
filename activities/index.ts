// All activities, created with their dependencies. Workflows import only the `Activities` type from here, except the
// order workflow: order-sync and order-start import it (to start it), so it imports its activities' types from their
// own modules (OrderActivities, TenantSettingsActivities) rather than import back (test/tooling/import-cycles.test.ts).
import type { Client } from '@temporalio/client';
import { createArticleActivities } from './articles';
import { createBillingActivities } from './billing';
import { createOrderActivities } from './orders';
import { createOrderSyncActivities } from './order-sync';
import { createPurchaseOrderActivities } from './purchase-orders';
import { createStockActivities } from './stock';
import { createSupplierActivities } from './suppliers';
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

export function createActivities({ registry, temporal, taskQueue }: ActivityDependencies) {
  return {
    ...createOrderActivities(registry),
    ...createOrderSyncActivities(registry, temporal, taskQueue),
    ...createBillingActivities(registry),
    ...createArticleActivities(registry),
    ...createSupplierActivities(registry),
    ...createStockActivities(registry),
    ...createPurchaseOrderActivities(registry),
    ...createSyncCursorActivities(temporal),
    ...createStatusPollActivities(registry, temporal),
    ...createTenantSettingsActivities(registry),
  };
}

export type Activities = ReturnType<typeof createActivities>;
