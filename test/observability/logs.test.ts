// Structured logs: secrets never reach a log line however they are nested (a whole tenant, request headers, errors),
// and SDK log lines from order workflows and activities carry the tenant and the order.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../config/logger';
import { PinoTemporalLogger } from '../../config/temporal-logger';
import type { Tenant } from '../../config/tenants';
import { settingsSchema } from '../../domain/settings';
import { routeTemplate } from '../../observability/metrics';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('debug', stream) };
}

const secrets = {
  clientSecret: 'client-secret-d41d8cd98f00b204',
  password: 'wms-password-e9800998ecf8427e',
  webhookPassword: 'webhook-password-8f14e45fceea167a',
  webhookToken: 'webhook-token-a87ff679a2f3e71d9181a67b7542122c',
  webhookSecret: 'webhook-secret-e4da3b7fbbce2345',
  refresh: 'refresh-token-c9f0f895fb98ab91',
  bearer: 'access-token-45c48cce2e2d7fbd',
  apiKey: 'temporal-api-key-6512bd43d9caa6e0',
};

const tenant: Tenant = {
  id: 'acme',
  fortnox: {
    apiBaseUrl: 'https://api.fortnox.se',
    authBaseUrl: 'https://apps.fortnox.se',
    eventsUrl: 'wss://ws.fortnox.se/topics-v1',
    auth: {
      mode: 'refresh_token',
      clientId: 'client-id',
      clientSecret: secrets.clientSecret,
      initialRefreshToken: secrets.refresh,
    },
  },
  wms: {
    baseUrl: 'https://api.ongoingsystems.se/acme',
    username: 'WSIacme',
    password: secrets.password,
    goodsOwnerId: 7,
    webhook: { auth: 'basic', username: 'ongoing', password: secrets.webhookPassword },
  },
  settings: settingsSchema.parse({}),
};

describe('logs', () => {
  it('redact secrets in a logged tenant, request headers and nested error context', () => {
    const { lines, logger } = capture();
    logger.info(tenant, 'tenant as the root object');
    logger.info({ tenant }, 'tenant nested');
    logger.info({ config: { tenants: [tenant] } }, 'tenants list, deeply nested');
    logger.info(
      { req: { headers: { Authorization: `Bearer ${secrets.bearer}`, authorization: `Bearer ${secrets.bearer}` } } },
      'request',
    );
    logger.info({ headers: { Authorization: `Bearer ${secrets.bearer}` } }, 'headers');
    logger
      .child({ tenant: 'acme' })
      .error(
        { err: { response: { body: { access_token: secrets.bearer, refresh_token: secrets.refresh } } } },
        'token refresh failed',
      );
    logger.info({ env: { TEMPORAL_API_KEY: secrets.apiKey } }, 'environment');
    // The other webhook modes' secrets, by the tenants file's key names.
    logger.info({ wms: { webhook: { auth: 'token', token: secrets.webhookToken } } }, 'token mode');
    logger.info({ wms: { webhook: { auth: 'hmac', secret: secrets.webhookSecret } } }, 'hmac mode');
    const text = lines.join('\n');
    expect(lines).toHaveLength(9);
    for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    // Non-secrets stay readable.
    expect(text).toContain('WSIacme');
    expect(text).toContain('"auth":"basic"');
    expect(text).toContain('"tenant":"acme"');
  });

  it('give SDK log lines of order workflows and activities the tenant and the order', () => {
    const { lines, logger } = capture();
    const temporal = new PinoTemporalLogger(logger);
    temporal.info('created in the WMS', {
      sdkComponent: 'workflow',
      workflowId: 'order:acme:1042',
      workflowType: 'orderWorkflow',
    });
    temporal.warn('activity failed', {
      sdkComponent: 'activity',
      workflowId: 'order:acme:1042',
      activityType: 'reportFulfilment',
    });
    temporal.info('order sync done', {
      sdkComponent: 'workflow',
      workflowId: 'sync-orders:acme-2025-01-01T00:00:00Z',
      workflowType: 'syncOrdersWorkflow',
    });
    const [a, b, c] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ tenant: 'acme', order: '1042', msg: 'created in the WMS' });
    expect(b).toMatchObject({ tenant: 'acme', order: '1042' });
    expect(c).toMatchObject({ tenant: 'acme' });
  });

  it('label API calls by route template, so ids do not explode the metric', () => {
    expect(routeTemplate('fortnox', '/3/orders/1042/createinvoice')).toBe('/3/orders/:id/createinvoice');
    expect(routeTemplate('fortnox', '/3/articles/A100')).toBe('/3/articles/:id');
    expect(routeTemplate('fortnox', '/api/warehouse/documentdeliveries/custom/inbound-v1/WMSADJUST/7/release')).toBe(
      '/api/warehouse/documentdeliveries/custom/inbound-v1/:type/:id/release',
    );
    expect(routeTemplate('fortnox', '/api/warehouse/status-v1/stockbalance')).toBe(
      '/api/warehouse/status-v1/stockbalance',
    );
    expect(routeTemplate('wms', '/orders/77/setReportedNumberOfItemsToPickedNumberOfItems')).toBe(
      '/orders/:id/setReportedNumberOfItemsToPickedNumberOfItems',
    );
  });
});

describe('logging errors', () => {
  it('never throws on errors with read-only properties (ApplicationFailure) and still redacts them', async () => {
    const { ApplicationFailure } = await import('@temporalio/common');
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const failure = ApplicationFailure.nonRetryable('WMS PUT /orders answered 400', 'WmsError', {
      password: 'hunter2-secret',
    });
    expect(() =>
      logger.error({ err: failure, detail: { clientSecret: 'hunter2-secret' } }, 'activity failed'),
    ).not.toThrow();
    expect(lines.join('')).toContain('WMS PUT /orders answered 400');
    expect(lines.join('')).not.toContain('hunter2-secret');
  });
});
