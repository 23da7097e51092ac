// The webhook receiver: turns authenticated WMS order events into signals to the order workflows. It answers 2xx only
// once Temporal has accepted the signal (the event is durable), and 503 when Temporal cannot be reached so the WMS
// retries. A GET on a tenant's webhook URL, with the same authentication, answers whether the URL works and does nothing.
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
import { orderWorkflowId } from '../domain/order';
import { wmsEventSignal } from '../workflows/order';

export interface WebhookTenant {
  goodsOwnerId: number;
  webhook: WebhookAuth;
}

export const webhookTenantOf = (tenant: Tenant): WebhookTenant => ({ goodsOwnerId: tenant.wms.goodsOwnerId, webhook: tenant.wms.webhook });

export type WebhookOutcome =
  | 'signalled' | 'unknown-order' | 'unauthorized' | 'bad-payload' | 'unknown-tenant' | 'webhooks-off' | 'temporal-unavailable';

export interface WebhookReceiverOptions {
  client: Client;
  /** Looks up a tenant's webhook authentication; undefined for tenants this deployment does not serve. */
  tenant: (tenantId: string) => WebhookTenant | undefined;
  logger: Logger;
  maxBodyBytes?: number;
  /** Cut off clients that send their body too slowly. */
  requestTimeoutMs?: number;
  /** How long to wait for Temporal to accept a signal before answering 503. */
  signalTimeoutMs?: number;
  onOutcome?: (outcome: WebhookOutcome, tenantId: string) => void;
}

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
  const app = Fastify({
    loggerInstance: options.logger.child({}, { serializers: { req: requestWithoutToken } }) as FastifyBaseLogger,
    bodyLimit: options.maxBodyBytes ?? 1_048_576,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    connectionTimeout: options.requestTimeoutMs ?? 10_000,
  });
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
    request.log.child({ tenant: request.params.tenantId }).warn({ auth: auth.auth, method: request.method }, 'webhook rejected: missing or wrong credentials');
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
      outcome(found.outcome, tenantId);
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
  };

  for (const path of ['/webhooks/wms/:tenantId', '/webhooks/wms/:tenantId/:token']) {
    app.get(path, check);
    app.post(path, receive);
  }
  return app;
}
