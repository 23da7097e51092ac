// The Fortnox sandbox's WebSocket event stream speaks Fortnox's "Topics" protocol (../shared/reference/fortnox.md,
// "WebSocket events"): commands answered by `{response, result}`, events `{topic, offset, type, tenantId, entityId,
// timestamp}` for the connection's tenants and topics, replay from an offset, tokens that expire, and the faults a
// real stream shows.
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTenant, startSandbox, type Sandbox, type SandboxTenant } from './sandbox';

let sandbox: Sandbox;
let tenant: SandboxTenant;
let other: SandboxTenant;

async function accessToken(t: SandboxTenant): Promise<string> {
  const body = await got
    .post(`${sandbox.url}/oauth-v1/token`, {
      username: t.clientId,
      password: t.clientSecret,
      headers: { TenantId: t.tenantId },
      form: { grant_type: 'client_credentials', scope: 'order article supplier customer warehouse' },
    })
    .json<{ access_token: string }>();
  return body.access_token;
}

/** A connection that collects every message, with a way to wait for the next one matching. */
async function connect() {
  const socket = new WebSocket(sandbox.eventsUrl);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let seen = 0;
  return {
    socket,
    messages,
    events: () => messages.filter((m) => 'topic' in m),
    async command(body: Record<string, unknown>) {
      const from = messages.length;
      socket.send(JSON.stringify(body));
      await expect.poll(() => messages.slice(from).find((m) => m.response === body.command)).toBeDefined();
      seen = messages.length;
      return messages.slice(from).find((m) => m.response === body.command)!;
    },
    seen: () => seen,
  };
}

/** A connection carrying `tenant` (by `token`) and the orders topic (from `offset`, if given), subscribed. */
async function subscribed(token: string, offset?: string) {
  const c = await connect();
  await c.command({ command: 'add-tenants-v1', clientSecret: tenant.clientSecret, accessTokens: [`Bearer ${token}`] });
  await c.command({ command: 'add-topics-v1', topics: [offset ? { topic: 'orders', offset } : { topic: 'orders' }] });
  expect(await c.command({ command: 'subscribe-v1' })).toMatchObject({ result: 'ok' });
  return c;
}

const order = (t: SandboxTenant, token: string) =>
  got
    .post(`${sandbox.url}/3/orders`, {
      headers: { Authorization: `Bearer ${token}` },
      json: { Order: { CustomerNumber: '1', OrderRows: [] } },
    })
    .json<{ Order: { DocumentNumber: number } }>();

beforeAll(async () => {
  sandbox = await startSandbox({ rateLimit: false });
  tenant = await createTenant(sandbox.url, { lager: false });
  other = await createTenant(sandbox.url, { lager: false });
  for (const t of [tenant, other]) {
    await got.post(`${sandbox.url}/3/customers`, {
      headers: { Authorization: `Bearer ${await accessToken(t)}` },
      json: { Customer: { CustomerNumber: '1', Name: 'Kund AB' } },
    });
  }
});
afterAll(() => sandbox.close());

describe('the sandbox event stream (/topics-v1)', () => {
  it('adds tenants by access token and client secret, and refuses a token with the wrong secret', async () => {
    const c = await connect();
    const token = await accessToken(tenant);
    const wrong = await accessToken(other);
    const added = await c.command({
      command: 'add-tenants-v1',
      clientSecret: tenant.clientSecret,
      accessTokens: [`Bearer ${token}`, `Bearer ${wrong}`],
    });
    expect(added).toMatchObject({
      response: 'add-tenants-v1',
      result: 'error',
      tenantIds: { [`Bearer ${token}`]: Number(tenant.tenantId) },
      invalidTokens: [`Bearer ${wrong}`],
    });
    expect(await c.command({ command: 'list-tenants-v1' })).toMatchObject({ tenantIds: [Number(tenant.tenantId)] });
    expect(
      await c.command({ command: 'add-topics-v1', topics: [{ topic: 'orders' }, { topic: 'nope' }] }),
    ).toMatchObject({
      result: 'error',
      invalidTopics: [{ topic: 'nope' }],
    });
    expect(await c.command({ command: 'frobnicate-v1' })).toMatchObject({ result: 'error' });
    c.socket.close();
  });

  it("streams the connection's tenants' events after subscribe-v1, ids only, in order, and replays from an offset", async () => {
    const token = await accessToken(tenant);
    const otherToken = await accessToken(other);
    const c = await subscribed(token);
    const first = await order(tenant, token);
    await order(other, otherToken); // another tenant's: not on this connection
    const second = await order(tenant, token);
    await expect.poll(() => c.events().length).toBe(2);
    const [a, b] = c.events();
    expect(a).toEqual({
      topic: 'orders',
      offset: expect.any(String),
      type: 'order-created-v1',
      tenantId: Number(tenant.tenantId),
      entityId: String(first.Order.DocumentNumber),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/),
    });
    expect(b).toMatchObject({ entityId: String(second.Order.DocumentNumber) });
    expect(a!.offset).not.toBe(b!.offset);
    c.socket.close();

    // A new connection resuming from the first event's offset sees it again (at-least-once), then the second.
    const again = await subscribed(token, String(a!.offset));
    await expect
      .poll(() => again.events().map((e) => e.entityId))
      .toEqual([String(first.Order.DocumentNumber), String(second.Order.DocumentNumber)]);
    // An offset the topic never issued is refused.
    expect(
      await again.command({ command: 'add-topics-v1', topics: [{ topic: 'orders', offset: 'ozzzzzz' }] }),
    ).toMatchObject({ result: 'error' });
    again.socket.close();
  });

  it('stops a tenant whose token expired until its new token is added, and drops and duplicates on demand', async () => {
    const token = await accessToken(tenant);
    const c = await subscribed(token);
    sandbox.state.accessTokens.get(token)!.expiresAt = sandbox.state.clock.nowMs() - 1;
    const fresh = await accessToken(tenant);
    await order(tenant, fresh);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(c.events()).toHaveLength(0);
    await c.command({
      command: 'add-tenants-v1',
      clientSecret: tenant.clientSecret,
      accessTokens: [`Bearer ${fresh}`],
    });
    await order(tenant, fresh);
    await expect.poll(() => c.events().length).toBe(1);

    await got.put(`${sandbox.url}/_sandbox/events/faults`, { json: { duplicateRate: 1 } });
    await order(tenant, fresh);
    await expect.poll(() => c.events().length).toBe(3);
    expect(c.events()[1]).toEqual(c.events()[2]);
    await got.put(`${sandbox.url}/_sandbox/events/faults`, { json: { duplicateRate: 0 } });

    const closed = new Promise<number>((resolve) => c.socket.once('close', resolve));
    const dropped = await got.post(`${sandbox.url}/_sandbox/events/drop`, { json: {} }).json<{ dropped: number }>();
    expect(dropped.dropped).toBeGreaterThanOrEqual(1);
    expect(await closed).toBe(1006);
  });
});
