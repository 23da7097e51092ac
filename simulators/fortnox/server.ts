// The Fortnox sandbox server: REST v3 (/3), Lager (/api/warehouse), OAuth (/oauth-v1) and controls (/_sandbox) on one fastify app.
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { installApiGuard, isWarehousePath } from './api-guard';
import { SandboxControlError, controlRoutes } from './controls';
import { FortnoxApiError, FortnoxCode, OAuthError, WarehouseApiError } from './errors';
import { installLocalControlGuard } from '../local-control-guard';
import { purchaseOrderRoutes } from './lager/purchase-orders';
import { warehouseRoutes } from './lager/routes';
import { oauthRoutes } from './oauth';
import { persistFortnoxState } from './persistence';
import { DEFAULT_RATE_LIMIT } from './rate-limit';
import { articleRoutes } from './rest/articles';
import { companyRoutes } from './rest/company';
import { invoiceRoutes } from './rest/invoices';
import { orderRoutes } from './rest/orders';
import { customerRoutes, supplierRoutes } from './rest/registers';
import { SandboxState } from './state';
import { eventControlRoutes } from './events/controls';
import { EVENTS_PATH, installEventSocket, type EventSocketServer } from './events/socket';

export interface FortnoxSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 25 requests per 5000 ms per tenant; false turns the limit off. */
  rateLimit?: { requests: number; windowMs: number } | false;
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  logger?: boolean;
  /** Share a state between app instances (rarely needed); a fresh one by default. */
  state?: SandboxState;
  /**
   * Keep the state in this JSON file: restored at start when it exists (an unusable file is moved aside as
   * `<file>.corrupt-<timestamp>`), written when it changed (every `persistIntervalMs`, default 2000) and on close.
   */
  persistFile?: string;
  persistIntervalMs?: number;
  /** Where persistence warnings go; default console.warn. */
  warn?: (message: string) => void;
}

export interface FortnoxSandbox {
  /** e.g. http://127.0.0.1:PORT, no trailing slash; use it as both apiBaseUrl and authBaseUrl. */
  url: string;
  /** The WebSocket event stream, ws://127.0.0.1:PORT/topics-v1 (Fortnox: wss://ws.fortnox.se/topics-v1). */
  eventsUrl: string;
  events: EventSocketServer;
  app: FastifyInstance;
  state: SandboxState;
  /** Writes the state to `persistFile` now if it changed (a no-op without one). */
  persist(): Promise<void>;
  close(): Promise<void>;
}

export { SandboxState };

/** A malformed JSON body; answered in the shape of the API it was sent to. */
class JsonSyntaxError extends Error {
  constructor(readonly detail: string) {
    super(`JSON syntax error: ${detail}`);
    this.name = 'JsonSyntaxError';
  }
}

function installBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json']);
  // Empty bodies are allowed (PUT .../createinvoice is sent without one, often still with a JSON content type).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new JsonSyntaxError(error instanceof Error ? error.message : String(error)), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
}

const WAREHOUSE_CODES: Record<number, string> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'notFound',
  429: 'tooManyRequests',
  500: 'internalError',
  503: 'serviceUnavailable',
};

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const url = request.url;
  const warehouse = isWarehousePath(url);
  if (error instanceof JsonSyntaxError) {
    if (warehouse) return sendError(new WarehouseApiError(400, 'invalidJson', error.message), request, reply);
    if (url.startsWith('/oauth-v1'))
      return sendError(new OAuthError(400, 'invalid_request', error.message), request, reply);
    if (url.startsWith('/_sandbox'))
      return sendError(new SandboxControlError(400, 'invalidJson', error.message), request, reply);
    return sendError(
      new FortnoxApiError(400, FortnoxCode.JsonSyntax, `Ogiltig JSON-syntax i förfrågan. (${error.detail})`),
      request,
      reply,
    );
  }
  if (error instanceof FortnoxApiError && warehouse) {
    return sendError(
      new WarehouseApiError(error.statusCode, WAREHOUSE_CODES[error.statusCode] ?? 'error', error.message),
      request,
      reply,
    );
  }
  if (error instanceof FortnoxApiError || error instanceof WarehouseApiError || error instanceof OAuthError) {
    return reply.code(error.statusCode).send(error.toBody());
  }
  if (error instanceof SandboxControlError) {
    return reply.code(error.statusCode).send({ error: error.error, message: error.message });
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 500) request.log.error({ err: error }, 'sandbox handler failed');
  const code = status === 415 ? 1000031 : status >= 500 ? FortnoxCode.SystemException : FortnoxCode.InvalidParameter;
  const message = status >= 500 ? 'Ett systemfel har uppstått.' : String(fastifyError.message ?? 'Ogiltig förfrågan.');
  return sendError(new FortnoxApiError(status, code, message), request, reply);
}

/** Builds the app without listening (for in-process use with `app.inject` or a custom listen). */
export function buildFortnoxSandbox(options: FortnoxSandboxOptions = {}): {
  app: FastifyInstance;
  state: SandboxState;
  events: EventSocketServer;
} {
  const state = options.state ?? new SandboxState();
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });
  const nowMs = (): number => state.clock.nowMs();
  const today = (): string => state.today();

  installBodyParsers(app);
  installApiGuard(app, state, { rateLimit: options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit });
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    if (isWarehousePath(request.url))
      return sendError(
        new WarehouseApiError(404, 'notFound', `No route ${request.method} ${request.url}`),
        request,
        reply,
      );
    if (request.url.startsWith('/_sandbox'))
      return sendError(
        new SandboxControlError(404, 'notFound', `No route ${request.method} ${request.url}`),
        request,
        reply,
      );
    return sendError(
      new FortnoxApiError(404, FortnoxCode.NotFound, `Resursen hittades inte (${request.method} ${request.url}).`),
      request,
      reply,
    );
  });

  oauthRoutes(app, state, options.accessTokenTtlSeconds ?? 3600);
  customerRoutes(app, nowMs);
  supplierRoutes(app, nowMs);
  articleRoutes(app, nowMs);
  orderRoutes(app, nowMs, today);
  invoiceRoutes(app, nowMs, today);
  companyRoutes(app);
  warehouseRoutes(app);
  purchaseOrderRoutes(app);
  // The controls alone are guarded against browser pages: the API keeps answering whatever Host the product uses.
  // The WebSocket event stream (Fortnox serves it at wss://ws.fortnox.se/topics-v1; here on the same port).
  const events = installEventSocket(app, state);
  app.addHook('preClose', () => events.close());
  app.register(async (controls) => {
    installLocalControlGuard(controls, { listenHost: options.host });
    controlRoutes(controls, state);
    eventControlRoutes(controls, events);
  });
  return { app, state, events };
}

export async function startFortnoxSandbox(options: FortnoxSandboxOptions = {}): Promise<FortnoxSandbox> {
  const { app, state, events } = buildFortnoxSandbox(options);
  const writer = options.persistFile
    ? persistFortnoxState(state, {
        file: options.persistFile,
        intervalMs: options.persistIntervalMs,
        warn: options.warn,
      })
    : undefined;
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (error) {
    await writer?.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    eventsUrl: `ws://${urlHost}:${port}${EVENTS_PATH}`,
    events,
    app,
    state,
    persist: async () => writer?.flush(),
    // The server stops first, so the final snapshot holds every change a client saw acknowledged.
    close: async () => {
      await app.close();
      await writer?.close();
    },
  };
}
