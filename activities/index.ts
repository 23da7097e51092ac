// All activities, created with their dependencies. Workflows import only the `Activities` type from here.
import type { Client } from '@temporalio/client';
import { createOrderActivities } from './orders';
import { createOrderSyncActivities } from './order-sync';
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
  };
}

export type Activities = ReturnType<typeof createActivities>;
