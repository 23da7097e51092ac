// The webhook receiver's front door, attacked with bad input: each gets a clear status and nothing reaches Temporal.
// Temporal is unreachable here on purpose, which also proves a valid event is answered 503 (so the WMS retries).
import { connect } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../activities/wms/webhook';
import { buildWebhookReceiver, type WebhookOutcome } from '../../client/webhook-receiver';
import { createLogger } from '../../config/logger';

const secret = 'a-shared-secret-of-some-length';
const outcomes: WebhookOutcome[] = [];
let url: string;
let close: () => Promise<void>;

const payload = (overrides: Record<string, unknown> = {}) => JSON.stringify({
  webhookOrdersId: 1, webhookEventId: 42, system: 'sandbox', timestamp: '2026-11-26T10:00:00Z', orderId: 7,
  orderNumber: '1001', goodsOwnerId: 5, path: '', byUser: { userId: 1 }, byComputer: { computerId: 1, computerName: 'x' },
  orderStatus: { number: 450 }, currentShipmentId: null, webhookTemplate: 'order', goodsOwnerName: 'Demo',
  tracking: [], parcels: [], ...overrides,
});

const post = (body: string | Buffer, headers: Record<string, string> = {}, tenant = 'acme') =>
  got.post(`${url}/webhooks/wms/${tenant}`, { body, headers: { 'content-type': 'application/json', ...headers }, throwHttpErrors: false, retry: { limit: 0 } });

beforeAll(async () => {
  // Nothing listens on port 1: every signal attempt fails as if Temporal were down.
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const app = buildWebhookReceiver({
    client: new Client({ connection }),
    logger: createLogger('silent'),
    tenant: (id) => (id === 'acme' ? { webhookSecret: secret, goodsOwnerId: 5 } : undefined),
    maxBodyBytes: 4096,
    // The signal deadline stays inside the request timeout, as in production (5 s inside 10 s).
    requestTimeoutMs: 800,
    signalTimeoutMs: 200,
    onOutcome: (o) => outcomes.push(o),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  close = async () => {
    await app.close();
    await connection.close();
  };
});
afterAll(async () => close());

describe('webhook receiver', () => {
  it('answers 401 for a missing or wrong signature', async () => {
    const body = payload();
    expect((await post(body)).statusCode).toBe(401);
    expect((await post(body, { 'x-webhook-signature': signWebhookBody(body, 'another-secret') })).statusCode).toBe(401);
    expect((await post(body, { 'x-webhook-signature': 'sha256=zz' })).statusCode).toBe(401);
    // Signed, then tampered with.
    expect((await post(payload({ orderNumber: '666' }), { 'x-webhook-signature': signWebhookBody(body, secret) })).statusCode).toBe(401);
  });

  it('answers 400 for bad JSON and for payloads that are not Ongoing order events, naming the field', async () => {
    const bad = '{"webhookEventId": 1,';
    expect((await post(bad, { 'x-webhook-signature': signWebhookBody(bad, secret) })).statusCode).toBe(400);
    const wrongShape = payload({ orderStatus: 'sent' });
    const response = await post(wrongShape, { 'x-webhook-signature': signWebhookBody(wrongShape, secret) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('orderStatus');
    const otherOwner = payload({ goodsOwnerId: 99 });
    expect((await post(otherOwner, { 'x-webhook-signature': signWebhookBody(otherOwner, secret) })).statusCode).toBe(400);
  });

  it('answers 413 for a huge body and 415 for a wrong content type', async () => {
    const huge = payload({ system: 'x'.repeat(10_000) });
    expect((await post(huge, { 'x-webhook-signature': signWebhookBody(huge, secret) })).statusCode).toBe(413);
    const body = payload();
    const response = await got.post(`${url}/webhooks/wms/acme`, {
      body, headers: { 'content-type': 'text/plain', 'x-webhook-signature': signWebhookBody(body, secret) }, throwHttpErrors: false,
    });
    expect(response.statusCode).toBe(415);
  });

  it('answers 404 for an unknown tenant', async () => {
    const body = payload();
    expect((await post(body, { 'x-webhook-signature': signWebhookBody(body, secret) }, 'nobody')).statusCode).toBe(404);
  });

  it('answers 503 for a valid event when Temporal cannot take it, so the WMS retries', async () => {
    const body = payload();
    const response = await post(body, { 'x-webhook-signature': signWebhookBody(body, secret) });
    expect(response.statusCode).toBe(503);
    expect(outcomes).toContain('temporal-unavailable');
  });

  it('cuts off a client that sends its body too slowly', async () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.write('POST /webhooks/wms/acme HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":');
    const answer = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
  });
});
