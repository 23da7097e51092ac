// One order through the product on the dev server, then one scrape of /metrics: the product's counters and gauges
// moved (Fortnox and WMS calls by route and code, 429s, webhook outcomes, open orders by stage, sync lag) and the
// Temporal SDK's own metrics are merged into the same endpoint.
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FortnoxClient } from '../../activities/fortnox/client';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { bootstrapSchedules } from '../../client/schedules';
import { createLogger } from '../../config/logger';
import { installTemporalRuntime } from '../../config/temporal-logger';
import { orderWorkflowId } from '../../domain/names';
import { registerTemporalGauges } from '../../observability/metrics';
import { sdkMetricsBindAddress, startMetricsServer, type MetricsServer } from '../../observability/metrics-server';
import { startHarness, waitFor, type Harness } from './harness';

let h: Harness;
let metrics: MetricsServer;

/** The value of one sample, e.g. sample(text, 'wms_fortnox_webhooks_total', {outcome: 'signalled'}); 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const lines = text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

const scrape = () => got(metrics.url).text();

beforeAll(async () => {
  // Before the harness connects: the SDK's metrics exporter is part of the process-wide runtime.
  const sdkBindAddress = await sdkMetricsBindAddress();
  installTemporalRuntime(createLogger('warn'), { metricsBindAddress: sdkBindAddress });
  h = await startHarness();
  registerTemporalGauges({ client: h.client, tenantIds: () => [h.tenantId], cacheMs: 0 });
  metrics = await startMetricsServer({ port: 0, host: '127.0.0.1', sdkBindAddress });
});

afterAll(async () => {
  await metrics?.close();
  for await (const s of h.client.schedule.list())
    if (s.scheduleId.endsWith(`:${h.tenantId}`)) await h.client.schedule.getHandle(s.scheduleId).delete();
  await h?.close();
});

describe('metrics', () => {
  it('counts an order from Fortnox to invoice, and shows stages and sync lag per tenant', async () => {
    const before = await scrape();
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await bootstrapSchedules(h.client, [h.tenant], h.taskQueue);
    const status = await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);

    const waiting = await waitFor(
      async () => {
        const text = await scrape();
        return sample(text, 'wms_fortnox_orders_open', { tenant: h.tenantId, stage: 'awaiting-warehouse' }) >= 1 &&
          sample(text, 'wms_fortnox_order_sync_lag_seconds', { tenant: h.tenantId }) > 0
          ? text
          : undefined;
      },
      30_000,
      'the open-orders gauge and the sync lag',
    );
    expect(sample(waiting, 'wms_fortnox_order_sync_lag_seconds', { tenant: h.tenantId })).toBeLessThan(60);

    await h.floor(status.wmsOrderId!, 'release');
    await h.floor(status.wmsOrderId!, 'pick');
    await h.floor(status.wmsOrderId!, 'send');
    const result = await h.client.workflow.getHandle(orderWorkflowId(h.tenantId, documentNumber)).result();
    expect(result.outcome).toBe('invoiced');

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(
      moved('wms_fortnox_api_calls_total', {
        system: 'fortnox',
        method: 'PUT',
        route: '/3/orders/:id/createinvoice',
        code: '200',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      moved('wms_fortnox_api_calls_total', { system: 'fortnox', method: 'GET', route: '/3/orders/:id', code: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      moved('wms_fortnox_api_calls_total', { system: 'wms', method: 'PUT', route: '/orders' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      moved('wms_fortnox_api_calls_total', { system: 'wms', method: 'GET', route: '/orders/:id', code: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(moved('wms_fortnox_webhooks_total', { tenant: h.tenantId, outcome: 'signalled' })).toBeGreaterThanOrEqual(1);
    // The Temporal SDK's metrics come through the same endpoint.
    expect(after).toMatch(/^temporal_\w+/m);
  });

  it('counts 429s and errors by route and code', async () => {
    // A Fortnox user without our pacer overruns the sandbox's 25 requests per 5 s.
    const auth = h.tenant.fortnox.auth;
    const impatient = new FortnoxClient({
      apiBaseUrl: h.tenant.fortnox.apiBaseUrl,
      authBaseUrl: h.tenant.fortnox.authBaseUrl,
      tenantKey: `${h.tenantId}-impatient`,
      auth,
      tokenStore: new MemoryTokenStore(),
    });
    const before = await scrape();
    const answers = await Promise.allSettled(Array.from({ length: 40 }, () => impatient.getCompanyInformation()));
    const refused = answers.filter((a) => a.status === 'rejected').length;
    expect(refused).toBeGreaterThan(0);
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(moved('wms_fortnox_api_rate_limited_total', { system: 'fortnox', route: '/3/companyinformation' })).toBe(
      refused,
    );
    expect(
      moved('wms_fortnox_api_errors_total', { system: 'fortnox', route: '/3/companyinformation', code: '429' }),
    ).toBe(refused);
  });
});
