// The webhook receiver against a real Temporal server, attacked as issue 17's probe did: a valid event replayed
// hundreds of times, an order number of 100 KB next to a normal webhook, and made-up tenants hammering the metrics.
// The order workflows run on a task queue no worker polls, so every signal Temporal took is still in their history.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { basicAuthorization } from '../../activities/wms/webhook';
import {
  buildWebhookReceiver,
  UNKNOWN_TENANT_LABEL,
  webhookPath,
  type WebhookOutcome,
} from '../../client/webhook-receiver';
import { createLogger } from '../../config/logger';
import { orderWorkflowId } from '../../domain/names';
import { observeWebhook, registry } from '../../observability/metrics';

const tenantId = `abuse-${randomBytes(3).toString('hex')}`;
const webhook = { auth: 'basic' as const, username: 'ongoing', password: randomBytes(24).toString('base64url') };
const authorization = basicAuthorization(webhook.username, webhook.password);
const taskQueue = `nobody-polls-${tenantId}`;
const outcomes: Array<{ outcome: WebhookOutcome; tenant: string }> = [];
let connection: Connection;
let client: Client;
let url: string;
let closeReceiver: () => Promise<void>;

const event = (orderNumber: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    webhookOrdersId: 1,
    webhookEventId: 5001,
    system: 'probe',
    timestamp: '2026-12-02T10:00:00Z',
    orderId: 77,
    orderNumber,
    goodsOwnerId: 5,
    orderStatus: { number: 450 },
    ...overrides,
  });
const post = (body: string, tenant = tenantId) =>
  got.post(`${url}${webhookPath(tenant)}`, {
    body,
    headers: { 'content-type': 'application/json', authorization },
    throwHttpErrors: false,
    retry: { limit: 0 },
  });

async function signalsIn(workflowId: string): Promise<number> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
}

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  const receiver = buildWebhookReceiver({
    client,
    logger: createLogger(
      'info',
      new Writable({
        write(_chunk, _enc, done) {
          done();
        },
      }),
    ),
    tenant: (id) => (id === tenantId ? { goodsOwnerId: 5, webhook } : undefined),
    onOutcome: (outcome, tenant) => {
      outcomes.push({ outcome, tenant });
      observeWebhook(outcome, tenant); // as production wires it
    },
  });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const address = receiver.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  closeReceiver = () => receiver.close();
});
afterAll(async () => {
  await closeReceiver();
  await connection.close();
});

describe('webhook receiver under abuse (real Temporal)', () => {
  it('answers a replayed event without signalling again: 300 repeats add no history', async () => {
    const workflowId = orderWorkflowId(tenantId, '9001');
    await client.workflow.start('orderWorkflow', { taskQueue, workflowId, args: [] });
    const body = event('9001');
    const first = await post(body);
    expect(first.statusCode).toBe(200);
    expect(await signalsIn(workflowId)).toBe(1);

    // Sequential and concurrent repeats alike.
    for (let i = 0; i < 100; i++) expect((await post(body)).statusCode).toBe(200);
    const concurrent = await Promise.all(Array.from({ length: 200 }, () => post(body)));
    expect(concurrent.map((r) => r.statusCode)).toEqual(concurrent.map(() => 200));
    expect(JSON.parse(concurrent[0]!.body)).toEqual({ status: 'accepted', repeat: true });
    expect(await signalsIn(workflowId)).toBe(1);
    expect(outcomes.filter((o) => o.outcome === 'repeat')).toHaveLength(300);

    // A new event for the same order (another status) is not a repeat.
    expect((await post(event('9001', { webhookEventId: 5002, orderStatus: { number: 500 } }))).statusCode).toBe(200);
    expect(await signalsIn(workflowId)).toBe(2);
  });

  it('refuses a 100 KB order number with 400 before Temporal, while a normal webhook next to it is accepted', async () => {
    const normalId = orderWorkflowId(tenantId, '9002');
    await client.workflow.start('orderWorkflow', { taskQueue, workflowId: normalId, args: [] });
    const hugeNumber = '7'.repeat(100_000);
    const [huge, normal, invisible] = await Promise.all([
      post(event(hugeNumber, { webhookEventId: 6001 })),
      post(event('9002', { webhookEventId: 6002 })),
      post(event('90\u0000\u202e02', { webhookEventId: 6003 })),
    ]);
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('orderNumber');
    expect(huge.body.length).toBeLessThan(500); // the answer does not echo the value back
    expect(invisible.statusCode).toBe(400);
    expect(normal.statusCode).toBe(200);
    expect(await signalsIn(normalId)).toBe(1);
  });

  it('counts requests for tenants that do not exist under one label, however many made-up tenants there are', async () => {
    const seriesOf = async () => (await registry.getSingleMetric('wms_fortnox_webhooks_total')!.get()).values;
    const made = Array.from({ length: 300 }, (_, i) =>
      encodeURIComponent(`t${i}-${randomBytes(4).toString('hex')}\u00e5\u2603`),
    );
    const answers = await Promise.all(made.map((t) => post(event('1'), t)));
    expect(answers.every((a) => a.statusCode === 404)).toBe(true);
    const unknown = (await seriesOf()).filter((v) => v.labels.outcome === 'unknown-tenant');
    expect(unknown).toEqual([
      expect.objectContaining({ labels: { tenant: UNKNOWN_TENANT_LABEL, outcome: 'unknown-tenant' }, value: 300 }),
    ]);
    const tenants = new Set((await seriesOf()).map((v) => v.labels.tenant));
    expect([...tenants].sort()).toEqual([UNKNOWN_TENANT_LABEL, tenantId].sort());
  });
});
