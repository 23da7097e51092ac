// The tenant's settings as the worker holds them now, for workflow code, which may not read configuration itself: an
// order at continue-as-new, the status poll, the syncs. A module of its own, so the order workflow can import its type
// without importing the order sync's activities (which start order workflows: that import would be a cycle).
import type { TenantRegistry } from './tenant-registry';

export type TenantSettingsActivities = ReturnType<typeof createTenantSettingsActivities>;

export function createTenantSettingsActivities(registry: TenantRegistry) {
  return {
    async getTenantSettings(tenantId: string) {
      return registry.get(tenantId).settings;
    },
  };
}
