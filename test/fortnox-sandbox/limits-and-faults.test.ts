// Rate limit (sliding window per tenant), injected faults of each kind, and call accounting in the Fortnox sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxSandbox } from '../../simulators/fortnox/server';
import { apiFor, createTenant, http, startSandbox, tenantWithBasics } from './helpers';
import type { J } from './helpers';

let sandbox: FortnoxSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => sandbox.close());

const control = () => http(sandbox.url);

describe('rate limit', () => {
  let limited: FortnoxSandbox;
  beforeAll(async () => {
    limited = await startSandbox({ rateLimit: { requests: 25, windowMs: 5000 } });
  });
  afterAll(async () => limited.close());

  it('answers the 26th call within 5 s with 429, per tenant, and slides: calls leave the window one by one', async () => {
    const clock = http(limited.url);
    await clock.post('_sandbox/clock', { json: { now: '2030-03-01T08:00:00Z' } });
    try {
      const t = await createTenant(limited);
      const other = await createTenant(limited);
      const api = await apiFor(limited, t);
      const otherApi = await apiFor(limited, other);
      // 10 calls at t=0, 15 at t=+3 s: the window is full.
      for (let i = 0; i < 10; i += 1) expect((await api.get('3/orders')).statusCode).toBe(200);
      await clock.post('_sandbox/clock', { json: { advanceSeconds: 3 } });
      for (let i = 0; i < 15; i += 1) expect((await api.get('3/orders')).statusCode).toBe(200);
      const over = await api.get('3/orders');
      expect(over.statusCode).toBe(429);
      expect((over.body as J).ErrorInformation.error).toBe(1);
      // Another tenant is not affected; OAuth and controls are never counted.
      expect((await otherApi.get('3/orders')).statusCode).toBe(200);
      expect((await http(limited.url).get(`_sandbox/tenants/${t.tenantId}/calls`)).statusCode).toBe(200);
      // At +5 s the first 10 have left the window (sliding, not fixed): exactly 10 more fit.
      await clock.post('_sandbox/clock', { json: { advanceSeconds: 2 } });
      for (let i = 0; i < 10; i += 1) expect((await api.get('3/orders')).statusCode).toBe(200);
      expect((await api.get('3/orders')).statusCode).toBe(429);
      // After a whole quiet window everything is free again.
      await clock.post('_sandbox/clock', { json: { advanceSeconds: 5 } });
      expect((await api.get('3/orders')).statusCode).toBe(200);
      const calls = (await http(limited.url).get(`_sandbox/tenants/${t.tenantId}/calls`)).body as J;
      expect(calls.rateLimited).toBe(2);
      expect(calls.byRoute['GET /3/orders']).toBe(38);
    } finally {
      await clock.delete('_sandbox/clock');
    }
  });
});

describe('faults', () => {
  it('errorRate answers 500/503 with a Fortnox error body, deterministically for a seed', async () => {
    const { t, api } = await tenantWithBasics(sandbox);
    const run = async (): Promise<number[]> => {
      await control().put(`_sandbox/tenants/${t.tenantId}/faults`, {
        json: { rules: [{ route: 'GET /3/articles/:ArticleNumber', errorRate: 0.5, seed: 42 }] },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await api.get('3/articles/A1')).statusCode);
      return statuses;
    };
    const first = await run();
    expect(first.some((s) => s === 500 || s === 503)).toBe(true);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
    const failing = await api.get('3/articles/A1', { searchParams: { probe: 1 } });
    if (failing.statusCode >= 500) expect((failing.body as J).ErrorInformation.code).toBe(1000003);
    // Other routes are untouched by a route-specific rule.
    expect((await api.get('3/articles')).statusCode).toBe(200);
    await control().delete(`_sandbox/tenants/${t.tenantId}/faults`);
    expect((await api.get('3/articles/A1')).statusCode).toBe(200);
  });

  it('rateLimitBurst answers the next N calls with 429', async () => {
    const { t, api } = await tenantWithBasics(sandbox);
    await control().put(`_sandbox/tenants/${t.tenantId}/faults`, {
      json: { rules: [{ route: '*', rateLimitBurst: 2 }] },
    });
    expect((await api.get('3/orders')).statusCode).toBe(429);
    expect((await api.get('3/articles')).statusCode).toBe(429);
    expect((await api.get('3/orders')).statusCode).toBe(200);
    const calls = (await control().get(`_sandbox/tenants/${t.tenantId}/calls`)).body as J;
    expect(calls.faultsInjected.rateLimitBurst).toBe(2);
    expect(calls.rateLimited).toBe(2);
  });

  it('latencyMs delays the answer', async () => {
    const { t, api } = await tenantWithBasics(sandbox);
    await control().put(`_sandbox/tenants/${t.tenantId}/faults`, {
      json: { rules: [{ route: 'GET /3/orders', latencyMs: 150 }] },
    });
    const started = performance.now();
    expect((await api.get('3/orders')).statusCode).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('timeoutAfterCommit applies the change and never answers', async () => {
    const { t, api, customerNumber } = await tenantWithBasics(sandbox);
    await control().put(`_sandbox/tenants/${t.tenantId}/faults`, {
      json: { rules: [{ route: 'POST /3/orders', timeoutAfterCommitRate: 1 }] },
    });
    await expect(
      api.post('3/orders', { json: { Order: { CustomerNumber: customerNumber, YourOrderNumber: 'LOST-1' } } }),
    ).rejects.toThrow();
    await control().delete(`_sandbox/tenants/${t.tenantId}/faults`);
    const list = (await api.get('3/orders', { searchParams: { yourordernumber: 'LOST-1' } })).body as J;
    expect(list.MetaInformation['@TotalResources']).toBe(1);
    const log = (await control().get(`_sandbox/tenants/${t.tenantId}/log`, { searchParams: { limit: 5 } })).body as J[];
    expect(log.find((e) => e.route === '/3/orders' && e.method === 'POST')).toMatchObject({ status: 0 });
  });
});

describe('call accounting', () => {
  it('counts calls per route pattern, logs them, and resets', async () => {
    const { t, api, customerNumber } = await tenantWithBasics(sandbox, { lager: true });
    const order = ((await api.post('3/orders', { json: { Order: { CustomerNumber: customerNumber } } })).body as J)
      .Order;
    await api.put(`3/orders/${order.DocumentNumber}/createinvoice`);
    await api.get('api/warehouse/tenants-v4');
    const calls = (await control().get(`_sandbox/tenants/${t.tenantId}/calls`)).body as J;
    expect(calls.byRoute).toMatchObject({
      'POST /3/customers': 1,
      'POST /3/articles': 3,
      'POST /3/orders': 1,
      'PUT /3/orders/:DocumentNumber/createinvoice': 1,
      'GET /api/warehouse/tenants-v4': 1,
    });
    expect(calls.total).toBe(7);
    const log = (await control().get(`_sandbox/tenants/${t.tenantId}/log`, { searchParams: { limit: 2 } })).body as J[];
    expect(log.map((e) => e.route)).toEqual(['/3/orders/:DocumentNumber/createinvoice', '/api/warehouse/tenants-v4']);
    expect(log[0]).toMatchObject({
      method: 'PUT',
      status: 200,
      url: `/3/orders/${order.DocumentNumber}/createinvoice`,
    });
    await control().delete(`_sandbox/tenants/${t.tenantId}/calls`);
    expect(((await control().get(`_sandbox/tenants/${t.tenantId}/calls`)).body as J).total).toBe(0);
  });
});
