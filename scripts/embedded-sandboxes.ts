// The embedded default of `npm start`: both sandboxes in this process, one demo tenant in each, demo data, and the
// WMS's webhooks pointed at our receiver, so the product runs end to end with zero configuration.
import { randomBytes } from 'node:crypto';
import got from 'got';
import { FortnoxClient } from '../activities/fortnox/client';
import { MemoryTokenStore } from '../activities/fortnox/token-store';
import type { Tenant, TenantBilling } from '../config/tenants';
import type { FeeMapping } from '../domain/billing';
import { settingsSchema } from '../domain/settings';
import { startFortnoxSandbox } from '../simulators/fortnox/server';
import { startWmsSandbox } from '../simulators/wms/server';

export interface EmbeddedSandboxes {
  fortnoxUrl: string;
  wmsUrl: string;
  /** Every access and refresh token the Fortnox sandbox has issued (for the secrets scan). */
  issuedFortnoxTokens(): string[];
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
  /** The Fortnox sandbox's rate limit (default Fortnox's 25 / 5 s); false turns it off, e.g. to seed large registries. */
  fortnoxRateLimit?: { requests: number; windowMs: number } | false;
  /**
   * 3PL invoicing (default on): a second Fortnox tenant in the same sandbox plays the 3PL's own Fortnox, with the
   * goods owner as a customer. Override the fee mapping or the rows per invoice (tests).
   */
  billing?: false | { feeMapping?: FeeMapping; maxRowsPerInvoice?: number };
}

/** The demo's fee mapping: every WMS fee code as a service row on the 3PL's sales account for services (25 % VAT). */
export const DEMO_FEE_MAPPING: FeeMapping = {
  STORAGE: { description: 'Lagerhållning (dagar)', unit: 'dag', vat: 25, accountNumber: 3041 },
  ORDER: { description: 'Orderhantering', unit: 'st', vat: 25, accountNumber: 3041 },
  PICKLINE: { description: 'Plockrader', unit: 'st', vat: 25, accountNumber: 3041 },
  PARCEL: { description: 'Kollin', unit: 'st', vat: 25, accountNumber: 3041 },
  INBOUND: { description: 'Inleveransrader', unit: 'st', vat: 25, accountNumber: 3041 },
  ADJUSTMENT: { description: 'Lagerjusteringar', unit: 'st', vat: 25, accountNumber: 3041 },
};

/** The 3PL's own Fortnox as a second sandbox tenant, with the goods owner registered there as a customer. */
async function startThirdPartyLogisticsFortnox(
  fortnoxUrl: string,
  options: Exclude<EmbeddedSandboxOptions['billing'], false | undefined>,
): Promise<TenantBilling> {
  const own = await got.post(`${fortnoxUrl}/_sandbox/tenants`, { json: { lager: false, companyName: 'Demo 3PL Lager AB' } })
    .json<{ tenantId: string; clientId: string; clientSecret: string }>();
  const auth = { mode: 'client_credentials' as const, clientId: own.clientId, clientSecret: own.clientSecret, tenantId: own.tenantId,
    scope: 'article order invoice supplier customer companyinformation settings warehouse' };
  const fortnox = { apiBaseUrl: fortnoxUrl, authBaseUrl: fortnoxUrl, auth };
  const client = new FortnoxClient({ ...fortnox, tenantKey: `3pl-setup-${own.tenantId}`, tokenStore: new MemoryTokenStore() });
  const customer = await client.createCustomer({ Name: 'Demo Goods AB', Address1: 'Lagervägen 1', ZipCode: '123 45', City: 'Stockholm' });
  return {
    fortnox,
    customerNumber: customer.CustomerNumber,
    feeMapping: options.feeMapping ?? DEMO_FEE_MAPPING,
    maxRowsPerInvoice: options.maxRowsPerInvoice ?? 500,
  };
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
  const fortnox = await startFortnoxSandbox({ port: options.fortnoxPort, rateLimit: options.fortnoxRateLimit });
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
  const billing = options.billing === false ? undefined : await startThirdPartyLogisticsFortnox(fortnox.url, options.billing ?? {});
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
    ...(billing ? { billing } : {}),
  };
  return {
    fortnoxUrl: fortnox.url,
    wmsUrl: wms.url,
    issuedFortnoxTokens: () => [...fortnox.state.accessTokens.keys(), ...fortnox.state.refreshTokens.keys()],
    tenant,
    close: async () => {
      await Promise.all([fortnox.close(), wms.close()]);
    },
  };
}
