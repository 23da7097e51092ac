// The embedded default of `npm start`: both sandboxes in this process, one demo tenant in each, demo data, and the
// WMS's webhooks pointed at our receiver, so the product runs end to end with zero configuration.
import { randomBytes } from 'node:crypto';
import got from 'got';
import type { Tenant } from '../config/tenants';
import { settingsSchema } from '../domain/settings';
import { startFortnoxSandbox } from '../simulators/fortnox/server';
import { startWmsSandbox } from '../simulators/wms/server';

export interface EmbeddedSandboxes {
  fortnoxUrl: string;
  wmsUrl: string;
  tenant: Tenant;
  close(): Promise<void>;
}

export interface EmbeddedSandboxOptions {
  fortnoxPort: number;
  wmsPort: number;
  webhookUrl: (tenantId: string) => string;
  /** Walk orders across the warehouse floor by themselves, for the demo. */
  autopilotStepMs?: number;
  seed?: boolean;
}

export const DEMO_TENANT_ID = 'demo';

export async function startEmbeddedSandboxes(options: EmbeddedSandboxOptions): Promise<EmbeddedSandboxes> {
  const fortnox = await startFortnoxSandbox({ port: options.fortnoxPort });
  const wms = await startWmsSandbox({
    port: options.wmsPort,
    autopilot: options.autopilotStepMs ? { enabled: true, stepMs: options.autopilotStepMs } : undefined,
  });
  const fortnoxTenant = await got.post(`${fortnox.url}/_sandbox/tenants`, { json: { lager: false, companyName: 'Demo Goods AB' } })
    .json<{ tenantId: string; clientId: string; clientSecret: string }>();
  const goodsOwner = await got.post(`${wms.url}/_sandbox/goods-owners`, { json: { name: 'Demo Goods AB' } })
    .json<{ goodsOwnerId: number; username: string; password: string; warehouse: string }>();
  const webhookSecret = randomBytes(24).toString('hex');
  await got.put(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/webhooks`, {
    json: { url: options.webhookUrl(DEMO_TENANT_ID), secret: webhookSecret, events: ['orderCreated', 'orderPicked', 'orderStatusChanged'], statuses: [450, 1000] },
  });
  if (options.seed !== false) {
    await got.post(`${fortnox.url}/_sandbox/tenants/${fortnoxTenant.tenantId}/seed`, { json: {} });
    await got.post(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/seed`, { json: {} });
  }
  const tenant: Tenant = {
    id: DEMO_TENANT_ID,
    name: 'Demo Goods AB (sandbox)',
    fortnox: {
      apiBaseUrl: fortnox.url,
      authBaseUrl: fortnox.url,
      auth: {
        mode: 'client_credentials',
        clientId: fortnoxTenant.clientId,
        clientSecret: fortnoxTenant.clientSecret,
        tenantId: fortnoxTenant.tenantId,
        scope: 'article order invoice supplier customer companyinformation settings warehouse',
      },
    },
    wms: {
      baseUrl: `${wms.url}/${goodsOwner.warehouse}`,
      username: goodsOwner.username,
      password: goodsOwner.password,
      goodsOwnerId: goodsOwner.goodsOwnerId,
      webhookSecret,
    },
    // The demo syncs every minute so a newcomer sees orders move without waiting a quarter of an hour.
    settings: settingsSchema.parse({ syncInterval: '1m', syncOverlap: '1m' }),
  };
  return {
    fortnoxUrl: fortnox.url,
    wmsUrl: wms.url,
    tenant,
    close: async () => {
      await Promise.all([fortnox.close(), wms.close()]);
    },
  };
}
