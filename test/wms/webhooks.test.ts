// Webhooks from the sandbox to a real local receiver: Ongoing's payload, HTTP Basic (or an HMAC signature, or nothing),
// retries, attempt log.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  WEBHOOK_SIGNATURE_HEADER,
  basicAuthorization,
  signWebhookBody,
  verifyBasic,
  verifyWebhookSignature,
  webhookPayloadSchema,
  type WmsWebhookPayload,
} from '../../activities/wms/webhook';
import { startWmsSandbox, type WmsSandbox } from '../../simulators/wms/server';
import { consignee, newGoodsOwner, startSandbox, waitFor } from './helpers';

interface Received {
  raw: Buffer;
  signature: string | undefined;
  authorization: string | undefined;
  eventIdHeader: string | undefined;
  contentType: string | undefined;
  payload: WmsWebhookPayload;
}

/** A receiver that answers with the next status from `answers` (then 200), keeping every request. */
async function startReceiver(
  answers: number[] = [],
): Promise<{ app: FastifyInstance; url: string; received: Received[] }> {
  const app = Fastify();
  const received: Received[] = [];
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/hook', async (request, reply) => {
    const raw = request.body as Buffer;
    received.push({
      raw,
      signature: request.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined,
      authorization: request.headers.authorization,
      eventIdHeader: request.headers['x-webhook-event-id'] as string | undefined,
      contentType: request.headers['content-type'],
      payload: webhookPayloadSchema.parse(JSON.parse(raw.toString('utf8'))),
    });
    return reply.code(answers.shift() ?? 200).send({ ok: true });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}/hook`, received };
}

const SECRET = 'shared-secret-for-tests';
const HMAC = { type: 'hmac', secret: SECRET };
const BASIC = { type: 'basic', username: 'ongoing', password: 'webhook-password-for-tests' };
let sandbox: WmsSandbox;
const receivers: FastifyInstance[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ webhookRetryScheduleMs: [50, 100, 150] });
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await sandbox.close();
});

const order = (orderNumber: string) => ({
  orderNumber,
  deliveryDate: '2030-01-15',
  consignee,
  orderLines: [{ rowNumber: '1', articleNumber: 'WIDGET-1', numberOfItems: 2 }],
});

describe('webhooks', () => {
  it('delivers order created, picked and chosen status changes, signed, in Ongoing payload shape', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver.app);
    const { client, ctl, creds } = await newGoodsOwner(sandbox, { seed: true });
    await ctl('PUT', '/webhooks', {
      url: receiver.url,
      auth: HMAC,
      events: ['orderCreated', 'orderPicked', 'orderStatusChanged'],
      statuses: [450],
    });
    expect(await ctl('GET', '/webhooks')).toMatchObject({ url: receiver.url, statuses: [450] });

    const { orderId } = await client.upsertOrder(order('WH-1'));
    await ctl('POST', `/orders/${orderId}/release`); // 300: not a chosen status, no event
    await ctl('POST', `/orders/${orderId}/pick`);
    await ctl('POST', `/orders/${orderId}/send`, { trackingNumbers: ['TRK-9'] });

    await waitFor(() => receiver.received.length >= 3, 'three webhook deliveries');
    const byTemplate = Object.fromEntries(receiver.received.map((r) => [r.payload.webhookTemplate, r]));
    expect(Object.keys(byTemplate).sort()).toEqual(['OrderCreated', 'OrderPicked', 'OrderStatusChanged']);
    expect(byTemplate.OrderCreated!.payload.orderStatus.number).toBe(200);
    expect(byTemplate.OrderPicked!.payload.orderStatus.number).toBe(400);
    const sent = byTemplate.OrderStatusChanged!.payload;
    expect(sent).toMatchObject({
      orderId,
      orderNumber: 'WH-1',
      goodsOwnerId: creds.goodsOwnerId,
      goodsOwnerName: 'Acme AB',
      orderStatus: { number: 450 },
      byUser: { userId: expect.any(Number) },
      byComputer: { computerName: expect.any(String) },
    });
    expect(sent.tracking).toEqual([
      { trackingUrl: 'https://tracking.sandbox.invalid/TRK-9', waybill: expect.any(String), isReturn: false },
    ]);
    expect(sent.parcels).toHaveLength(1);
    // Exactly Ongoing's keys, nothing more.
    expect(Object.keys(JSON.parse(byTemplate.OrderStatusChanged!.raw.toString())).sort()).toEqual(
      [
        'webhookOrdersId',
        'webhookEventId',
        'system',
        'timestamp',
        'orderId',
        'orderNumber',
        'goodsOwnerId',
        'path',
        'byUser',
        'byComputer',
        'orderStatus',
        'currentShipmentId',
        'webhookTemplate',
        'goodsOwnerName',
        'tracking',
        'parcels',
      ].sort(),
    );

    for (const r of receiver.received) {
      expect(r.contentType).toContain('application/json');
      expect(r.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(r.signature).toBe(signWebhookBody(r.raw, SECRET));
      expect(verifyWebhookSignature(r.raw, r.signature, SECRET)).toBe(true);
      expect(verifyWebhookSignature(r.raw, r.signature, 'another-secret')).toBe(false);
      expect(verifyWebhookSignature(Buffer.concat([r.raw, Buffer.from(' ')]), r.signature, SECRET)).toBe(false);
      expect(r.eventIdHeader).toBe(String(r.payload.webhookEventId));
      expect(r.authorization).toBeUndefined();
    }
    expect(new Set(receiver.received.map((r) => r.payload.webhookEventId)).size).toBe(3);
  });

  it('sends HTTP Basic credentials as Ongoing does, and no signature', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver.app);
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    await ctl('PUT', '/webhooks', { url: receiver.url, auth: BASIC, events: ['orderCreated'] });
    await client.upsertOrder(order('WH-B'));
    await waitFor(() => receiver.received.length >= 1, 'the created event');
    const [delivery] = receiver.received;
    expect(delivery!.authorization).toBe(basicAuthorization(BASIC.username, BASIC.password));
    expect(verifyBasic(delivery!.authorization, BASIC.username, BASIC.password)).toBe(true);
    expect(delivery!.signature).toBeUndefined();
    // The state view names the mode but hides the password.
    const state = (await ctl('GET', '/state')) as { webhook: { auth: Record<string, string> } };
    expect(state.webhook.auth).toEqual({ type: 'basic', username: BASIC.username, password: '***' });
  });

  it('sends no credentials with auth none (a token, if any, travels in the URL)', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver.app);
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    await ctl('PUT', '/webhooks', { url: receiver.url, auth: { type: 'none' }, events: ['orderCreated'] });
    await client.upsertOrder(order('WH-0'));
    await waitFor(() => receiver.received.length >= 1, 'the created event');
    expect(receiver.received[0]).toMatchObject({ authorization: undefined, signature: undefined });
  });

  it('refuses a webhook config without auth, or with the old top-level secret', async () => {
    const { ctl } = await newGoodsOwner(sandbox);
    await expect(ctl('PUT', '/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['orderCreated'] })).rejects.toThrow(
      /400.*auth/,
    );
    await expect(
      ctl('PUT', '/webhooks', { url: 'http://127.0.0.1:9/hook', secret: SECRET, events: ['orderCreated'] }),
    ).rejects.toThrow(/400/);
    await expect(
      ctl('PUT', '/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        auth: { type: 'basic', username: 'u' },
        events: ['orderCreated'],
      }),
    ).rejects.toThrow(/400/);
  });

  it('rejects missing and malformed signatures', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifyWebhookSignature(body, undefined, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, '', SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, 'sha256=abc', SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signWebhookBody(body, SECRET).replace('sha256=', 'sha1='), SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signWebhookBody(body, SECRET), SECRET)).toBe(true);
  });

  it('retries on the schedule when the receiver answers 500, with the same webhookEventId and body, logging every attempt', async () => {
    const receiver = await startReceiver([500, 500]);
    receivers.push(receiver.app);
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    await ctl('PUT', '/webhooks', { url: receiver.url, auth: BASIC, events: ['orderCreated'] });
    const { orderId } = await client.upsertOrder(order('WH-R'));

    await waitFor(() => receiver.received.length >= 3, 'three attempts');
    const attempts = await waitFor(async () => {
      const log = (await ctl('GET', '/webhook-attempts')) as Array<Record<string, unknown>>;
      return log.length >= 3 ? log : undefined;
    }, 'three logged attempts');
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    const eventIds = new Set(receiver.received.map((r) => r.payload.webhookEventId));
    expect(eventIds.size).toBe(1);
    expect(new Set(attempts.map((a) => a.webhookEventId))).toEqual(eventIds);
    expect(new Set(receiver.received.map((r) => r.raw.toString())).size).toBe(1);
    expect(receiver.received[0]!.payload.orderId).toBe(orderId);
    // Spacing follows the schedule: the second attempt at least 50 ms after the first, the third 100 ms after that.
    const times = attempts.map((a) => Date.parse(a.at as string));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(45);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(95);
    expect(attempts.every((a) => a.url === receiver.url)).toBe(true);
  });

  it('gives up after the schedule is exhausted and logs unreachable receivers as errors', async () => {
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    // Nothing listens here: every attempt is a connection error.
    const receiver = await startReceiver();
    const deadUrl = receiver.url;
    await receiver.app.close();
    await ctl('PUT', '/webhooks', { url: deadUrl, auth: BASIC, events: ['orderCreated'] });
    await client.upsertOrder(order('WH-D'));
    // The schedule has three delays: first attempt + three retries, then nothing is pending any more.
    await waitFor(() => sandbox.webhooks.pending === 0, 'the retry queue to drain');
    const attempts = (await ctl('GET', '/webhook-attempts')) as Array<Record<string, unknown>>;
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.every((a) => typeof a.error === 'string' && a.status === undefined)).toBe(true);
  });

  it('counts a receiver that does not answer within the timeout as a failed attempt', async () => {
    const slow = await startWmsSandbox({ port: 0, webhookTimeoutMs: 100, webhookRetryScheduleMs: [] });
    const hang = Fastify();
    hang.post('/hook', () => new Promise(() => undefined)); // never answers
    await hang.listen({ port: 0, host: '127.0.0.1' });
    const address = hang.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    try {
      const { client, ctl } = await newGoodsOwner(slow, { seed: true });
      await ctl('PUT', '/webhooks', { url, auth: BASIC, events: ['orderCreated'] });
      await client.upsertOrder(order('WH-T'));
      const attempts = await waitFor(async () => {
        const log = (await ctl('GET', '/webhook-attempts')) as Array<Record<string, unknown>>;
        return log.length >= 1 ? log : undefined;
      }, 'the timed-out attempt');
      expect(attempts[0]).toMatchObject({ attempt: 1, error: expect.stringContaining('no answer within 100 ms') });
    } finally {
      await slow.close();
      hang.server.closeAllConnections();
      await hang.close();
    }
  });

  it('sends nothing for events not configured', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver.app);
    const { client, ctl } = await newGoodsOwner(sandbox, { seed: true });
    await ctl('PUT', '/webhooks', { url: receiver.url, auth: BASIC, events: ['orderPicked'] });
    const { orderId } = await client.upsertOrder(order('WH-N'));
    await ctl('POST', `/orders/${orderId}/release`);
    await ctl('POST', `/orders/${orderId}/send`);
    await waitFor(() => receiver.received.length >= 1, 'the picked event');
    await waitFor(async () => ((await ctl('GET', '/webhook-attempts')) as unknown[]).length >= 1, 'attempt logged');
    expect(receiver.received.map((r) => r.payload.webhookTemplate)).toEqual(['OrderPicked']);
  });
});
