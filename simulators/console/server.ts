// The sandbox web console: the Fortnox side (orders, invoices, articles, stock) and the warehouse side (orders by
// status with pick and "sent" buttons, stock) on one page, each order linked to its workflow in the Temporal Web UI.
// Static HTML and vanilla JS (no build step); this server proxies the sandboxes' /_sandbox controls so the page has
// one origin. Served by `npm start` in its embedded mode only: it drives sandboxes, never real systems.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import got from 'got';
import { FortnoxClient } from '../../activities/fortnox/client';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import type { Tenant } from '../../config/tenants';
import { orderWorkflowId } from '../../domain/names';
import { installLocalControlGuard } from '../local-control-guard';

export interface ConsoleOptions {
  port: number;
  host?: string;
  fortnoxUrl: string;
  wmsUrl: string;
  /** The sandbox tenant (its ids; its Fortnox credentials let the console create demo orders). */
  tenant: Tenant;
  temporalUiUrl: string;
  namespace: string;
  /** Runs the tenant's order sync now instead of at the next interval. */
  syncNow?: () => Promise<void>;
}

export interface ConsoleServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

const FLOOR_ACTIONS = new Set(['release', 'pick', 'send', 'cancel']);
const asset = (name: string) => readFileSync(join(import.meta.dirname, name), 'utf8');

interface FortnoxState {
  customers: { CustomerNumber: string }[];
  articles: { ArticleNumber: string; StockGoods?: boolean }[];
}

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const { tenant } = options;
  const auth = tenant.fortnox.auth;
  if (auth.mode !== 'client_credentials')
    throw new Error('the console serves the sandbox tenant (client_credentials) only');
  const fortnoxState = `${options.fortnoxUrl}/_sandbox/tenants/${auth.tenantId}/state`;
  const wmsOwner = `${options.wmsUrl}/_sandbox/goods-owners/${tenant.wms.goodsOwnerId}`;
  // A Fortnox user of its own (own tokens), as someone entering orders in Fortnox would be.
  const fortnox = new FortnoxClient({
    apiBaseUrl: tenant.fortnox.apiBaseUrl,
    authBaseUrl: tenant.fortnox.authBaseUrl,
    tenantKey: `${tenant.id}-console`,
    auth,
    tokenStore: new MemoryTokenStore(),
  });

  const app = Fastify({ logger: false, forceCloseConnections: true });
  // Every route: the page and its reads too, so a rebinding name cannot read the sandboxes through it.
  const host = options.host ?? '127.0.0.1';
  installLocalControlGuard(app, { listenHost: host });
  const page = {
    'index.html': asset('index.html'),
    'console.js': asset('console.js'),
    'console.css': asset('console.css'),
  };
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page['index.html']));
  app.get('/console.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(page['console.js']));
  app.get('/console.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(page['console.css']));

  app.get('/api/config', async () => ({
    tenantId: tenant.id,
    tenantName: tenant.name ?? tenant.id,
    fortnoxTenantId: auth.tenantId,
    goodsOwnerId: tenant.wms.goodsOwnerId,
    temporalUiUrl: options.temporalUiUrl,
    namespace: options.namespace,
    canSync: Boolean(options.syncNow),
    workflowIdPrefix: orderWorkflowId(tenant.id, ''),
  }));
  app.get('/api/fortnox/state', async () => got(fortnoxState).json());
  app.get('/api/wms/state', async () => got(`${wmsOwner}/state`).json());

  app.post<{ Params: { orderId: string; action: string } }>(
    '/api/wms/orders/:orderId/:action',
    async (request, reply) => {
      const { orderId, action } = request.params;
      if (!FLOOR_ACTIONS.has(action) || !/^\d+$/.test(orderId))
        return reply.code(404).send({ error: 'unknown floor action' });
      const answer = await got.post(`${wmsOwner}/orders/${orderId}/${action}`, { json: {}, throwHttpErrors: false });
      return reply.code(answer.statusCode).type('application/json').send(answer.body);
    },
  );

  /** A confirmed order (Sent: true) as a Fortnox user would enter it: the next order sync picks it up. */
  app.post('/api/fortnox/orders', async (_request, reply) => {
    const state = await got(fortnoxState).json<FortnoxState>();
    const customer = state.customers[0];
    const articles = state.articles.filter((a) => a.StockGoods !== false).slice(0, 3);
    if (!customer || articles.length === 0)
      return reply.code(409).send({ error: 'the sandbox has no customer or article yet' });
    const n = Date.now();
    const rows = [articles[n % articles.length]!, articles[(n + 1) % articles.length]!]
      .filter((a, i, all) => all.findIndex((b) => b.ArticleNumber === a.ArticleNumber) === i)
      .map((a, i) => ({ ArticleNumber: a.ArticleNumber, OrderedQuantity: 1 + i }));
    const order = await fortnox.createOrder({
      CustomerNumber: customer.CustomerNumber,
      Sent: true,
      YourReference: 'Console',
      OrderRows: rows,
    } as never);
    return reply.code(201).send({ DocumentNumber: order.DocumentNumber });
  });

  app.post('/api/sync', async (_request, reply) => {
    if (!options.syncNow) return reply.code(404).send({ error: 'no order sync to trigger here' });
    await options.syncNow();
    return { triggered: true };
  });

  await app.listen({ port: options.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://localhost:${port}`, app, close: () => app.close() };
}
