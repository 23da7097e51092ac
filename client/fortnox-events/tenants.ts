// Which tenants the event listener carries, and what it needs of each: the tenants with fortnoxEvents on and the order
// process on, their integration's client secret, a fresh access token from the shared token store (the same chain the
// worker refreshes), and whether Lager is on (stock-balance events are only worth a topic then).
import type { Logger } from 'pino';
import { ConfigError } from '../../config';
import type { Tenant } from '../../config/tenants';
import type { TenantRegistry } from '../../activities/tenant-registry';
import { orderWorkflowSettings } from '../../domain/order-settings';
import type { EventTenant } from './listener';

/** The tenants whose orders come by Fortnox events (the rest wait for their order sync). */
export function tenantsWithEvents(tenants: Tenant[]): Tenant[] {
  return tenants.filter((t) => t.settings.fortnoxEvents === 'on' && t.settings.processes.orders);
}

/**
 * The one event stream those tenants are on (`fortnox.eventsUrl`; undefined: none has events on). One listener, one
 * connection, one set of offsets per deployment: tenants on different streams (real Fortnox and a sandbox) are refused.
 */
export function eventsUrlOf(tenants: Tenant[]): string | undefined {
  const urls = [...new Set(tenantsWithEvents(tenants).map((t) => t.fortnox.eventsUrl))];
  if (urls.length > 1)
    throw new ConfigError([
      `fortnox.eventsUrl: the tenants with fortnoxEvents on use ${urls.length} event streams (${urls.join(', ')}); one deployment listens to one (split the tenants file, or set fortnoxEvents: off for some)`,
    ]);
  return urls[0];
}

export async function eventTenantsOf(
  tenants: Tenant[],
  registry: TenantRegistry,
  logger: Logger,
): Promise<EventTenant[]> {
  return Promise.all(
    tenantsWithEvents(tenants).map(async (tenant): Promise<EventTenant> => {
      const { processes } = tenant.settings;
      let lager = false;
      if (processes.stockLevels) {
        lager = await registry.lagerActive(tenant.id).catch((err: Error) => {
          logger.warn(
            { tenant: tenant.id, err: err.message },
            'cannot tell whether Lager is on; no stock-balance events',
          );
          return false;
        });
      }
      return {
        id: tenant.id,
        clientSecret: tenant.fortnox.auth.clientSecret,
        accessToken: () => registry.fortnox(tenant.id).accessToken(),
        lager,
        orderSettings: orderWorkflowSettings(tenant.settings),
        processes: { articles: processes.articles, suppliers: processes.suppliers, stockLevels: processes.stockLevels },
      };
    }),
  );
}
