// The webhook receiver's front door, attacked with bad input: each gets a clear status and nothing reaches Temporal.
// Temporal is unreachable here on purpose, which also proves a valid event is answered 503 (so the WMS retries): a 503
// means the request got past authentication and validation. Every authentication mode has its tenant here.
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthorization, signWebhookBody, type WebhookAuth } from '../../activities/wms/webhook';
import { buildWebhookReceiver, type WebhookOutcome } from '../../client/webhook-receiver';
import { createLogger } from '../../config/logger';

const secret = 'a-shared-secret-of-some-length';
const user = { username: 'ongoing', password: 'a-webhook-password-of-some-length' };
const token = 'Tk_' + 'q7Z-x2'.repeat(6);
const tenants: Record<string, WebhookAuth> = {
  acme: { auth: 'hmac', secret },
  basic: { auth: 'basic', ...user },
  token: { auth: 'token', token },
  quiet: { auth: 'off' },
};
const outcomes: WebhookOutcome[] = [];
const logLines: string[] = [];
let url: string;
let close: () => Promise<void>;

const payload = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    webhookOrdersId: 1,
    webhookEventId: 42,
    system: 'sandbox',
    timestamp: '2026-11-26T10:00:00Z',
    orderId: 7,
    orderNumber: '1001',
    goodsOwnerId: 5,
    path: '',
    byUser: { userId: 1 },
    byComputer: { computerId: 1, computerName: 'x' },
    orderStatus: { number: 450 },
    currentShipmentId: null,
    webhookTemplate: 'order',
    goodsOwnerName: 'Demo',
    tracking: [],
    parcels: [],
    ...overrides,
  });

const post = (body: string | Buffer, headers: Record<string, string> = {}, tenant = 'acme') =>
  got.post(`${url}/webhooks/wms/${tenant}`, {
    body,
    headers: { 'content-type': 'application/json', ...headers },
    throwHttpErrors: false,
    retry: { limit: 0 },
  });

beforeAll(async () => {
  // Nothing listens on port 1: every signal attempt fails as if Temporal were down.
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const app = buildWebhookReceiver({
    client: new Client({ connection }),
    logger: createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    ),
    tenant: (id) => (tenants[id] ? { goodsOwnerId: 5, webhook: tenants[id] } : undefined),
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
    expect(
      (await post(payload({ orderNumber: '666' }), { 'x-webhook-signature': signWebhookBody(body, secret) }))
        .statusCode,
    ).toBe(401);
  });

  it('answers 400 for bad JSON and for payloads that are not Ongoing order events, naming the field', async () => {
    const bad = '{"webhookEventId": 1,';
    expect((await post(bad, { 'x-webhook-signature': signWebhookBody(bad, secret) })).statusCode).toBe(400);
    const wrongShape = payload({ orderStatus: 'sent' });
    const response = await post(wrongShape, { 'x-webhook-signature': signWebhookBody(wrongShape, secret) });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('orderStatus');
    const otherOwner = payload({ goodsOwnerId: 99 });
    expect((await post(otherOwner, { 'x-webhook-signature': signWebhookBody(otherOwner, secret) })).statusCode).toBe(
      400,
    );
  });

  it('answers 413 for a huge body and 415 for a wrong content type', async () => {
    const huge = payload({ system: 'x'.repeat(10_000) });
    expect((await post(huge, { 'x-webhook-signature': signWebhookBody(huge, secret) })).statusCode).toBe(413);
    const body = payload();
    const response = await got.post(`${url}/webhooks/wms/acme`, {
      body,
      headers: { 'content-type': 'text/plain', 'x-webhook-signature': signWebhookBody(body, secret) },
      throwHttpErrors: false,
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

  it('accepts a correct Basic request and refuses missing or wrong credentials with 401 and a Basic challenge', async () => {
    const body = payload();
    const accepted = await post(body, { authorization: basicAuthorization(user.username, user.password) }, 'basic');
    expect(accepted.statusCode).toBe(503); // through to the signal, which Temporal (down here) could not take
    const refusals: Array<Record<string, string>> = [
      {},
      { authorization: basicAuthorization(user.username, 'a-wrong-password-of-some-length') },
      { authorization: basicAuthorization('someone-else', user.password) },
      { authorization: basicAuthorization(user.username, user.password.slice(0, -1)) },
      { authorization: basicAuthorization(user.username, `${user.password}x`) },
      { authorization: `Bearer ${user.password}` },
      { authorization: 'Basic not-base64!' },
      { authorization: 'Basic ' + Buffer.from(`${user.username}${user.password}`).toString('base64') }, // no colon
      // A basic tenant does not take an HMAC signature instead, however correct for some secret.
      { 'x-webhook-signature': signWebhookBody(body, user.password) },
    ];
    for (const headers of refusals) {
      const response = await post(body, headers, 'basic');
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="wms-fortnox"');
    }
    expect(outcomes.filter((o) => o === 'unauthorized').length).toBeGreaterThanOrEqual(refusals.length);
  });

  it('accepts the token URL and refuses a wrong token, the tokenless URL and a token URL for another mode', async () => {
    const body = payload();
    expect((await post(body, {}, `token/${token}`)).statusCode).toBe(503);
    expect((await post(body, {}, `token/${token.slice(0, -1)}`)).statusCode).toBe(401);
    expect((await post(body, {}, `token/${token}x`)).statusCode).toBe(401);
    expect((await post(body, {}, 'token')).statusCode).toBe(401);
    // Credentials of another mode do not stand in for the token.
    expect(
      (await post(body, { authorization: basicAuthorization(user.username, user.password) }, 'token')).statusCode,
    ).toBe(401);
    // A basic or hmac tenant's URL with a token segment is not theirs, even with otherwise correct credentials.
    expect(
      (await post(body, { authorization: basicAuthorization(user.username, user.password) }, `basic/${token}`))
        .statusCode,
    ).toBe(401);
    expect(
      (await post(body, { 'x-webhook-signature': signWebhookBody(body, secret) }, `acme/${token}`)).statusCode,
    ).toBe(401);
  });

  it('never logs the token of a token URL', async () => {
    await post(payload(), {}, `token/${token}`);
    await post(payload(), {}, `token/${token}-wrong`);
    await got(`${url}/webhooks/wms/token/${token}`, { throwHttpErrors: false });
    const text = logLines.join('');
    expect(text).toContain('/webhooks/wms/token/[redacted]');
    expect(text).not.toContain(token);
  });

  it('answers 404 for a tenant whose webhooks are off, whatever it sends', async () => {
    const body = payload();
    expect((await post(body, {}, 'quiet')).statusCode).toBe(404);
    expect(
      (await post(body, { authorization: basicAuthorization(user.username, user.password) }, 'quiet')).statusCode,
    ).toBe(404);
    expect((await post(body, {}, `quiet/${token}`)).statusCode).toBe(404);
    expect((await got(`${url}/webhooks/wms/quiet`, { throwHttpErrors: false })).statusCode).toBe(404);
    expect(outcomes).toContain('webhooks-off');
  });

  it('answers an authenticated GET with 200 {ok, tenant} and an unauthenticated one with 401, signalling nothing', async () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      got(`${url}/webhooks/wms/${path}`, { headers, throwHttpErrors: false, retry: { limit: 0 } });
    const before = outcomes.length;
    const ok = await get('basic', { authorization: basicAuthorization(user.username, user.password) });
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, tenant: 'basic' });
    expect(JSON.parse((await get(`token/${token}`)).body)).toEqual({ ok: true, tenant: 'token' });
    // HMAC mode: the signature of the empty body.
    expect((await get('acme', { 'x-webhook-signature': signWebhookBody('', secret) })).statusCode).toBe(200);

    const refused = await get('basic');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Basic realm="wms-fortnox"');
    expect((await get('basic', { authorization: basicAuthorization(user.username, 'wrong') })).statusCode).toBe(401);
    expect((await get('token')).statusCode).toBe(401);
    expect((await get(`token/${token}x`)).statusCode).toBe(401);
    expect((await get('acme')).statusCode).toBe(401);
    expect((await get('nobody')).statusCode).toBe(404);
    // A GET is not a webhook: it signals nothing and counts as no webhook outcome.
    expect(outcomes.length).toBe(before);
  });

  it('cuts off a client that sends its body too slowly', async () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.write(
      'POST /webhooks/wms/acme HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":',
    );
    const answer = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
  });

  it('cuts off clients that keep trickling their body, within about a second of the deadline', async () => {
    // 20 connections each sending one byte every 100 ms of a 1000-byte body: only a deadline on the whole request
    // stops them (each byte resets an idle timer). The request timeout here is 800 ms.
    const trickle = () =>
      new Promise<number>((resolve) => {
        const socket = connect(Number(new URL(url).port), '127.0.0.1');
        let sent = 0;
        socket.write(
          'POST /webhooks/wms/acme HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
        );
        const drip = setInterval(() => {
          if (!socket.destroyed && socket.writable) {
            socket.write(' ');
            sent += 1;
          }
        }, 100);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(sent);
        });
      });
    const bytesBeforeCut = await Promise.all(Array.from({ length: 20 }, trickle));
    // Cut after about 0.8 s plus at most one 1 s connection check: well under 40 bytes, where Node's default check
    // (every 30 s) let a trickle run for 300 bytes and more.
    for (const sent of bytesBeforeCut) expect(sent).toBeLessThan(40);
  });
});
