// The webhook receiver: turns signed WMS order events into signals to the order workflows. It answers 2xx only once
// Temporal has accepted the signal (the event is durable), and 503 when Temporal cannot be reached so the WMS retries.
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, webhookPayloadSchema } from '../activities/wms/webhook';
import { orderWorkflowId } from '../domain/order';
import { wmsEventSignal } from '../workflows/order';

export interface WebhookTenant {
  webhookSecret: string;
  goodsOwnerId: number;
}

export type WebhookOutcome = 'signalled' | 'unknown-order' | 'bad-signature' | 'bad-payload' | 'unknown-tenant' | 'temporal-unavailable';

export interface WebhookReceiverOptions {
  client: Client;
  /** Looks up a tenant's webhook secret; undefined for tenants this deployment does not serve. */
  tenant: (tenantId: string) => WebhookTenant | undefined;
  logger: Logger;
  maxBodyBytes?: number;
  /** Cut off clients that send their body too slowly. */
  requestTimeoutMs?: number;
  /** How long to wait for Temporal to accept a signal before answering 503. */
  signalTimeoutMs?: number;
  onOutcome?: (outcome: WebhookOutcome, tenantId: string) => void;
}

export const webhookPath = (tenantId: string) => `/webhooks/wms/${tenantId}`;

export function buildWebhookReceiver(options: WebhookReceiverOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.maxBodyBytes ?? 1_048_576,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    connectionTimeout: options.requestTimeoutMs ?? 10_000,
  });
  const outcome = (o: WebhookOutcome, tenantId: string) => options.onOutcome?.(o, tenantId);

  // Keep the raw bytes: the signature is over the exact body, and JSON is parsed only after it is verified.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/healthz', async () => ({ ok: true }));

  app.post<{ Params: { tenantId: string } }>('/webhooks/wms/:tenantId', async (request, reply) => {
    const { tenantId } = request.params;
    const log = request.log.child({ tenant: tenantId });
    const tenant = options.tenant(tenantId);
    if (!tenant) {
      outcome('unknown-tenant', tenantId);
      return reply.code(404).send({ error: 'unknown tenant' });
    }
    const raw = request.body as Buffer;
    if (!verifyWebhookSignature(raw, request.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined, tenant.webhookSecret)) {
      log.warn('webhook rejected: missing or wrong signature');
      outcome('bad-signature', tenantId);
      return reply.code(401).send({ error: `missing or invalid ${WEBHOOK_SIGNATURE_HEADER}` });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      outcome('bad-payload', tenantId);
      return reply.code(400).send({ error: 'body is not valid JSON' });
    }
    const parsed = webhookPayloadSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      outcome('bad-payload', tenantId);
      return reply.code(400).send({ error: `invalid payload: ${issue?.path.join('.') || '(body)'}: ${issue?.message}` });
    }
    const event = parsed.data;
    if (Number(event.goodsOwnerId) !== tenant.goodsOwnerId) {
      outcome('bad-payload', tenantId);
      return reply.code(400).send({ error: `goodsOwnerId ${event.goodsOwnerId} does not belong to tenant ${tenantId}` });
    }
    const workflowId = orderWorkflowId(tenantId, String(event.orderNumber));
    const orderLog = log.child({ order: String(event.orderNumber), webhookEventId: String(event.webhookEventId) });
    try {
      // A bounded wait: an unreachable Temporal must turn into a 503 the WMS retries, not a hung request.
      await options.client.connection.withDeadline(Date.now() + (options.signalTimeoutMs ?? 5000), () =>
        options.client.workflow.getHandle(workflowId).signal(wmsEventSignal, {
          webhookEventId: String(event.webhookEventId),
          orderId: Number(event.orderId),
          statusNumber: event.orderStatus?.number,
          timestamp: event.timestamp,
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        // Orders the product does not handle (created in the WMS by hand, or already finished) are acknowledged.
        orderLog.info('webhook for an order without a running workflow: acknowledged, nothing to do');
        outcome('unknown-order', tenantId);
        return reply.code(202).send({ status: 'ignored', reason: 'no running workflow for this order' });
      }
      orderLog.error({ err: (err as Error).message }, 'could not signal Temporal: answering 503 so the WMS retries');
      outcome('temporal-unavailable', tenantId);
      return reply.code(503).send({ error: 'temporarily unavailable' });
    }
    orderLog.info({ status: event.orderStatus?.number }, 'webhook accepted');
    outcome('signalled', tenantId);
    return reply.code(200).send({ status: 'accepted' });
  });
  return app;
}
