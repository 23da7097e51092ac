// The client against a tiny local HTTP server serving what the sandbox never does: quirky, wrong, HTML and empty bodies, odd errors.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure } from './sandbox';
import { toActivityFailure } from '../../activities/integration-error';
import { FortnoxClient, FortnoxError, FortnoxSchemaError, MemoryTokenStore, Pacer } from '../../activities/fortnox';

interface Route {
  status: number;
  body: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

let server: FastifyInstance;
let baseUrl: string;
const routes = new Map<string, Route>();
const seen: Array<{ path: string; authorization?: string; tenantId?: string }> = [];
let tokenCounter = 0;
const SECRET = 'quirks-client-secret';
let revoked = new Set<string>();
/** Tokens answered 403 with Fortnox's "login failed" code, as Fortnox may answer a dead token. */
let forbidden = new Set<string>();

beforeAll(async () => {
  server = Fastify();
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  server.post('/oauth-v1/token', async (request, reply) => {
    const expected = `Basic ${Buffer.from(`quirks-client:${SECRET}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return reply.code(401).send({ error: 'invalid_client' });
    tokenCounter += 1;
    return { access_token: `access-${tokenCounter}`, expires_in: '3600', token_type: 'bearer', scope: 'order' };
  });
  server.all('/*', async (request, reply) => {
    const path = request.url.split('?')[0] as string;
    seen.push({
      path,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (revoked.has(token))
      return reply.code(401).send({ ErrorInformation: { error: 1, message: 'Ogiltig token', code: 2000310 } });
    if (forbidden.has(token))
      return reply.code(403).send({ ErrorInformation: { error: 1, message: 'Kan inte logga in', code: 2000310 } });
    const route = routes.get(`${request.method} ${path}`);
    if (!route)
      return reply.code(404).send({ ErrorInformation: { Error: 1, Message: 'Kan inte hitta', Code: '2000428' } });
    if (route.delayMs) await new Promise((resolve) => setTimeout(resolve, route.delayMs));
    reply.code(route.status);
    for (const [k, v] of Object.entries(route.headers ?? { 'content-type': 'application/json' })) reply.header(k, v);
    return reply.send(route.body);
  });
  baseUrl = await server.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  routes.clear();
  seen.length = 0;
  revoked = new Set();
  forbidden = new Set();
});

function client(timeoutMs = 2000): FortnoxClient {
  return new FortnoxClient({
    apiBaseUrl: baseUrl,
    authBaseUrl: baseUrl,
    tenantKey: 'quirks',
    auth: { mode: 'client_credentials', clientId: 'quirks-client', clientSecret: SECRET, tenantId: 42 },
    tokenStore: new MemoryTokenStore(),
    timeoutMs,
  });
}

const quirkyOrder = {
  Order: {
    '@url': 'https://api.fortnox.se/3/orders/7',
    DocumentNumber: '7',
    CustomerNumber: 1001,
    CustomerName: 'Kund AB',
    Cancelled: 'false',
    Sent: 'true',
    InvoiceReference: '0',
    OfferReference: 0,
    YourReference: null,
    DeliveryState: 'Delivery',
    Total: '250.50',
    SomethingNew: { nested: true },
    OrderRows: [
      { RowId: '3', ArticleNumber: 'A1', OrderedQuantity: '10.00', DeliveredQuantity: '', Price: 25, Unknown: 'x' },
      { RowId: 4, ArticleNumber: 'A2', OrderedQuantity: 2, DeliveredQuantity: '2.00', ReservedQuantity: null },
    ],
  },
};

describe('parsing quirky Fortnox JSON', () => {
  it('emits clean types: numbers, null references, booleans, unknown fields stripped', async () => {
    routes.set('GET /3/orders/7', { status: 200, body: JSON.stringify(quirkyOrder) });
    const order = await client().getOrder(7);
    expect(order.DocumentNumber).toBe('7');
    expect(order.CustomerNumber).toBe('1001');
    expect(order.Cancelled).toBe(false);
    expect(order.Sent).toBe(true);
    expect(order.InvoiceReference).toBeNull();
    expect(order.OfferReference).toBeNull();
    expect(order.YourReference).toBe('');
    expect(order.DeliveryState).toBe('delivery');
    expect(order.Total).toBe(250.5);
    expect(order.OrderRows).toEqual([
      { RowId: 3, ArticleNumber: 'A1', OrderedQuantity: 10, DeliveredQuantity: 0, Price: 25 },
      { RowId: 4, ArticleNumber: 'A2', OrderedQuantity: 2, DeliveredQuantity: 2, ReservedQuantity: 0 },
    ]);
    expect(order).not.toHaveProperty('SomethingNew');
    expect(order).not.toHaveProperty('@url');
  });

  it('keeps a real invoice reference as a string', async () => {
    routes.set('GET /3/orders/8', {
      status: 200,
      body: JSON.stringify({ Order: { ...quirkyOrder.Order, DocumentNumber: 8, InvoiceReference: 55 } }),
    });
    expect((await client().getOrder(8)).InvoiceReference).toBe('55');
  });

  it('parses list pages with MetaInformation given as strings', async () => {
    routes.set('GET /3/orders', {
      status: 200,
      body: JSON.stringify({
        Orders: [{ DocumentNumber: '1', CustomerNumber: '2', Sent: 'false', Cancelled: false, Total: '10' }],
        MetaInformation: { '@TotalResources': '1', '@TotalPages': 1, '@CurrentPage': '1' },
      }),
    });
    const page = await client().listOrders({ sent: true, lastModifiedSince: new Date('2026-07-01T10:00:00Z') });
    expect(page).toEqual({
      items: [{ DocumentNumber: '1', CustomerNumber: '2', Sent: false, Cancelled: false, Total: 10 }],
      totalResources: 1,
      totalPages: 1,
      currentPage: 1,
    });
  });

  it('reads a list without MetaInformation (as the OpenAPI declares the order list) as its only page', async () => {
    routes.set('GET /3/orders', {
      status: 200,
      body: JSON.stringify({
        Orders: [
          { DocumentNumber: '1', CustomerNumber: '2' },
          { DocumentNumber: '2', CustomerNumber: '2' },
        ],
      }),
    });
    expect(await client().listOrders()).toMatchObject({ totalResources: 2, totalPages: 1, currentPage: 1 });
    const all = await client().listAllOrders();
    expect(all.map((o) => o.DocumentNumber)).toEqual(['1', '2']);
    expect(seen.filter((s) => s.path === '/3/orders')).toHaveLength(2);
  });

  it('rejects a genuinely wrong payload with a schema error naming the field', async () => {
    const bad = structuredClone(quirkyOrder);
    (bad.Order.OrderRows[1] as Record<string, unknown>).OrderedQuantity = 'ten';
    routes.set('GET /3/orders/9', { status: 200, body: JSON.stringify(bad) });
    const err = await failure(client().getOrder(9));
    expect(err).toBeInstanceOf(FortnoxSchemaError);
    expect(err.kind).toBe('non-retryable');
    expect((err as FortnoxSchemaError).field).toBe('Order.OrderRows.1.OrderedQuantity');
    expect(err.message).toContain('Order.OrderRows.1.OrderedQuantity');
    expect(err.message).toContain('"ten"');
  });

  it('rejects a row without RowId, and an order without DocumentNumber', async () => {
    const noRowId = structuredClone(quirkyOrder);
    delete (noRowId.Order.OrderRows[0] as Record<string, unknown>).RowId;
    routes.set('GET /3/orders/10', { status: 200, body: JSON.stringify(noRowId) });
    expect(((await failure(client().getOrder(10))) as FortnoxSchemaError).field).toBe('Order.OrderRows.0.RowId');

    const { DocumentNumber: _dropped, ...rest } = quirkyOrder.Order;
    routes.set('GET /3/orders/11', { status: 200, body: JSON.stringify({ Order: rest }) });
    expect(((await failure(client().getOrder(11))) as FortnoxSchemaError).field).toBe('Order.DocumentNumber');
  });

  it('treats HTML and empty bodies on a 2xx as schema errors', async () => {
    routes.set('GET /3/orders/12', {
      status: 200,
      body: '<html><body>Maintenance</body></html>',
      headers: { 'content-type': 'text/html' },
    });
    routes.set('GET /3/orders/13', { status: 200, body: '' });
    const html = await failure(client().getOrder(12));
    expect(html).toBeInstanceOf(FortnoxSchemaError);
    expect(html.message).toContain('HTML');
    const empty = await failure(client().getOrder(13));
    expect(empty).toBeInstanceOf(FortnoxSchemaError);
    expect(empty.message).toContain('empty body');
  });
});

describe('classifying failures', () => {
  it('404 with upper-case keys and a string code → non-retryable with status and code', async () => {
    const err = await failure(client().getOrder(404));
    expect(err.kind).toBe('non-retryable');
    expect(err.status).toBe(404);
    expect(err.code).toBe('2000428');
    expect(err.fortnoxMessage).toBe('Kan inte hitta');
    expect(err.method).toBe('GET');
    expect(err.path).toBe('/3/orders/404');
  });

  it('400 with the Fortnox code → non-retryable', async () => {
    routes.set('POST /3/articles', {
      status: 400,
      body: JSON.stringify({ ErrorInformation: { error: 1, message: 'Artikelnumret är upptaget', code: 2000013 } }),
    });
    const err = await failure(client().createArticle({ ArticleNumber: 'A1', Description: 'x' }));
    expect(err).toMatchObject({
      kind: 'non-retryable',
      status: 400,
      code: '2000013',
      fortnoxMessage: 'Artikelnumret är upptaget',
    });
  });

  it('Lager errors {error, id, message} carry the string code', async () => {
    routes.set('PUT /api/warehouse/documentdeliveries/custom/outbound-v1/WMS/1', {
      status: 400,
      body: JSON.stringify({ error: 'cannot_modify_released_document', id: 'abc', message: 'Released' }),
    });
    const err = await failure(
      client().putOutboundDocument('WMS', 1, { date: '2026-01-01', deliveryState: 'delivery', rows: [] }),
    );
    expect(err).toMatchObject({ kind: 'non-retryable', status: 400, code: 'cannot_modify_released_document' });
  });

  it('429 → rate-limited, with Retry-After when given and a window otherwise', async () => {
    routes.set('GET /3/orders/1', {
      status: 429,
      body: '{"message":"Too many requests"}',
      headers: { 'retry-after': '2', 'content-type': 'application/json' },
    });
    routes.set('GET /3/orders/2', { status: 429, body: '' });
    const withHeader = await failure(client().getOrder(1));
    expect(withHeader).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 2000 });
    const without = await failure(client().getOrder(2));
    expect(without).toMatchObject({ kind: 'rate-limited', retryAfterMs: 5000 });
  });

  it('after a 429 the client pacer holds that tenant back for the Retry-After delay', async () => {
    routes.set('GET /3/orders/1', { status: 429, body: '', headers: { 'retry-after': '0.3' } });
    routes.set('GET /3/orders/7', { status: 200, body: JSON.stringify(quirkyOrder) });
    const fortnox = new FortnoxClient({
      apiBaseUrl: baseUrl,
      authBaseUrl: baseUrl,
      tenantKey: 'paced',
      auth: { mode: 'client_credentials', clientId: 'quirks-client', clientSecret: SECRET, tenantId: 42 },
      tokenStore: new MemoryTokenStore(),
      pacer: new Pacer(),
    });
    const limited = await failure(fortnox.getOrder(1));
    const at = Date.now();
    expect(limited.retryAfterMs).toBe(300);
    await fortnox.getOrder(7);
    expect(Date.now() - at).toBeGreaterThanOrEqual(290);
  });

  it('500 with a Fortnox code, 503 with an HTML page → retryable', async () => {
    routes.set('GET /3/orders/1', {
      status: 500,
      body: JSON.stringify({ ErrorInformation: { error: 1, message: 'Systemfel', code: 1000003 } }),
    });
    routes.set('GET /3/orders/2', {
      status: 503,
      body: '<html>Service Unavailable</html>',
      headers: { 'content-type': 'text/html' },
    });
    expect(await failure(client().getOrder(1))).toMatchObject({ kind: 'retryable', status: 500, code: '1000003' });
    const html = await failure(client().getOrder(2));
    expect(html).toMatchObject({ kind: 'retryable', status: 503 });
    expect(html).not.toBeInstanceOf(FortnoxSchemaError);
  });

  it('a timeout and a refused connection → retryable', async () => {
    routes.set('GET /3/orders/1', { status: 200, body: JSON.stringify(quirkyOrder), delayMs: 1000 });
    const timeout = await failure(client(200).getOrder(1));
    expect(timeout.kind).toBe('retryable');
    expect(timeout.message).toContain('timed out');

    const closed = Fastify();
    const closedUrl = await closed.listen({ port: 0, host: '127.0.0.1' });
    await closed.close();
    const refused = await failure(
      new FortnoxClient({
        apiBaseUrl: closedUrl,
        authBaseUrl: baseUrl,
        tenantKey: 'refused',
        auth: { mode: 'client_credentials', clientId: 'quirks-client', clientSecret: SECRET, tenantId: 42 },
        tokenStore: new MemoryTokenStore(),
      }).getOrder(1),
    );
    expect(refused).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED' });
  });

  it('a 401 invalidates the access token once and retries with a new one', async () => {
    routes.set('GET /3/orders/7', { status: 200, body: JSON.stringify(quirkyOrder) });
    const fortnox = client();
    await fortnox.getOrder(7);
    const first = seen[0]?.authorization;
    revoked.add((first ?? '').replace('Bearer ', ''));
    await fortnox.getOrder(7);
    expect(seen.map((s) => s.authorization)).toEqual([first, first, expect.not.stringMatching(first ?? '')]);
  });

  it("a 403 for a dead token (Fortnox's documented answer to failed authentication) also refreshes once", async () => {
    routes.set('GET /3/orders/8', { status: 200, body: JSON.stringify(quirkyOrder) });
    const fortnox = client();
    await fortnox.getOrder(8);
    const first = seen[0]?.authorization;
    forbidden.add((first ?? '').replace('Bearer ', ''));
    await fortnox.getOrder(8);
    expect(seen.map((s) => s.authorization)).toEqual([first, first, expect.not.stringMatching(first ?? '')]);
  });

  it('a 403 for a missing licence (2001101) is not retried with a new token', async () => {
    routes.set('GET /3/orders/9', {
      status: 403,
      body: JSON.stringify({ ErrorInformation: { error: 1, message: 'Saknar licens', code: 2001101 } }),
    });
    const fortnox = client();
    const err = await failure(fortnox.getOrder(9));
    expect(err).toMatchObject({ kind: 'non-retryable', status: 403, code: '2001101' });
    expect(seen).toHaveLength(1);
  });

  it('never puts tokens or the client secret into errors', async () => {
    routes.set('GET /3/orders/1', { status: 500, body: '' });
    const fortnox = client();
    const err = await failure(fortnox.getOrder(1));
    const everything = JSON.stringify({ message: err.message, stack: err.stack, cause: String(err.cause), err });
    expect(everything).not.toContain('access-');
    expect(everything).not.toContain(SECRET);
    const timeout = await failure(client(1).getOrder(1));
    expect(JSON.stringify({ m: timeout.message, c: String(timeout.cause), e: timeout })).not.toContain('access-');
  });
});

describe('the one translation into Temporal failures (toActivityFailure)', () => {
  const base = { method: 'GET', path: '/3/orders/1' };
  it('maps each kind to the Temporal failure the retry policy needs', () => {
    const notFound = toActivityFailure(
      new FortnoxError('nf', { ...base, kind: 'non-retryable', status: 404, code: '2000428' }),
    );
    expect(notFound).toBeInstanceOf(ApplicationFailure);
    expect(notFound).toMatchObject({ nonRetryable: true, type: 'FortnoxNotFound' });
    expect((notFound as ApplicationFailure).details?.[0]).toMatchObject({
      status: 404,
      code: '2000428',
      path: '/3/orders/1',
    });

    const bad = toActivityFailure(new FortnoxError('bad', { ...base, kind: 'non-retryable', status: 400 }));
    expect(bad).toMatchObject({ nonRetryable: true, type: 'FortnoxBadRequest' });

    const schema = toActivityFailure(
      new FortnoxSchemaError({ ...base, status: 200, field: 'Order.RowId', issues: ['x'] }),
    );
    expect(schema).toMatchObject({ nonRetryable: true, type: 'FortnoxSchemaViolation' });

    const limited = toActivityFailure(
      new FortnoxError('429', { ...base, kind: 'rate-limited', status: 429, retryAfterMs: 3000 }),
    );
    expect(limited).toMatchObject({ nonRetryable: false, type: 'FortnoxRateLimited', nextRetryDelay: 3000 });

    const down = toActivityFailure(new FortnoxError('503', { ...base, kind: 'retryable', status: 503 }));
    expect(down).toMatchObject({ nonRetryable: false, type: 'FortnoxUnavailable' });

    const other = new Error('not ours');
    expect(toActivityFailure(other)).toBe(other);
  });
});
