// WMS sandbox persistence: a restart from the snapshot file keeps goods owners, orders, stock, webhooks and id counters.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyBasic, verifyWebhookSignature } from '../../activities/wms/webhook';
import { WmsClient } from '../../activities/wms/client';
import { restoreWmsState, snapshotWmsState, upgradeSnapshot } from '../../simulators/wms/persistence';
import { WmsSandboxState } from '../../simulators/wms/state';
import { startWmsSandbox, type WmsSandbox, type WmsSandboxOptions } from '../../simulators/wms/server';
import { consignee, control, newGoodsOwner, waitFor } from '../wms/helpers';

let dir: string;
let file: string;
const open: Array<WmsSandbox | FastifyInstance> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wms-persist-'));
  file = join(dir, 'sandboxes', 'wms.json');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: WmsSandboxOptions = {}): Promise<WmsSandbox> {
  const sandbox = await startWmsSandbox({ port: 0, persistFile: file, warn: () => undefined, ...options });
  open.push(sandbox);
  return sandbox;
}

async function restart(sandbox: WmsSandbox): Promise<WmsSandbox> {
  open.splice(open.indexOf(sandbox), 1);
  await sandbox.close();
  return start();
}

type ReceiverAuth = { type: 'basic'; username: string; password: string } | { type: 'hmac'; secret: string };

/** A webhook receiver keeping every authenticated event. */
async function startReceiver(auth: ReceiverAuth): Promise<{ url: string; eventIds: number[] }> {
  const app = Fastify();
  const eventIds: number[] = [];
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/hook', async (request, reply) => {
    const raw = request.body as Buffer;
    const authentic =
      auth.type === 'basic'
        ? verifyBasic(request.headers.authorization, auth.username, auth.password)
        : verifyWebhookSignature(raw, request.headers['x-webhook-signature'] as string | undefined, auth.secret);
    if (!authentic) return reply.code(401).send();
    eventIds.push((JSON.parse(raw.toString('utf8')) as { webhookEventId: number }).webhookEventId);
    return reply.code(200).send({ ok: true });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  open.push(app);
  const address = app.server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`, eventIds };
}

const order = (orderNumber: string, lines: Array<[string, string, number]>) => ({
  orderNumber,
  deliveryDate: '2030-01-15',
  consignee,
  orderLines: lines.map(([rowNumber, articleNumber, numberOfItems]) => ({ rowNumber, articleNumber, numberOfItems })),
});

describe('WMS sandbox persistence', () => {
  it('a restarted sandbox keeps the goods owner, orders with status and picks, stock, webhook config and counters', async () => {
    const first = await start();
    const { creds, client, ctl } = await newGoodsOwner(first, { seed: true });
    const auth = { type: 'basic', username: 'ongoing', password: 'kept-across-restarts' } as const;
    const receiver = await startReceiver(auth);
    await ctl('PUT', '/webhooks', {
      url: receiver.url,
      auth,
      events: ['orderCreated', 'orderStatusChanged'],
      statuses: [450],
    });

    const picked = await client.upsertOrder(
      order('FN-1', [
        ['1', 'WIDGET-1', 5],
        ['2', 'GADGET-1', 2],
      ]),
    );
    await ctl('POST', `/orders/${picked.orderId}/pick`, { lines: [{ rowNumber: '1', pickedNumberOfItems: 4 }] });
    const sent = await client.upsertOrder(order('FN-2', [['1', 'WIDGET-2', 3]]));
    await ctl('POST', `/orders/${sent.orderId}/send`, { parcels: 2 });
    const beforeDamage = new Date(Date.now() - 1);
    await ctl('POST', '/stock-adjustments', { articleNumber: 'GADGET-1', delta: -1, reason: 'damage' });
    await ctl('PUT', '/invoice-articles', { articles: [{ code: 'ORDER', price: 30, per: 'order' }] });
    const chargesBefore = await client.getOrderInvoiceCharges(sent.orderId);
    await ctl('PUT', '/permissions', { invoiceCharges: false });
    await waitFor(() => receiver.eventIds.length >= 3, 'the webhooks before the restart');
    const widget2Before = (await client.getArticleByNumber('WIDGET-2'))!;

    const second = await restart(first);

    // Same credentials, same goods owner.
    const again = new WmsClient({
      baseUrl: `${second.url}/${creds.warehouse}`,
      username: creds.username,
      password: creds.password,
      goodsOwnerId: creds.goodsOwnerId,
    });
    const pickedAfter = await again.getOrder(picked.orderId);
    expect(pickedAfter.orderInfo.orderStatus.number).toBe(400);
    expect(pickedAfter.orderLines.map((l) => [l.rowNumber, l.pickedNumberOfItems])).toEqual([
      ['1', 4],
      ['2', 0],
    ]);
    const sentAfter = await again.getOrder(sent.orderId);
    expect(sentAfter.orderInfo.orderStatus.number).toBe(450);
    expect(sentAfter.parcels).toHaveLength(2);

    // Stock: WIDGET-2 left the building with the sent order; GADGET-1 lost one to damage (and its adjustment is listed).
    const widget2 = (await again.getArticleByNumber('WIDGET-2'))!;
    expect(widget2.inventoryInfo).toEqual(widget2Before.inventoryInfo);
    expect(widget2.inventoryInfo.numberOfItems).toBe(80 - 3);
    expect((await again.getArticleByNumber('GADGET-1'))!.inventoryInfo.numberOfItems).toBe(24);
    expect(JSON.stringify(await again.listInventoryAdjustments())).toContain('"numberOfItems":-1');
    // The stock ledger too: the past still reads as it was.
    const gadgetBeforeDamage = (await again.getHistoricalInventory(beforeDamage))
      .flatMap((e) => e.articles)
      .find((a) => a.articleNumber === 'GADGET-1');
    expect(gadgetBeforeDamage?.numberOfItems).toBe(25);

    // Invoicing: the permission withdrawn stays withdrawn; the charges booked and the invoice articles are kept.
    const owner = `/goods-owners/${creds.goodsOwnerId}`;
    await expect(again.getOrderInvoiceCharges(sent.orderId)).rejects.toMatchObject({ status: 403 });
    await control(second, 'PUT', `${owner}/permissions`, { invoiceCharges: true });
    expect(chargesBefore).toHaveLength(3);
    expect(await again.getOrderInvoiceCharges(sent.orderId)).toEqual(chargesBefore);
    expect(await control(second, 'GET', `${owner}/invoice-articles`)).toMatchObject({
      articles: [{ code: 'ORDER', price: 30, per: 'order' }],
    });

    // The webhook config with its credentials is kept: a new order is announced with the same Basic credentials, a
    // new event id (the receiver deduplicates on it), and a new orderId.
    const eventIdsBefore = [...receiver.eventIds];
    const next = await again.upsertOrder(order('FN-3', [['1', 'WIDGET-1', 1]]));
    expect(next.orderId).toBeGreaterThan(sent.orderId);
    await waitFor(() => receiver.eventIds.length > eventIdsBefore.length, 'the webhook after the restart');
    expect(receiver.eventIds.at(-1)).toBeGreaterThan(Math.max(...eventIdsBefore));
    expect(second.state.goodsOwner(creds.goodsOwnerId).webhook).toMatchObject({
      url: receiver.url,
      auth,
      statuses: [450],
    });

    // A new goods owner gets a new id.
    const other = await control<{ goodsOwnerId: number }>(second, 'POST', '/goods-owners', { name: 'Ny AB' });
    expect(other.goodsOwnerId).toBe(creds.goodsOwnerId + 1);
  });

  it('restores a version 1 file, whose webhook was signed with a secret, as an HMAC webhook that keeps signing', async () => {
    const sandbox = await start();
    const { creds, ctl } = await newGoodsOwner(sandbox, { seed: true });
    const secret = 'kept-from-version-1';
    const receiver = await startReceiver({ type: 'hmac', secret });
    await ctl('PUT', '/webhooks', { url: receiver.url, auth: { type: 'hmac', secret }, events: ['orderCreated'] });
    open.splice(open.indexOf(sandbox), 1);
    await sandbox.close();
    // The file as version 1 wrote it: `webhook.secret` instead of `webhook.auth`.
    const current = JSON.parse(readFileSync(file, 'utf8')) as {
      version: number;
      goodsOwners: Array<{ webhook?: Record<string, unknown> }>;
    };
    expect(current.version).toBe(3);
    const v1 = {
      ...current,
      version: 1,
      goodsOwners: current.goodsOwners.map(({ webhook, ...owner }) => {
        if (!webhook) return owner;
        const { auth: _auth, ...rest } = webhook;
        return { ...owner, webhook: { ...rest, secret } };
      }),
    };
    writeFileSync(file, JSON.stringify(v1));

    const warnings: string[] = [];
    const restored = await start({ warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(restored.state.goodsOwner(creds.goodsOwnerId).webhook).toMatchObject({
      url: receiver.url,
      auth: { type: 'hmac', secret },
    });
    const again = new WmsClient({
      baseUrl: `${restored.url}/${creds.warehouse}`,
      username: creds.username,
      password: creds.password,
      goodsOwnerId: creds.goodsOwnerId,
    });
    const before = receiver.eventIds.length;
    await again.upsertOrder(order('FN-V1', [['1', 'WIDGET-1', 1]]));
    await waitFor(() => receiver.eventIds.length > before, 'a signed webhook after the upgrade');
  });

  it('upgrades a version 2 file: default invoice articles, the permission granted, no charges, an empty stock ledger', () => {
    const v2 = {
      version: 2,
      warehouse: 'sandbox',
      nextId: {},
      goodsOwners: [
        {
          goodsOwnerId: 1,
          orders: [{ orderId: 7 }],
          billable: [{ kind: 'orderSent', at: '2026-10-01T00:00:00Z', orderId: 7, pickLines: 1, parcels: 1 }],
        },
      ],
    };
    const upgraded = upgradeSnapshot(v2) as { goodsOwners: object[] };
    expect(upgraded.goodsOwners[0]).not.toHaveProperty('billable'); // what the invented billing specification read
    expect(upgraded).toMatchObject({
      version: 3,
      goodsOwners: [
        {
          goodsOwnerId: 1,
          orders: [{ orderId: 7, invoiceCharges: [] }],
          stockMovements: [],
          permissions: { invoiceCharges: true },
          invoiceArticles: [{ code: 'ORDER' }, { code: 'PICKLINE' }, { code: 'PARCEL' }],
        },
      ],
    });
  });

  it('snapshot and restore are exact inverses and share nothing with the live state', async () => {
    const sandbox = await startWmsSandbox({ port: 0 });
    open.push(sandbox);
    const { creds, client } = await newGoodsOwner(sandbox, { seed: true });
    await client.upsertOrder(order('FN-9', [['1', 'WIDGET-1', 2]]));
    const snapshot = JSON.parse(JSON.stringify(snapshotWmsState(sandbox.state)));
    const copy = new WmsSandboxState();
    restoreWmsState(copy, snapshot);
    expect(snapshotWmsState(copy)).toEqual(snapshot);
    copy.goodsOwner(creds.goodsOwnerId).orders.values().next().value!.orderNumber = 'changed';
    expect(sandbox.state.orderByNumber(sandbox.state.goodsOwner(creds.goodsOwnerId), 'FN-9')).toBeDefined();
  });

  it('writes the file by itself when the state changes', async () => {
    const sandbox = await start({ persistIntervalMs: 20 });
    await control(sandbox, 'POST', '/goods-owners', { name: 'Skrivs AB' });
    await waitFor(() => {
      try {
        return readFileSync(file, 'utf8').includes('Skrivs AB');
      } catch {
        return false;
      }
    }, 'the periodic snapshot');
  });

  it('moves a corrupt file aside and starts empty', async () => {
    mkdirSync(join(dir, 'sandboxes'), { recursive: true });
    writeFileSync(file, '{"version": 1, "goodsOwners": [{"goodsOwnerId": 1}]');
    const warnings: string[] = [];
    const sandbox = await start({ warn: (m) => warnings.push(m) });
    expect(sandbox.state.goodsOwners.size).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(readdirSync(join(dir, 'sandboxes')).filter((f) => f.startsWith('wms.json.corrupt-'))).toHaveLength(1);
    const { creds } = await newGoodsOwner(sandbox);
    expect(creds.goodsOwnerId).toBe(1);
  });
});
