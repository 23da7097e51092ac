// "Is Lager on?" is decided in one place, the tenant registry, against the Fortnox sandbox: a 503 or a timeout is not
// an answer (thrown, nothing remembered, so an outage cannot make a Lager tenant look like one without it), answers
// are reused for a while, and a tenant that turns Lager on is noticed without a worker restart.
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FortnoxError } from '../../activities/fortnox/errors';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { LAGER_ANSWER_TTL_MS, TenantRegistry } from '../../activities/tenant-registry';
import type { Tenant } from '../../config/tenants';
import { settingsSchema } from '../../domain/settings';
import {
  calls,
  createTenant,
  setFaults,
  startSandbox,
  type Sandbox,
  type SandboxTenant,
} from '../fortnox-client/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => sandbox.close());

const tenantFor = (fortnox: SandboxTenant): Tenant => ({
  id: 'lager-test',
  fortnox: {
    apiBaseUrl: sandbox.url,
    authBaseUrl: sandbox.url,
    eventsUrl: sandbox.eventsUrl,
    auth: {
      mode: 'client_credentials',
      clientId: fortnox.clientId,
      clientSecret: fortnox.clientSecret,
      tenantId: fortnox.tenantId,
      scope: 'article order invoice supplier customer companyinformation settings warehouse',
    },
  },
  wms: { baseUrl: 'http://127.0.0.1:1/w', username: 'u', password: 'p', goodsOwnerId: 1, webhook: { auth: 'off' } },
  settings: settingsSchema.parse({}),
});
const warehouseCalls = async (t: SandboxTenant) =>
  (await calls(sandbox.url, t.tenantId)).byRoute['GET /api/warehouse/tenants-v4'] ?? 0;

describe('Lager detection (tenant registry)', () => {
  it('is not poisoned by a 5xx: throws, remembers nothing, and answers true once Fortnox does', async () => {
    const fortnox = await createTenant(sandbox.url, { lager: true });
    const registry = new TenantRegistry([tenantFor(fortnox)], { tokenStore: new MemoryTokenStore() });
    await setFaults(sandbox.url, fortnox.tenantId, [{ route: 'GET /api/warehouse/tenants-v4', errorRate: 1 }]);
    const outage = await registry.lagerActive('lager-test').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(outage).toBeInstanceOf(FortnoxError);
    expect((outage as FortnoxError).status).toBeGreaterThanOrEqual(500);
    await setFaults(sandbox.url, fortnox.tenantId, []);
    expect(await registry.lagerActive('lager-test')).toBe(true);
  });

  it('reuses an answer, then asks again after the TTL and notices Lager turned on', async () => {
    const fortnox = await createTenant(sandbox.url, { lager: false });
    let now = 1_000_000;
    const registry = new TenantRegistry([tenantFor(fortnox)], { tokenStore: new MemoryTokenStore(), now: () => now });
    expect(await registry.lagerActive('lager-test')).toBe(false);
    const asked = await warehouseCalls(fortnox);
    await got.patch(`${sandbox.url}/_sandbox/tenants/${fortnox.tenantId}`, { json: { lager: true } });
    now += LAGER_ANSWER_TTL_MS - 1;
    expect(await registry.lagerActive('lager-test')).toBe(false); // the remembered answer, no call
    expect(await warehouseCalls(fortnox)).toBe(asked);
    now += 2;
    expect(await registry.lagerActive('lager-test')).toBe(true);
    expect(await warehouseCalls(fortnox)).toBe(asked + 1);
  });
});
