// The embedded default of `npm start`: both sandboxes in this process, one demo tenant in each, demo data, and the
// WMS's webhooks pointed at our receiver, so the product runs end to end with zero configuration. With a data
// directory the sandboxes keep their state there, and a restart carries on with the same demo tenant.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import got from 'got';
import { FortnoxClient } from '../activities/fortnox/client';
import { MemoryTokenStore } from '../activities/fortnox/token-store';
import type { Tenant, TenantBilling } from '../config/tenants';
import type { FeeMapping } from '../domain/fee-mapping';
import type { PriceList } from '../domain/billing-sources';
import { settingsSchema } from '../domain/settings';
import { startFortnoxSandbox, type SandboxState } from '../simulators/fortnox/server';
import { startWmsSandbox } from '../simulators/wms/server';
import type { WmsSandboxState } from '../simulators/wms/state';

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
  /**
   * false: the WMS sends no webhooks and the tenant has them off (`wms.webhook.auth: off`), so orders move only by the
   * status-change poll and the reconciliation timer, as for a 3PL that never configures webhooks. Default true.
   */
  webhooks?: boolean;
  /** The Fortnox sandbox's rate limit (default Fortnox's 25 / 5 s); false turns it off, e.g. to seed large registries. */
  fortnoxRateLimit?: { requests: number; windowMs: number } | false;
  /**
   * 3PL invoicing (default on): a second Fortnox tenant in the same sandbox plays the 3PL's own Fortnox, with the
   * goods owner as a customer. Override the fee mapping, the price list, the per-order charges or the rows per invoice
   * (tests).
   */
  billing?:
    false | { feeMapping?: FeeMapping; priceList?: PriceList; orderCharges?: boolean; maxRowsPerInvoice?: number };
  /**
   * Keep both sandboxes' state in `<dataDir>/sandboxes/{fortnox,wms}.json`. When both come back with the demo tenant
   * and goods owner, those are reused (same ids, credentials and webhook credentials) and nothing is seeded again.
   */
  dataDir?: string;
}

/**
 * The demo's fee mapping: every fee code as a service row on the 3PL's sales account for services (25 % VAT). ORDER,
 * PICKLINE and PARCEL are the WMS sandbox's invoice articles (charged per sent order); the others the price list's.
 */
export const DEMO_FEE_MAPPING: FeeMapping = {
  ORDER: { description: 'Orderhantering', unit: 'st', vat: 25, accountNumber: 3041 },
  PICKLINE: { description: 'Plockrader', unit: 'st', vat: 25, accountNumber: 3041 },
  PARCEL: { description: 'Kollin', unit: 'st', vat: 25, accountNumber: 3041 },
  STORAGE: { description: 'Lagerhållning, artiklar i lager', unit: 'st', vat: 25, accountNumber: 3041 },
  INBOUND: { description: 'Inleveransrader', unit: 'st', vat: 25, accountNumber: 3041 },
  ADJUSTMENT: { description: 'Lagerjusteringar', unit: 'st', vat: 25, accountNumber: 3041 },
};

/** The demo's period charges (SEK excl. VAT): what the 3PL prices itself, on what the WMS's REST API reports. */
export const DEMO_PRICE_LIST: PriceList = {
  STORAGE: { basis: 'itemsInStock', unitPrice: 0.1 },
  INBOUND: { basis: 'receivedPurchaseOrderLines', unitPrice: 4 },
  ADJUSTMENT: { basis: 'inventoryAdjustments', unitPrice: 15 },
};

/** The company names the demo's tenants carry in the sandboxes; a restart finds them again by these. */
const DEMO_COMPANY = 'Demo Goods AB';
const THIRD_PARTY_COMPANY = 'Demo 3PL Lager AB';

interface FortnoxTenantCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}
interface WmsGoodsOwner {
  goodsOwnerId: number;
  username: string;
  password: string;
  warehouse: string;
}

/** The 3PL's own Fortnox as a second sandbox tenant, with the goods owner registered there as a customer. */
async function startThirdPartyLogisticsFortnox(
  fortnoxUrl: string,
  options: Exclude<EmbeddedSandboxOptions['billing'], false | undefined>,
  restored: { tenant: FortnoxTenantCredentials; customerNumber: string } | undefined,
): Promise<TenantBilling> {
  const own =
    restored?.tenant ??
    (await got
      .post(`${fortnoxUrl}/_sandbox/tenants`, { json: { lager: false, companyName: THIRD_PARTY_COMPANY } })
      .json<FortnoxTenantCredentials>());
  const auth = {
    mode: 'client_credentials' as const,
    clientId: own.clientId,
    clientSecret: own.clientSecret,
    tenantId: own.tenantId,
    scope: 'article order invoice supplier customer companyinformation settings warehouse',
  };
  const fortnox = { apiBaseUrl: fortnoxUrl, authBaseUrl: fortnoxUrl, auth };
  let customerNumber = restored?.customerNumber;
  if (customerNumber === undefined) {
    const client = new FortnoxClient({
      ...fortnox,
      tenantKey: `3pl-setup-${own.tenantId}`,
      tokenStore: new MemoryTokenStore(),
    });
    const customer = await client.createCustomer({
      Name: DEMO_COMPANY,
      Address1: 'Lagervägen 1',
      ZipCode: '123 45',
      City: 'Stockholm',
    });
    customerNumber = customer.CustomerNumber;
  }
  return {
    fortnox,
    customerNumber,
    feeMapping: options.feeMapping ?? DEMO_FEE_MAPPING,
    orderCharges: options.orderCharges ?? true,
    priceList: options.priceList ?? DEMO_PRICE_LIST,
    maxRowsPerInvoice: options.maxRowsPerInvoice ?? 500,
  };
}

interface WebhookCredentials {
  username: string;
  password: string;
}

interface RestoredDemo {
  fortnoxTenant: FortnoxTenantCredentials;
  goodsOwner: WmsGoodsOwner;
  /** The Basic credentials the WMS sent with its webhooks; absent when it used another mode (an older data directory). */
  webhook: WebhookCredentials | undefined;
  thirdParty: { tenant: FortnoxTenantCredentials; customerNumber: string } | undefined;
}

/** The demo tenant and goods owner of an earlier run, if both sandboxes came back with them (the latest of each). */
function findRestoredDemo(fortnox: SandboxState, wms: WmsSandboxState): RestoredDemo | undefined {
  const tenants = [...fortnox.tenants.values()];
  const fortnoxTenant = tenants.filter((t) => t.companyName === DEMO_COMPANY).at(-1);
  const goodsOwner = [...wms.goodsOwners.values()].filter((o) => o.name === DEMO_COMPANY).at(-1);
  if (!fortnoxTenant || !goodsOwner) return undefined;
  const own = tenants.filter((t) => t.companyName === THIRD_PARTY_COMPANY).at(-1);
  const customerNumber = own && [...own.customers].find(([, entry]) => entry.data.Name === DEMO_COMPANY)?.[0];
  const webhookAuth = goodsOwner.webhook?.auth;
  const credentials = (t: FortnoxTenantCredentials): FortnoxTenantCredentials => ({
    tenantId: t.tenantId,
    clientId: t.clientId,
    clientSecret: t.clientSecret,
  });
  return {
    fortnoxTenant: credentials(fortnoxTenant),
    goodsOwner: {
      goodsOwnerId: goodsOwner.goodsOwnerId,
      username: goodsOwner.username,
      password: goodsOwner.password,
      warehouse: wms.warehouse,
    },
    webhook:
      webhookAuth?.type === 'basic' ? { username: webhookAuth.username, password: webhookAuth.password } : undefined,
    thirdParty: own && customerNumber !== undefined ? { tenant: credentials(own), customerNumber } : undefined,
  };
}

export const DEMO_TENANT_ID = 'demo';
/** Where `npm start` writes the demo tenant as a tenants file (under DATA_DIR), for the CLI's account commands. */
export const DEMO_TENANTS_FILE = 'demo-tenants.json';

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
  goodsOwner: WmsGoodsOwner,
): Promise<void> {
  await got.post(`${fortnoxUrl}/_sandbox/tenants/${fortnoxTenantId}/seed`, { json: {} });
  const { articles, lager, warehouse } = await got(`${fortnoxUrl}/_sandbox/tenants/${fortnoxTenantId}/state`).json<{
    articles: SeededArticle[];
    lager: boolean;
    warehouse: { stockBalance: Array<{ itemId: string; inStock: number }> };
  }>();
  // With Lager the opening stock lives in the warehouse module, not in the article register.
  const inStock = (article: SeededArticle) =>
    lager
      ? warehouse.stockBalance.filter((b) => b.itemId === article.ArticleNumber).reduce((sum, b) => sum + b.inStock, 0)
      : article.QuantityInStock;
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
      json: { articleNumber: article.ArticleNumber, count: Math.max(0, inStock(article)), reason: 'count' },
    });
  }
}

export async function startEmbeddedSandboxes(options: EmbeddedSandboxOptions): Promise<EmbeddedSandboxes> {
  const tenantId = options.tenantId ?? DEMO_TENANT_ID;
  const persistFile = (name: string) =>
    options.dataDir ? join(options.dataDir, 'sandboxes', `${name}.json`) : undefined;
  const fortnox = await startFortnoxSandbox({
    port: options.fortnoxPort,
    rateLimit: options.fortnoxRateLimit,
    persistFile: persistFile('fortnox'),
  });
  const wms = await startWmsSandbox({
    port: options.wmsPort,
    webhookRetryScheduleMs: options.webhookRetryScheduleMs,
    autopilot: options.autopilotStepMs ? { enabled: true, stepMs: options.autopilotStepMs } : undefined,
    persistFile: persistFile('wms'),
  }).catch(async (error: unknown) => {
    await fortnox.close();
    throw error;
  });
  const restored = findRestoredDemo(fortnox.state, wms.state);
  const fortnoxTenant =
    restored?.fortnoxTenant ??
    (await got
      .post(`${fortnox.url}/_sandbox/tenants`, {
        json: {
          lager: options.lager ?? false,
          allowNegativeStock: options.allowNegativeStock ?? false,
          companyName: DEMO_COMPANY,
        },
      })
      .json<FortnoxTenantCredentials>());
  const goodsOwner =
    restored?.goodsOwner ??
    (await got.post(`${wms.url}/_sandbox/goods-owners`, { json: { name: DEMO_COMPANY } }).json<WmsGoodsOwner>());
  // HTTP Basic, as an administrator types it into Ongoing's webhook form.
  const webhook = restored?.webhook ?? {
    username: `ongoing-${randomBytes(3).toString('hex')}`,
    password: randomBytes(24).toString('base64url'),
  };
  const webhookUrl = options.webhookUrl(tenantId);
  const webhooksOn = options.webhooks !== false;
  // Configured on every start, even when restored: the receiver's port may differ from the last run's.
  if (webhooksOn) {
    await got.put(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/webhooks`, {
      json: {
        url: webhookUrl,
        auth: { type: 'basic', ...webhook },
        events: ['orderCreated', 'orderPicked', 'orderStatusChanged'],
        statuses: [300, 450, 1000],
      },
    });
  } else {
    await got.delete(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/webhooks`);
  }
  if (!restored && options.seed !== false)
    await seedBothSides(fortnox.url, fortnoxTenant.tenantId, wms.url, goodsOwner);
  const billing =
    options.billing === false
      ? undefined
      : await startThirdPartyLogisticsFortnox(fortnox.url, options.billing ?? {}, restored?.thirdParty);
  const tenant: Tenant = {
    id: tenantId,
    name: `${DEMO_COMPANY} (sandbox)`,
    fortnox: {
      apiBaseUrl: fortnox.url,
      authBaseUrl: fortnox.url,
      eventsUrl: fortnox.eventsUrl,
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
      webhook: webhooksOn ? { auth: 'basic', ...webhook, publicUrl: webhookUrl } : { auth: 'off' },
    },
    // The demo syncs every minute, and asks the WMS for status changes every 30 seconds, so a newcomer sees orders move
    // without waiting a quarter of an hour, with webhooks or without.
    settings: settingsSchema.parse({ syncInterval: '1m', syncOverlap: '1m', wmsStatusPollInterval: '30s' }),
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
