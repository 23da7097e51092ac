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
  /** Our tenant id (default "demo"). */
  tenantId?: string;
  lager?: boolean;
  allowNegativeStock?: boolean;
  /** Compress the WMS's one-day webhook retry schedule (tests). */
  webhookRetryScheduleMs?: number[];
}

export const DEMO_TENANT_ID = 'demo';

interface SeededArticle {
  ArticleNumber: string;
  Description: string;
  EAN: string;
  Unit: string;
  Weight: number | null;
  QuantityInStock: number;
}

/**
 * Demo data on both sides as a goods owner's first day would have it: Fortnox holds customers, articles with opening
 * stock and confirmed orders; the warehouse already knows the articles and holds the same stock on its shelves.
 */
async function seedBothSides(
  fortnoxUrl: string,
  fortnoxTenantId: string,
  wmsUrl: string,
  goodsOwner: { goodsOwnerId: number; username: string; password: string; warehouse: string },
): Promise<void> {
  await got.post(`${fortnoxUrl}/_sandbox/tenants/${fortnoxTenantId}/seed`, { json: {} });
  const { articles } = await got(`${fortnoxUrl}/_sandbox/tenants/${fortnoxTenantId}/state`).json<{ articles: SeededArticle[] }>();
  const auth = { username: goodsOwner.username, password: goodsOwner.password };
  for (const article of articles) {
    await got.put(`${wmsUrl}/${goodsOwner.warehouse}/api/v1/articles`, {
      ...auth,
      json: {
        goodsOwnerId: goodsOwner.goodsOwnerId,
        articleNumber: article.ArticleNumber,
        articleName: article.Description,
        unitCode: article.Unit || undefined,
        barCodeInfo: article.EAN ? { barCode: article.EAN } : undefined,
        weight: article.Weight != null ? article.Weight / 1000 : undefined, // Fortnox: grams; WMS: kg
        isStockArticle: true,
      },
    });
    await got.post(`${wmsUrl}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/stock-adjustments`, {
      json: { articleNumber: article.ArticleNumber, count: Math.max(0, article.QuantityInStock), reason: 'count' },
    });
  }
}

export async function startEmbeddedSandboxes(options: EmbeddedSandboxOptions): Promise<EmbeddedSandboxes> {
  const tenantId = options.tenantId ?? DEMO_TENANT_ID;
  const fortnox = await startFortnoxSandbox({ port: options.fortnoxPort });
  const wms = await startWmsSandbox({
    port: options.wmsPort,
    webhookRetryScheduleMs: options.webhookRetryScheduleMs,
    autopilot: options.autopilotStepMs ? { enabled: true, stepMs: options.autopilotStepMs } : undefined,
  });
  const fortnoxTenant = await got.post(`${fortnox.url}/_sandbox/tenants`, {
    json: { lager: options.lager ?? false, allowNegativeStock: options.allowNegativeStock ?? false, companyName: 'Demo Goods AB' },
  })
    .json<{ tenantId: string; clientId: string; clientSecret: string }>();
  const goodsOwner = await got.post(`${wms.url}/_sandbox/goods-owners`, { json: { name: 'Demo Goods AB' } })
    .json<{ goodsOwnerId: number; username: string; password: string; warehouse: string }>();
  const webhookSecret = randomBytes(24).toString('hex');
  await got.put(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/webhooks`, {
    json: { url: options.webhookUrl(tenantId), secret: webhookSecret, events: ['orderCreated', 'orderPicked', 'orderStatusChanged'], statuses: [300, 450, 1000] },
  });
  if (options.seed !== false) await seedBothSides(fortnox.url, fortnoxTenant.tenantId, wms.url, goodsOwner);
  const tenant: Tenant = {
    id: tenantId,
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
