// `doctor` against the sandboxes and the harness's real webhook receiver: every check passing for a healthy tenant, and
// each failure it must name (a refused Fortnox secret, a missing scope, Lager unreadable, a refused WMS user, a foreign
// goods owner, a webhook URL that refuses or does not answer, webhooks and the poll both off), with a fix and exit 1.
// Its Fortnox events checks with a listener's reports: test/temporal/fortnox-events-operator.test.ts.
import { Writable } from 'node:stream';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { TenantRegistry } from '../../activities/tenant-registry';
import { buildProgram, type AccountsContext } from '../../client/cli';
import { checkTenant, type DoctorCheck } from '../../client/operator/doctor';
import type { OperatorContext } from '../../client/operator/context';
import type { Tenant } from '../../config/tenants';
import { settingsSchema } from '../../domain/settings';
import { startHarness, type Harness } from './harness';

let h: Harness;
let publicUrl: string;
beforeAll(async () => {
  h = await startHarness({ lager: true, startWorkers: false, billing: {} });
  publicUrl = `${h.receiverUrl}/webhooks/wms/${h.tenantId}`;
});
afterAll(async () => {
  await h?.close();
});

/** The harness's tenant, its webhook URL filled in, with some parts changed for a scenario. */
function tenantWith(change: (t: Tenant) => Tenant = (t) => t): Tenant {
  const base = structuredClone(h.tenant);
  if (base.wms.webhook.auth !== 'off') base.wms.webhook.publicUrl = publicUrl;
  return change(base);
}

async function run(tenant: Tenant): Promise<Record<string, DoctorCheck>> {
  const checks = await checkTenant(tenant, new TenantRegistry([tenant], { tokenStore: new MemoryTokenStore() }));
  return Object.fromEntries(checks.map((c) => [c.check, c]));
}

describe('doctor', () => {
  it('passes every check of a healthy tenant, and prints the table; the command exits 0', async () => {
    const checks = await run(tenantWith());
    expect(Object.values(checks).map((c) => [c.check, c.result])).toEqual([
      ['Fortnox token (client credentials)', 'pass'],
      ['Fortnox scopes', 'pass'],
      ['Fortnox Lager', 'pass'],
      ['Fortnox order list', 'pass'],
      ['Fortnox events', 'pass'],
      // No Temporal given to ask whether a listener runs: a warning, never a failure.
      ['Fortnox event listener', 'warn'],
      ['WMS API user', 'pass'],
      ['WMS goods owner', 'pass'],
      ['WMS order list', 'pass'],
      ['webhook URL', 'pass'],
    ]);
    expect(checks['Fortnox Lager']!.detail).toMatch(/^activated/);

    let output = '';
    const out = new Writable({
      write(chunk, _enc, done) {
        output += String(chunk);
        done();
      },
    });
    const tenant = tenantWith();
    const accounts = async (): Promise<AccountsContext> => ({
      tenants: [tenant],
      registry: new TenantRegistry([tenant], { tokenStore: new MemoryTokenStore() }),
      out,
    });
    const noTemporal = async (): Promise<OperatorContext> => {
      throw new Error('doctor must not need Temporal');
    };
    await buildProgram(noTemporal, accounts).parseAsync(['node', 'cli', 'doctor', '--tenant', h.tenantId]);
    expect(output).toContain('All checks passed.');
    expect(output).toMatch(/webhook URL\s+PASS/);
  });

  it('names a refused Fortnox secret, and the command exits non-zero with what to do', async () => {
    const tenant = tenantWith((t) => ({
      ...t,
      fortnox: { ...t.fortnox, auth: { ...t.fortnox.auth, clientSecret: 'wrong-secret' } },
    }));
    const checks = await run(tenant);
    expect(checks['Fortnox token (client credentials)']).toMatchObject({
      result: 'fail',
      fix: expect.stringContaining('clientSecret'),
    });
    expect(JSON.stringify(checks)).not.toContain('wrong-secret');

    let output = '';
    const out = new Writable({
      write(chunk, _enc, done) {
        output += String(chunk);
        done();
      },
    });
    const accounts = async (): Promise<AccountsContext> => ({
      tenants: [tenant],
      registry: new TenantRegistry([tenant], { tokenStore: new MemoryTokenStore() }),
      out,
    });
    await expect(
      buildProgram(async () => {
        throw new Error('no Temporal');
      }, accounts).parseAsync(['node', 'cli', 'doctor']),
    ).rejects.toMatchObject({ name: 'OperatorError', exitCode: 1 });
    expect(output).toMatch(/FAIL/);
    expect(output).toContain('What to do:');
  });

  it('names a missing scope, and a token that cannot read the warehouse API', async () => {
    const checks = await run(
      tenantWith((t) => ({
        ...t,
        fortnox: {
          ...t.fortnox,
          auth: {
            ...t.fortnox.auth,
            scope: 'order invoice customer companyinformation settings',
          } as Tenant['fortnox']['auth'],
        },
      })),
    );
    expect(checks['Fortnox scopes']).toMatchObject({
      result: 'fail',
      detail: expect.stringContaining('missing: article supplier'),
    });
    expect(checks['Fortnox Lager']).toMatchObject({ result: 'warn', fix: expect.stringContaining('warehouse scope') });
  });

  it("names a refused WMS API user, and a goods owner that is not the API user's", async () => {
    const badPassword = await run(tenantWith((t) => ({ ...t, wms: { ...t.wms, password: 'not-the-password' } })));
    expect(badPassword['WMS API user']).toMatchObject({ result: 'fail', fix: expect.stringContaining('wms.password') });
    const foreign = await run(
      tenantWith((t) => ({ ...t, wms: { ...t.wms, goodsOwnerId: t.wms.goodsOwnerId + 1000 } })),
    );
    expect(foreign['WMS API user']!.result).toBe('pass');
    expect(foreign['WMS goods owner']).toMatchObject({
      result: 'fail',
      fix: expect.stringContaining('wms.goodsOwnerId'),
    });
  });

  it('names a webhook URL that refuses the configured credentials, or does not answer at all', async () => {
    const refused = await run(
      tenantWith((t) =>
        t.wms.webhook.auth === 'basic'
          ? { ...t, wms: { ...t.wms, webhook: { ...t.wms.webhook, password: 'a-different-password-1234' } } }
          : t,
      ),
    );
    expect(refused['webhook URL']).toMatchObject({ result: 'fail', detail: expect.stringContaining('401') });
    const silent = await run(
      tenantWith((t) =>
        t.wms.webhook.auth === 'basic'
          ? { ...t, wms: { ...t.wms, webhook: { ...t.wms.webhook, publicUrl: 'http://127.0.0.1:9/webhooks/wms/x' } } }
          : t,
      ),
    );
    expect(silent['webhook URL']).toMatchObject({ result: 'fail', fix: expect.stringContaining('not reachable') });
  });

  it('with 3PL invoicing on, checks that the API user may read invoice charges, and names a missing permission', async () => {
    const billed = (t: Tenant): Tenant => ({ ...t, settings: settingsSchema.parse({ processes: { billing: true } }) });
    expect((await run(tenantWith(billed)))['WMS invoice charges permission']).toMatchObject({ result: 'warn' }); // no order yet
    await h.wms.upsertOrder({
      orderNumber: 'DOCTOR-1',
      deliveryDate: '2030-01-01',
      consignee: { name: 'Kund' },
      orderLines: [{ rowNumber: '1', articleNumber: 'A100', numberOfItems: 1 }],
    });
    expect((await run(tenantWith(billed)))['WMS invoice charges permission']).toMatchObject({ result: 'pass' });
    await got.put(`${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}/permissions`, {
      json: { invoiceCharges: false },
    });
    try {
      expect((await run(tenantWith(billed)))['WMS invoice charges permission']).toMatchObject({
        result: 'fail',
        fix: expect.stringContaining('Administration → Integration → API for goods owners'),
      });
      // Without billing there is nothing to check.
      expect((await run(tenantWith()))['WMS invoice charges permission']).toBeUndefined();
    } finally {
      await got.put(`${h.sandboxes.wmsUrl}/_sandbox/goods-owners/${h.tenant.wms.goodsOwnerId}/permissions`, {
        json: { invoiceCharges: true },
      });
    }
  });

  it('accepts webhooks off while the status poll runs, and fails when both are off', async () => {
    const polled = await run(tenantWith((t) => ({ ...t, wms: { ...t.wms, webhook: { auth: 'off' } } })));
    expect(polled['webhook']).toMatchObject({ result: 'pass', detail: expect.stringContaining('status-change poll') });
    const blind = await run(
      tenantWith((t) => ({
        ...t,
        wms: { ...t.wms, webhook: { auth: 'off' } },
        settings: settingsSchema.parse({ processes: { wmsStatusPoll: false } }),
      })),
    );
    expect(blind['webhook']).toMatchObject({ result: 'fail', fix: expect.stringContaining('wmsStatusPoll') });
  });
});
