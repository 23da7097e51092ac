// `npm start`'s embedded sandboxes with a data directory: a second start reuses the demo tenant, its data and secrets.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEmbeddedSandboxes,
  type EmbeddedSandboxes,
  type EmbeddedSandboxOptions,
} from '../../scripts/embedded-sandboxes';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'embedded-persist-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const options = (): EmbeddedSandboxOptions => ({
  fortnoxPort: 0,
  wmsPort: 0,
  // Nothing listens here: webhook deliveries fail and are retried, which the restart must not care about.
  webhookUrl: (tenantId) => `http://127.0.0.1:9/webhooks/${tenantId}`,
  fortnoxRateLimit: false,
  dataDir,
});

interface SandboxView {
  fortnoxOrders: string[];
  fortnoxArticles: string[];
  wmsArticles: string[];
  wmsOrders: string[];
}

async function view(sandboxes: EmbeddedSandboxes): Promise<SandboxView> {
  const auth = sandboxes.tenant.fortnox.auth;
  if (auth.mode !== 'client_credentials') throw new Error('the demo uses client credentials');
  const fortnox = await got(`${sandboxes.fortnoxUrl}/_sandbox/tenants/${auth.tenantId}/state`).json<{
    orders: Array<{ DocumentNumber: number; YourOrderNumber: string }>;
    articles: Array<{ ArticleNumber: string }>;
  }>();
  const wms = await got(`${sandboxes.wmsUrl}/_sandbox/goods-owners/${sandboxes.tenant.wms.goodsOwnerId}/state`).json<{
    articles: Array<{ articleNumber: string }>;
    orders: Array<{ orderInfo: { orderNumber: string } }>;
  }>();
  return {
    fortnoxOrders: fortnox.orders.map((o) => `${o.DocumentNumber}:${o.YourOrderNumber}`),
    fortnoxArticles: fortnox.articles.map((a) => a.ArticleNumber),
    wmsArticles: wms.articles.map((a) => a.articleNumber),
    wmsOrders: wms.orders.map((o) => o.orderInfo.orderNumber),
  };
}

describe('embedded sandboxes with a data directory', () => {
  it('a second start returns the same tenant, credentials and data instead of seeding a new one', async () => {
    const first = await startEmbeddedSandboxes(options());
    // The product's own traffic: an order sent to the warehouse.
    const wms = first.tenant.wms;
    await got.put(`${wms.baseUrl}/api/v1/orders`, {
      username: wms.username,
      password: wms.password,
      json: {
        goodsOwnerId: wms.goodsOwnerId,
        orderNumber: 'FN-1',
        deliveryDate: '2030-01-15',
        consignee: { name: 'Kund AB' },
        orderLines: [{ rowNumber: '1', articleNumber: 'A100', numberOfItems: 2 }],
      },
    });
    const before = await view(first);
    expect(before.fortnoxOrders).toHaveLength(5);
    expect(before.wmsOrders).toEqual(['FN-1']);
    await first.close();

    const second = await startEmbeddedSandboxes(options());
    try {
      // Everything but the URLs, which follow the ports (0 here: new ones each start; fixed ones in `npm start`).
      const identity = ({ tenant }: EmbeddedSandboxes) => ({
        ...tenant,
        // The ports (in the URLs) are new on each start; the rest must be the same.
        fortnox: { ...tenant.fortnox, apiBaseUrl: '', authBaseUrl: '', eventsUrl: '' },
        wms: { ...tenant.wms, baseUrl: tenant.wms.baseUrl.replace(/^http:\/\/[^/]+/, '') },
        billing: tenant.billing && {
          ...tenant.billing,
          fortnox: { ...tenant.billing.fortnox, apiBaseUrl: '', authBaseUrl: '' },
        },
      });
      expect(identity(second)).toEqual(identity(first));
      // The webhook's Basic credentials too: the WMS keeps sending what the receiver expects.
      expect(first.tenant.wms.webhook.auth).toBe('basic');
      expect(second.tenant.wms.webhook).toEqual(first.tenant.wms.webhook);
      expect(second.tenant.billing?.customerNumber).toBe(first.tenant.billing?.customerNumber);
      expect(await view(second)).toEqual(before); // not seeded a second time
      // The restored credentials work against the restarted sandboxes.
      const auth = second.tenant.fortnox.auth;
      if (auth.mode !== 'client_credentials') throw new Error('the demo uses client credentials');
      const token = await got
        .post(`${second.fortnoxUrl}/oauth-v1/token`, {
          username: auth.clientId,
          password: auth.clientSecret,
          headers: { TenantId: auth.tenantId },
          form: { grant_type: 'client_credentials' },
        })
        .json<{ access_token: string }>();
      const orders = await got(`${second.fortnoxUrl}/3/orders`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      }).json<{ Orders: unknown[] }>();
      expect(orders.Orders).toHaveLength(5);
    } finally {
      await second.close();
    }
  });

  it('carries on from a data directory whose WMS webhook was HMAC-signed (snapshot version 1), now with Basic', async () => {
    const older = mkdtempSync(join(tmpdir(), 'embedded-persist-v1-'));
    try {
      const first = await startEmbeddedSandboxes({ ...options(), dataDir: older, billing: false });
      await first.close();
      // Rewrite the WMS file as version 1 wrote it: the webhook with an HMAC `secret`.
      const file = join(older, 'sandboxes', 'wms.json');
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
        version: number;
        goodsOwners: Array<{ webhook?: Record<string, unknown> }>;
      };
      snapshot.version = 1;
      for (const owner of snapshot.goodsOwners) {
        if (owner.webhook) owner.webhook = { ...owner.webhook, auth: undefined, secret: '0123456789abcdef0123' };
      }
      writeFileSync(file, JSON.stringify(snapshot));

      const second = await startEmbeddedSandboxes({ ...options(), dataDir: older, billing: false });
      try {
        // Restored, not set aside for a new demo.
        expect(readdirSync(join(older, 'sandboxes')).filter((f) => f.includes('corrupt'))).toEqual([]);
        expect(second.tenant.wms.goodsOwnerId).toBe(first.tenant.wms.goodsOwnerId);
        expect(second.tenant.wms.password).toBe(first.tenant.wms.password);
        expect(second.tenant.wms.webhook.auth).toBe('basic');
        const wms = await got(
          `${second.wmsUrl}/_sandbox/goods-owners/${second.tenant.wms.goodsOwnerId}/webhooks`,
        ).json<{ auth: Record<string, string> }>();
        const { auth: _mode, publicUrl: _url, ...credentials } = second.tenant.wms.webhook as Record<string, string>;
        expect(wms.auth).toEqual({ type: 'basic', ...credentials });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(older, { recursive: true, force: true });
    }
  });
});
