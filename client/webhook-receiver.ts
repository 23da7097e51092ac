// The webhook receiver: turns authenticated WMS order events into signals to the order workflows. It answers 2xx only
// once Temporal has accepted the signal (the event is durable), and 503 when Temporal cannot take it in time so the WMS
// retries. A repeat of an event it delivered is answered without a second signal. A GET on a tenant's webhook URL,
// with the same authentication, answers whether the URL works and does nothing.
import { createServer } from 'node:http';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import {
  authenticateWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  webhookPayloadSchema,
  type WebhookAuth,
} from '../activities/wms/webhook';
import type { Tenant } from '../config/tenants';
import { orderNumberProblem } from '../domain/order';
import { orderWorkflowId } from '../domain/names';
import { wmsEventSignal } from '../workflows/order/messages';
import { RecentWebhookEvents } from './recent-webhook-events';
import { SignalQueue, SignalQueueFullError, type SignalQueueOptions } from './signal-queue';

export interface WebhookTenant {
  goodsOwnerId: number;
  webhook: WebhookAuth;
}

export const webhookTenantOf = (tenant: Tenant): WebhookTenant => ({
  goodsOwnerId: tenant.wms.goodsOwnerId,
  webhook: tenant.wms.webhook,
});

export type WebhookOutcome =
  | 'signalled'
  | 'repeat'
  | 'unknown-order'
  | 'unauthorized'
  | 'bad-payload'
  | 'unknown-tenant'
  | 'webhooks-off'
  | 'temporal-unavailable';

/**
 * The tenant reported with an outcome for a URL no tenant has: one fixed value, so requests to made-up tenants cannot
 * create a metric series each. Tenant ids cannot contain parentheses, so it never names a real tenant.
 */
export const UNKNOWN_TENANT_LABEL = '(unknown)';

export interface WebhookReceiverOptions {
  client: Client;
  /** Looks up a tenant's webhook authentication; undefined for tenants this deployment does not serve. */
  tenant: (tenantId: string) => WebhookTenant | undefined;
  logger: Logger;
  maxBodyBytes?: number;
  /** The whole request, headers and body, must arrive within this; a client trickling its body is cut off. Default 10 s. */
  requestTimeoutMs?: number;
  /** How long an event may wait (queued, then signalling) for Temporal to accept it before the answer is 503. Default 20 s. */
  signalTimeoutMs?: number;
  /** The bounded queue in front of the signals. */
  signalQueue?: SignalQueueOptions;
  /** Reported with a known tenant's id, or UNKNOWN_TENANT_LABEL. */
  onOutcome?: (outcome: WebhookOutcome, tenantId: string) => void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_SIGNAL_TIMEOUT_MS = 20_000;

/** The URL for basic and hmac tenants; token tenants append `/<token>`. */
export const webhookPath = (tenantId: string) => `/webhooks/wms/${tenantId}`;

export const BASIC_REALM = 'wms-fortnox';

const REJECTION: Record<Exclude<WebhookAuth['auth'], 'off'>, string> = {
  basic: 'missing or wrong Basic credentials',
  token: 'missing or wrong token in the URL',
  hmac: `missing or invalid ${WEBHOOK_SIGNATURE_HEADER}`,
};

type WebhookRequest = FastifyRequest<{ Params: { tenantId: string; token?: string } }>;

interface Refusal {
  status: 401 | 404;
  outcome: WebhookOutcome;
  error: string;
  /** Answer with a Basic challenge, as HTTP asks of a 401 to a Basic-authenticated resource. */
  basic?: boolean;
}
type Verdict = { tenant: WebhookTenant } | Refusal;

/** The body's exact bytes; a request without a body (a GET) has none. */
const rawBody = (request: FastifyRequest): Buffer => (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));

/** Fastify's request log line without the token of a token URL: the path is a credential there. */
function requestWithoutToken(request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.replace(/^(\/webhooks\/wms\/[^/?#]+\/)[^/?#]+/, '$1[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export function buildWebhookReceiver(options: WebhookReceiverOptions): FastifyInstance {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const signalTimeoutMs = options.signalTimeoutMs ?? DEFAULT_SIGNAL_TIMEOUT_MS;
  const app = Fastify({
    loggerInstance: options.logger.child({}, { serializers: { req: requestWithoutToken } }) as FastifyBaseLogger,
    bodyLimit: options.maxBodyBytes ?? 1_048_576,
    // Node enforces requestTimeout only when it checks its connections, every 30 s by default: a trickled body got
    // minutes. Checking often makes the deadline hold to about a second.
    serverFactory: (handler) =>
      createServer(
        {
          requestTimeout,
          headersTimeout: requestTimeout,
          connectionsCheckingInterval: Math.min(1000, requestTimeout),
        },
        handler,
      ),
    requestTimeout,
    // An idle socket is one waiting for its answer too: leave room for the signal wait.
    connectionTimeout: requestTimeout + signalTimeoutMs,
  });
  const recentEvents = new RecentWebhookEvents();
  const signals = new SignalQueue(options.signalQueue);
  const outcome = (o: WebhookOutcome, tenantId: string) => options.onOutcome?.(o, tenantId);

  // Keep the raw bytes: the signature is over the exact body, and JSON is parsed only after it is verified.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/healthz', async () => ({ ok: true }));

  /** Who the request is from: the tenant, when it proves it comes from the tenant's WMS, or why not. */
  function verdict(request: WebhookRequest): Verdict {
    const tenant = options.tenant(request.params.tenantId);
    if (!tenant) return { status: 404, outcome: 'unknown-tenant', error: 'unknown tenant' };
    const auth = tenant.webhook;
    if (auth.auth === 'off') return { status: 404, outcome: 'webhooks-off', error: 'webhooks are off for this tenant' };
    const credentials = {
      rawBody: rawBody(request),
      authorization: request.headers.authorization,
      signature: request.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined,
      pathToken: request.params.token,
    };
    if (authenticateWebhook(auth, credentials)) return { tenant };
    request.log
      .child({ tenant: request.params.tenantId })
      .warn({ auth: auth.auth, method: request.method }, 'webhook rejected: missing or wrong credentials');
    return { status: 401, outcome: 'unauthorized', error: REJECTION[auth.auth], basic: auth.auth === 'basic' };
  }

  const refuse = (reply: FastifyReply, refusal: Refusal) => {
    if (refusal.basic) void reply.header('www-authenticate', `Basic realm="${BASIC_REALM}"`);
    return reply.code(refusal.status).send({ error: refusal.error });
  };

  // A reachability check for operators (and `doctor`): authenticated like a webhook; nothing else happens.
  const check = async (request: WebhookRequest, reply: FastifyReply) => {
    const found = verdict(request);
    if (!('tenant' in found)) return refuse(reply, found);
    return reply.code(200).send({ ok: true, tenant: request.params.tenantId });
  };

  const receive = async (request: WebhookRequest, reply: FastifyReply) => {
    const { tenantId } = request.params;
    const log = request.log.child({ tenant: tenantId });
    const found = verdict(request);
    if (!('tenant' in found)) {
      outcome(found.outcome, found.outcome === 'unknown-tenant' ? UNKNOWN_TENANT_LABEL : tenantId);
      return refuse(reply, found);
    }
    const { tenant } = found;
    const raw = rawBody(request);
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
      return reply
        .code(400)
        .send({ error: `invalid payload: ${issue?.path.join('.') || '(body)'}: ${issue?.message}` });
    }
    const event = parsed.data;
    if (Number(event.goodsOwnerId) !== tenant.goodsOwnerId) {
      outcome('bad-payload', tenantId);
      return reply
        .code(400)
        .send({ error: `goodsOwnerId ${event.goodsOwnerId} does not belong to tenant ${tenantId}` });
    }
    // The order number becomes part of a workflow id: a huge or invisible one stops here, before Temporal.
    const orderNumberInvalid = orderNumberProblem(event.orderNumber);
    if (orderNumberInvalid) {
      outcome('bad-payload', tenantId);
      return reply.code(400).send({ error: `invalid payload: orderNumber: ${orderNumberInvalid}` });
    }
    const workflowId = orderWorkflowId(tenantId, event.orderNumber);
    const orderLog = log.child({ order: event.orderNumber, webhookEventId: String(event.webhookEventId) });
    // A bounded wait: an unreachable or overloaded Temporal must turn into a 503 the WMS retries, not a hung request.
    const deadline = Date.now() + signalTimeoutMs;
    const eventKey = `${tenantId}:${event.webhookEventId}:${event.orderId}:${event.orderStatus.number}`;
    try {
      const delivery = await recentEvents.deliverOnce(eventKey, () =>
        signals.run(deadline, (until) =>
          options.client.connection.withDeadline(until, () =>
            options.client.workflow.getHandle(workflowId).signal(wmsEventSignal, {
              webhookEventId: String(event.webhookEventId),
              orderId: event.orderId,
              statusNumber: event.orderStatus.number,
              timestamp: event.timestamp,
            }),
          ),
        ),
      );
      if (delivery === 'repeat') {
        orderLog.info('webhook repeats an event Temporal already holds: acknowledged without a second signal');
        outcome('repeat', tenantId);
        return reply.code(200).send({ status: 'accepted', repeat: true });
      }
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        // Orders the product does not handle (created in the WMS by hand, or already finished) are acknowledged.
        orderLog.info('webhook for an order without a running workflow: acknowledged, nothing to do');
        outcome('unknown-order', tenantId);
        return reply.code(202).send({ status: 'ignored', reason: 'no running workflow for this order' });
      }
      orderLog.error({ err: (err as Error).message }, 'could not signal Temporal: answering 503 so the WMS retries');
      outcome('temporal-unavailable', tenantId);
      // Full queue: a hint to come back once it has drained.
      if (err instanceof SignalQueueFullError) void reply.header('retry-after', '5');
      return reply.code(503).send({ error: 'temporarily unavailable' });
    }
    orderLog.info({ status: event.orderStatus?.number }, 'webhook accepted');
    outcome('signalled', tenantId);
    return reply.code(200).send({ status: 'accepted' });
  };

  for (const path of ['/webhooks/wms/:tenantId', '/webhooks/wms/:tenantId/:token']) {
    app.get(path, check);
    app.post(path, receive);
  }
  return app;
}
