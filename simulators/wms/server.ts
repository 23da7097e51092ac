// Starts the WMS sandbox: an Ongoing REST v1 look-alike with floor controls, webhooks, invoice charges, faults, autopilot.
import Fastify, { type FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { registerApiRoutes } from './api-routes';
import { Autopilot } from './autopilot';
import { SandboxHttpError } from './errors';
import { persistWmsState } from './persistence';
import { registerSandboxRoutes } from './sandbox-routes';
import { WmsSandboxState } from './state';
import { WebhookDispatcher } from './webhooks';

export interface WmsSandboxOptions {
  port?: number;
  host?: string;
  /** Delays between webhook attempts; default Ongoing's "one day": 1, 5, 15, 30 min, then every 2 h for 24 h. */
  webhookRetryScheduleMs?: number[];
  /** How long a webhook receiver may take to answer; default 10 s. */
  webhookTimeoutMs?: number;
  autopilot?: { enabled: boolean; stepMs: number };
  logger?: boolean;
  /** The `{warehouse}` path segment; default "sandbox". */
  warehouse?: string;
  /**
   * Keep the state in this JSON file: restored at start when it exists (an unusable file is moved aside as
   * `<file>.corrupt-<timestamp>`), written when it changed (every `persistIntervalMs`, default 2000) and on close.
   * Webhook deliveries waiting for a retry are not kept.
   */
  persistFile?: string;
  persistIntervalMs?: number;
  /** Where persistence warnings go; default console.warn. */
  warn?: (message: string) => void;
}

export interface WmsSandbox {
  url: string;
  app: FastifyInstance;
  state: WmsSandboxState;
  webhooks: WebhookDispatcher;
  autopilot: Autopilot;
  /** Writes the state to `persistFile` now if it changed (a no-op without one). */
  persist(): Promise<void>;
  close(): Promise<void>;
}

function zodMessage(error: ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

export async function startWmsSandbox(options: WmsSandboxOptions = {}): Promise<WmsSandbox> {
  const state = new WmsSandboxState(options.warehouse);
  // Restoring bypasses the order-change listeners: restored orders fire no webhooks.
  const writer = options.persistFile
    ? persistWmsState(state, { file: options.persistFile, intervalMs: options.persistIntervalMs, warn: options.warn })
    : undefined;
  const webhooks = new WebhookDispatcher(state, {
    retryScheduleMs: options.webhookRetryScheduleMs,
    timeoutMs: options.webhookTimeoutMs,
  });
  const autopilot = new Autopilot(state);
  const app = Fastify({ logger: options.logger ?? false });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof SandboxHttpError) {
      return reply.code(error.statusCode).send({ message: error.message, ...error.extra });
    }
    if (error instanceof ZodError) {
      return reply.code(400).send({ message: `The request is invalid: ${zodMessage(error)}` });
    }
    const statusCode = (error as { statusCode?: number }).statusCode;
    if (statusCode && statusCode >= 400 && statusCode < 500) {
      return reply.code(statusCode).send({ message: (error as Error).message });
    }
    app.log.error(error);
    return reply.code(500).send({ message: 'An error has occurred.' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ message: `No HTTP resource was found that matches ${request.method} ${request.url}.` }),
  );

  registerApiRoutes(app, state);
  registerSandboxRoutes(app, { state, webhooks, autopilot, listenHost: options.host });

  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (error) {
    await writer?.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  if (options.autopilot) autopilot.configure(options.autopilot);

  return {
    url: `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`,
    app,
    state,
    webhooks,
    autopilot,
    persist: async () => writer?.flush(),
    async close() {
      autopilot.stop();
      webhooks.close();
      await app.close();
      // Last, so the final snapshot holds every change a client saw acknowledged.
      await writer?.close();
    },
  };
}
