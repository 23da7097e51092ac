// One error shape and one translation (issue 18): Fortnox and WMS errors share the IntegrationError base, and the
// worker's activity interceptor alone turns them into the ApplicationFailures workflows branch on, so no activity
// translates by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { FortnoxError } from '../../activities/fortnox/errors';
import { IntegrationError, integrationFailureInterceptor } from '../../activities/integration-error';
import { WmsError, WmsOrderStartedError } from '../../activities/wms/errors';

const withInterceptor = () => new MockActivityEnvironment(undefined, { interceptors: [integrationFailureInterceptor] });
const failing = (err: unknown) => async () => {
  throw err;
};
const request = { method: 'PUT', path: '/orders' };

describe('integration errors', () => {
  it('share one base class, each saying which system failed', () => {
    const fortnox = new FortnoxError('down', { ...request, kind: 'retryable', status: 503 });
    const wms = new WmsError('down', { ...request, kind: 'retryable', status: 503 });
    expect(fortnox).toBeInstanceOf(IntegrationError);
    expect(wms).toBeInstanceOf(IntegrationError);
    expect([fortnox.system, wms.system]).toEqual(['Fortnox', 'WMS']);
  });

  it('reach Temporal as their ApplicationFailure through the interceptor: type, retryability, delay, details', async () => {
    const started = new WmsOrderStartedError('1042', 300, request, 7);
    await expect(withInterceptor().run(failing(started))).rejects.toMatchObject({
      type: 'WmsOrderStarted',
      nonRetryable: true,
      details: [{ orderNumber: '1042', orderStatus: 300, orderId: 7 }],
    });
    const limited = new FortnoxError('slow down', {
      method: 'GET',
      path: '/3/orders',
      kind: 'rate-limited',
      status: 429,
      retryAfterMs: 3000,
    });
    const failure = await withInterceptor()
      .run(failing(limited))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'FortnoxRateLimited', nonRetryable: false, nextRetryDelay: 3000 });
    await expect(
      withInterceptor().run(
        failing(new FortnoxError('gone', { method: 'GET', path: '/3/orders/1', kind: 'non-retryable', status: 404 })),
      ),
    ).rejects.toMatchObject({ type: 'FortnoxNotFound', nonRetryable: true });
  });

  it('leave every other error as it is (an ApplicationFailure an activity threw on purpose, a plain error)', async () => {
    const own = ApplicationFailure.nonRetryable('lines do not match', 'RowMismatch');
    await expect(withInterceptor().run(failing(own))).rejects.toBe(own);
    const plain = new TypeError('bug');
    await expect(withInterceptor().run(failing(plain))).rejects.toBe(plain);
  });

  it("without the interceptor an activity's client error stays raw: the interceptor is what translates", async () => {
    const raw = new WmsError('down', { ...request, kind: 'retryable', status: 503 });
    await expect(new MockActivityEnvironment().run(failing(raw))).rejects.toBe(raw);
  });

  it('no activity module translates client errors by hand', () => {
    const dir = join(import.meta.dirname, '..', '..', 'activities');
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'integration-error.ts')
      .filter((f) =>
        /\btoApplicationFailure\s*\(|\b(?:fortnox|wms)Failure\s*\(/.test(readFileSync(join(dir, f), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });
});
