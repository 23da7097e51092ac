// Fortnox sandbox persistence: a restart from the snapshot file keeps data, Lager lots, tokens, counters and the clock.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreFortnoxState, snapshotFortnoxState } from '../../simulators/fortnox/persistence';
import { SandboxState } from '../../simulators/fortnox/state';
import type { FortnoxSandbox } from '../../simulators/fortnox/server';
import { apiFor, basic, http, startSandbox, tenantWithBasics } from '../fortnox-sandbox/helpers';
import type { Api, J } from '../fortnox-sandbox/helpers';
import { waitFor } from '../wms/helpers';

let dir: string;
let file: string;
const open: FortnoxSandbox[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fortnox-persist-'));
  file = join(dir, 'sandboxes', 'fortnox.json');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(
  options: { persistIntervalMs?: number; warn?: (m: string) => void } = {},
): Promise<FortnoxSandbox> {
  const sandbox = await startSandbox({ persistFile: file, warn: () => undefined, ...options });
  open.push(sandbox);
  return sandbox;
}

async function restart(sandbox: FortnoxSandbox): Promise<FortnoxSandbox> {
  open.splice(open.indexOf(sandbox), 1);
  await sandbox.close();
  return start();
}

const W = 'api/warehouse';
const inbound = (id: string) => `${W}/documentdeliveries/custom/inbound-v1/WMSIN/${id}`;
const outbound = (id: string) => `${W}/documentdeliveries/custom/outbound-v1/WMSOUT/${id}`;

async function receive(
  sandbox: FortnoxSandbox,
  api: Api,
  id: string,
  quantity: number,
  directCost: number,
): Promise<void> {
  expect(
    (
      await api.put(inbound(id), {
        json: { date: sandbox.state.today(), rows: [{ itemId: 'A1', quantity, directCost }] },
      })
    ).statusCode,
  ).toBe(200);
  expect((await api.put(`${inbound(id)}/release`)).statusCode).toBe(204);
}

describe('Fortnox sandbox persistence', () => {
  it('a restarted sandbox keeps orders, invoices, Lager FIFO lots, tokens, counters and the clock', async () => {
    const first = await start();
    const { t, api, customerNumber } = await tenantWithBasics(first, { lager: true });
    // An access token from before the restart, and a refresh token of an authorization-code chain.
    const accessToken = (
      await http(first.url, { authorization: basic(t), TenantId: t.tenantId }).post('oauth-v1/token', {
        form: { grant_type: 'client_credentials' },
      })
    ).body as J;
    const { code } = (await http(first.url).post(`_sandbox/tenants/${t.tenantId}/authorization-codes`, { json: {} }))
      .body as J;
    const chain = (
      await http(first.url, { authorization: basic(t) }).post('oauth-v1/token', {
        form: { grant_type: 'authorization_code', code },
      })
    ).body as J;

    await receive(first, api, '1', 10, 100);
    await receive(first, api, '2', 10, 130);
    const order = (
      (
        await api.post('3/orders', {
          json: {
            Order: {
              CustomerNumber: customerNumber,
              OrderRows: [{ ArticleNumber: 'A2', OrderedQuantity: 2, Price: 100 }],
            },
          },
        })
      ).body as J
    ).Order;
    const invoiced = await api.put(`3/orders/${order.DocumentNumber}/createinvoice`);
    expect(invoiced.statusCode).toBe(200);
    const invoiceNumber = (invoiced.body as J).Invoice.DocumentNumber;
    await http(first.url).post('_sandbox/clock', { json: { advanceSeconds: 600 } }); // tokens live 3600 s
    const rowIdsBefore = first.state.tenants.get(t.tenantId)!.counters.rowId;

    const second = await restart(first);

    // The old access token still works; so does the refresh token, once.
    const before = http(second.url, { authorization: `Bearer ${accessToken.access_token}` });
    expect((await before.get(`3/orders/${order.DocumentNumber}`)).body).toMatchObject({
      Order: { CustomerNumber: customerNumber },
    });
    const refreshed = await http(second.url, { authorization: basic(t) }).post('oauth-v1/token', {
      form: { grant_type: 'refresh_token', refresh_token: chain.refresh_token },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(((await before.get(`3/invoices/${invoiceNumber}`)).body as J).Invoice).toMatchObject({
      OrderReference: String(order.DocumentNumber),
    });

    // FIFO survives: 5 out of 20 still leave at the oldest lot's cost.
    const out = (
      await before.put(outbound('1'), {
        json: { date: second.state.today(), deliveryState: 'delivery', rows: [{ itemId: 'A1', quantity: 5 }] },
      })
    ).body as J;
    expect(out.averageCosts).toMatchObject([{ itemId: 'A1', averageCostInSEK: 100 }]);
    expect(((await before.get('3/articles/A1')).body as J).Article).toMatchObject({
      QuantityInStock: 15,
      StockValue: 500 + 1300,
    });

    // Counters continue: the next order and its rows get new numbers, a new tenant a new id, a new lot a new id.
    const next = (
      (
        await before.post('3/orders', {
          json: { Order: { CustomerNumber: customerNumber, OrderRows: [{ ArticleNumber: 'A3', OrderedQuantity: 1 }] } },
        })
      ).body as J
    ).Order;
    expect(Number(next.DocumentNumber)).toBe(Number(order.DocumentNumber) + 1);
    expect(next.OrderRows[0].RowId).toBeGreaterThan(rowIdsBefore);
    const other = (await http(second.url).post('_sandbox/tenants', { json: { lager: false } })).body as J;
    expect(Number(other.tenantId)).toBe(Number(t.tenantId) + 1);
    await receive(second, before, '3', 1, 1);
    const lotIds = second.state.tenants.get(t.tenantId)!.warehouse.lots.map((l) => l.id);
    expect(new Set(lotIds).size).toBe(lotIds.length);

    // The sandbox clock is still ten minutes ahead.
    const clock = (await http(second.url).get('_sandbox/clock')).body as J;
    expect(clock.offsetSeconds).toBeCloseTo(600, 0);
  });

  it('snapshot and restore are exact inverses and share nothing with the live state', async () => {
    const sandbox = await startSandbox();
    open.push(sandbox);
    const { t, api } = await tenantWithBasics(sandbox, { lager: true });
    await receive(sandbox, api, '1', 4, 10);
    const snapshot = JSON.parse(JSON.stringify(snapshotFortnoxState(sandbox.state)));
    const copy = new SandboxState();
    restoreFortnoxState(copy, snapshot);
    expect(snapshotFortnoxState(copy)).toEqual(snapshot);
    copy.tenants.get(t.tenantId)!.articles.get('A1')!.Description = 'changed';
    expect(sandbox.state.tenants.get(t.tenantId)!.articles.get('A1')!.Description).toBe('Artikel A1');
    expect(snapshot.tenants[0].articles[0].Description).toBe('Artikel A1');
  });

  it('writes the file by itself when the state changes, and not before', async () => {
    const sandbox = await start({ persistIntervalMs: 20 });
    expect(existsSync(file)).toBe(false);
    await http(sandbox.url).post('_sandbox/tenants', { json: { lager: false, companyName: 'Skrivs AB' } });
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('Skrivs AB'), 'the periodic snapshot');
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as J;
    expect(snapshot.version).toBe(1);
    expect(readdirSync(join(dir, 'sandboxes'))).toEqual(['fortnox.json']); // no temporary files left behind
  });

  it.each([
    ['not JSON', '{"version": 1, "tenants": ['],
    ['another version', JSON.stringify({ version: 999, tenants: [] })],
    ['a broken shape', JSON.stringify({ version: 1, clockOffsetMs: 0, nextTenantId: 5, tenants: [{ tenantId: 'x' }] })],
  ])('moves a file with %s aside and starts empty', async (_what, content) => {
    mkdirSync(join(dir, 'sandboxes'), { recursive: true });
    writeFileSync(file, content);
    const warnings: string[] = [];
    const sandbox = await start({ warn: (m) => warnings.push(m) });
    expect(sandbox.state.tenants.size).toBe(0);
    expect(warnings).toEqual([expect.stringContaining('unusable')]);
    const aside = readdirSync(join(dir, 'sandboxes')).filter((f) => f.startsWith('fortnox.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, 'sandboxes', aside[0]!), 'utf8')).toBe(content);
    // The sandbox works and its own state is what gets written from now on.
    const { t } = await tenantWithBasics(sandbox);
    await apiFor(sandbox, t);
    await sandbox.persist();
    expect((JSON.parse(readFileSync(file, 'utf8')) as J).tenants).toHaveLength(1);
  });
});
