// The sandboxes' controls and the sandbox console refuse what a web page in the operator's browser could send them:
// another Host (DNS rebinding), another Origin, or a state-changing request that is not JSON (a plain form or a
// `text/plain` fetch needs no CORS preflight). Each refused request leaves the state as it was; the product's own API
// calls to the sandboxes, and what the console's own page sends, work as before.
import got, { type OptionsOfTextResponseBody } from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedSandboxes, type EmbeddedSandboxes } from '../../scripts/embedded-sandboxes';
import { startConsole, type ConsoleServer } from '../../simulators/console/server';

let sandboxes: EmbeddedSandboxes;
let web: ConsoleServer;
let syncs = 0;
let fortnoxTenantId: string;

beforeAll(async () => {
  sandboxes = await startEmbeddedSandboxes({
    fortnoxPort: 0,
    wmsPort: 0,
    webhooks: false,
    billing: false,
    fortnoxRateLimit: false,
    webhookUrl: (tenantId) => `http://127.0.0.1:9/webhooks/${tenantId}`,
  });
  const auth = sandboxes.tenant.fortnox.auth;
  if (auth.mode !== 'client_credentials') throw new Error('the demo uses client credentials');
  fortnoxTenantId = auth.tenantId;
  web = await startConsole({
    port: 0,
    fortnoxUrl: sandboxes.fortnoxUrl,
    wmsUrl: sandboxes.wmsUrl,
    tenant: sandboxes.tenant,
    temporalUiUrl: 'http://localhost:8233',
    namespace: 'default',
    syncNow: async () => void syncs++,
  });
});

afterAll(async () => {
  await web?.close();
  await sandboxes?.close();
});

/** Never throws on an HTTP status; the body parsed when it is JSON. */
async function call(
  url: string,
  options: OptionsOfTextResponseBody = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await got(url, { throwHttpErrors: false, retry: { limit: 0 }, ...options });
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: response.statusCode, body };
}

const port = (url: string) => new URL(url).port;
const fortnoxState = () => `${sandboxes.fortnoxUrl}/_sandbox/tenants/${fortnoxTenantId}/state`;
const wmsOwner = () => `${sandboxes.wmsUrl}/_sandbox/goods-owners/${sandboxes.tenant.wms.goodsOwnerId}`;
const fortnoxOrderCount = async () => (await got(fortnoxState()).json<{ orders: unknown[] }>()).orders.length;
const text = { headers: { 'content-type': 'text/plain' }, body: '{}' };
const form = { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' };

describe('the Fortnox sandbox controls', () => {
  it('refuse a text/plain, form or bodiless POST with 415, and change nothing', async () => {
    for (const options of [text, form, {}]) {
      const refused = await call(`${sandboxes.fortnoxUrl}/_sandbox/reset`, { method: 'POST', ...options });
      expect(refused.status).toBe(415);
      expect(refused.body).toMatchObject({
        error: 'unsupportedMediaType',
        message: expect.stringContaining('application/json'),
      });
    }
    expect((await call(fortnoxState())).status).toBe(200); // the tenant is still there: no reset happened
  });

  it('refuse another Host name or port (DNS rebinding) with 403, reads included', async () => {
    for (const host of [`rebind.example:${port(sandboxes.fortnoxUrl)}`, 'localhost:1']) {
      const refused = await call(fortnoxState(), { headers: { host } });
      expect(refused.status, host).toBe(403);
      expect(refused.body).toMatchObject({ error: 'forbiddenHost' });
    }
    const reset = await call(`${sandboxes.fortnoxUrl}/_sandbox/reset`, {
      method: 'POST',
      json: {},
      headers: { host: `rebind.example:${port(sandboxes.fortnoxUrl)}` },
    });
    expect(reset.status).toBe(403);
    expect((await call(fortnoxState(), { headers: { host: `localhost:${port(sandboxes.fortnoxUrl)}` } })).status).toBe(
      200,
    );
  });

  it('refuse a cross-site Origin with 403 and accept their own', async () => {
    const bulk = `${sandboxes.fortnoxUrl}/_sandbox/tenants/${fortnoxTenantId}/orders/bulk`;
    const { customers } = await got(fortnoxState()).json<{ customers: { CustomerNumber: string }[] }>();
    const body = { count: 1, customerNumber: customers[0]!.CustomerNumber };
    const before = await fortnoxOrderCount();
    const refused = await call(bulk, { method: 'POST', json: body, headers: { origin: 'http://attacker.example' } });
    expect(refused).toMatchObject({ status: 403, body: { error: 'crossOrigin' } });
    expect(await fortnoxOrderCount()).toBe(before);
    expect((await call(bulk, { method: 'POST', json: body, headers: { origin: sandboxes.fortnoxUrl } })).status).toBe(
      201,
    );
    expect(await fortnoxOrderCount()).toBe(before + 1);
  });

  it('leave the Fortnox API itself as it was, whatever the Host', async () => {
    const api = await call(`${sandboxes.fortnoxUrl}/3/companyinformation`, { headers: { host: 'fortnox.example' } });
    expect(api.status).toBe(401); // the API's own answer without a token, not the guard's 403
  });
});

describe('the WMS sandbox controls', () => {
  it('refuse a text/plain floor action with 415, and another Host or Origin with 403, and change nothing', async () => {
    const before = await got(`${wmsOwner()}/state`).json<{ articles: unknown[] }>();
    expect(before.articles.length).toBeGreaterThan(0);
    const adjust = `${wmsOwner()}/stock-adjustments`;
    const body = { articleNumber: 'A100', delta: 5, reason: 'count' };
    const plain = await call(adjust, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(body),
    });
    expect(plain).toMatchObject({ status: 415, body: { error: 'unsupportedMediaType' } });
    const rebound = await call(adjust, {
      method: 'POST',
      json: body,
      headers: { host: `rebind.example:${port(sandboxes.wmsUrl)}` },
    });
    expect(rebound).toMatchObject({ status: 403, body: { error: 'forbiddenHost' } });
    const crossSite = await call(adjust, {
      method: 'POST',
      json: body,
      headers: { origin: 'http://attacker.example' },
    });
    expect(crossSite).toMatchObject({ status: 403, body: { error: 'crossOrigin' } });
    expect(await got(`${wmsOwner()}/state`).json()).toEqual(before);
  });

  it('leave the WMS API itself as it was, whatever the Host', async () => {
    const wms = sandboxes.tenant.wms;
    const api = await call(`${wms.baseUrl}/api/v1/articles`, {
      username: wms.username,
      password: wms.password,
      searchParams: { goodsOwnerId: wms.goodsOwnerId },
      headers: { host: 'wms.example' },
    });
    expect(api.status).toBe(200);
  });
});

describe('the sandbox console', () => {
  it('refuses a text/plain "sync now" or "new order" with 415 and runs nothing', async () => {
    const before = await fortnoxOrderCount();
    for (const path of ['/api/sync', '/api/fortnox/orders']) {
      const refused = await call(`${web.url}${path}`, { method: 'POST', ...text });
      expect(refused, path).toMatchObject({ status: 415, body: { error: 'unsupportedMediaType' } });
    }
    expect(syncs).toBe(0);
    expect(await fortnoxOrderCount()).toBe(before);
  });

  it('refuses another Host (the page too) and a cross-site Origin with 403', async () => {
    expect((await call(`${web.url}/`, { headers: { host: `rebind.example:${port(web.url)}` } })).status).toBe(403);
    const crossSite = await call(`${web.url}/api/sync`, {
      method: 'POST',
      json: {},
      headers: { origin: 'http://attacker.example' },
    });
    expect(crossSite).toMatchObject({ status: 403, body: { error: 'crossOrigin' } });
    expect(syncs).toBe(0);
  });

  it('does what its own page sends: JSON from its own origin', async () => {
    expect((await call(`${web.url}/`)).status).toBe(200);
    const own = { origin: web.url, 'content-type': 'application/json' };
    expect((await call(`${web.url}/api/sync`, { method: 'POST', headers: own, body: '{}' })).status).toBe(200);
    expect(syncs).toBe(1);
    const before = await fortnoxOrderCount();
    expect((await call(`${web.url}/api/fortnox/orders`, { method: 'POST', headers: own, body: '{}' })).status).toBe(
      201,
    );
    expect(await fortnoxOrderCount()).toBe(before + 1);
  });
});
