// The webhook receiver's burst capacity: a busy warehouse's "sent" events arriving at once. A real dev server (SQLite
// file) holds `orders` running order workflows (no worker: a signal only has to be stored, which is what the receiver
// waits for); the same number of signed webhooks, one per order, are sent all at once. Figures: share answered 2xx
// (the rest 503: the WMS retries those), latency of the answers and accepted events per second.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import getPort from 'get-port';
import got from 'got';
import { basicAuthorization } from '../activities/wms/webhook';
import { buildWebhookReceiver, webhookPath } from '../client/webhook-receiver';
import { createLogger } from '../config/logger';
import { orderWorkflowId } from '../domain/names';
import { startDevServer } from '../scripts/dev-server';
import { distribution, type Distribution } from './stats';

export interface BurstResult {
  events: number;
  accepted: number;
  unavailable: number;
  other: number;
  acceptedShare: number;
  wallMs: number;
  acceptedPerSecond: number;
  latencyMs: Distribution;
}

export async function runWebhookBurst(options: { events: number; log?: (line: string) => void }): Promise<BurstResult> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'wms-fortnox-burst-'));
  const server = await startDevServer({ port: await getPort(), dbFilename: join(dir, 'temporal.sqlite') });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const tenantId = 'burst';
  const webhook = { auth: 'basic' as const, username: 'ongoing', password: randomBytes(24).toString('base64url') };
  const receiver = buildWebhookReceiver({
    client,
    logger: createLogger('silent'),
    tenant: (id) => (id === tenantId ? { goodsOwnerId: 1, webhook } : undefined),
  });
  try {
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    const address = receiver.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${webhookPath(tenantId)}`;
    // The open orders, as the order sync would have started them; nothing runs them, so signals just queue.
    log(`starting ${options.events} order workflows`);
    const taskQueue = `burst-${randomBytes(3).toString('hex')}`;
    for (let i = 0; i < options.events; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, options.events - i) }, (_, j) =>
          client.workflow.start('orderWorkflow', {
            taskQueue,
            workflowId: orderWorkflowId(tenantId, String(1000 + i + j)),
            args: [],
          }),
        ),
      );
    }
    const authorization = basicAuthorization(webhook.username, webhook.password);
    // One connection per event, as that many WMS deliveries would open.
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    log(`sending ${options.events} webhooks at once`);
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: options.events }, async (_, i) => {
        const sentAt = Date.now();
        const body = JSON.stringify({
          webhookOrdersId: i,
          webhookEventId: 1_000_000 + i,
          system: 'bench',
          timestamp: new Date().toISOString(),
          orderId: i + 1,
          orderNumber: String(1000 + i),
          goodsOwnerId: 1,
          orderStatus: { number: 450 },
        });
        const response = await got
          .post(url, {
            body,
            headers: { 'content-type': 'application/json', authorization },
            agent: { http: agent },
            throwHttpErrors: false,
            retry: { limit: 0 },
            timeout: { request: 120_000 },
          })
          .catch(() => undefined);
        return { status: response?.statusCode, ms: Date.now() - sentAt };
      }),
    );
    const wallMs = Date.now() - started;
    agent.destroy();
    const accepted = answers.filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300).length;
    const unavailable = answers.filter((a) => a.status === 503).length;
    return {
      events: options.events,
      accepted,
      unavailable,
      other: options.events - accepted - unavailable,
      acceptedShare: Math.round((accepted / options.events) * 1000) / 1000,
      wallMs,
      acceptedPerSecond: Math.round((accepted / wallMs) * 1000 * 10) / 10,
      latencyMs: distribution(answers.map((a) => a.ms)),
    };
  } finally {
    await receiver.close();
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
