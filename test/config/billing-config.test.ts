// The tenants file's `billing` section: the 3PL's own Fortnox, fee mapping and price list joined onto each goods owner
// it lists.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadTenantsFile } from '../../config';

const dir = mkdtempSync(join(tmpdir(), 'billing-config-test-'));
const tenantsFile = (billing: string, acmeSettings = '') => {
  const path = join(dir, `tenants-${Math.random().toString(36).slice(2)}.yaml`);
  const tenant = (id: string, settings = '') => `
  - id: ${id}
    fortnox: { auth: { mode: client_credentials, clientId: c-${id}, clientSecret: env:SECRET, tenantId: "1" } }
    wms: { baseUrl: https://wms.example/w, username: u, password: p, goodsOwnerId: ${id === 'acme' ? 1 : 2}, webhook: { auth: off } }
    ${settings}`;
  writeFileSync(
    path,
    `tenants:${tenant('acme', acmeSettings)}${tenant('beta', 'settings: { billingCron: "0 7 2 * *" }')}\n${billing}`,
  );
  return path;
};

const section = (goodsOwners: string) => `
billing:
  fortnox: { auth: { mode: client_credentials, clientId: threepl, clientSecret: env:SECRET, tenantId: "99" } }
  feeMapping:
    STORAGE: { articleNumber: LAGER, unit: dag, vat: 25, accountNumber: 3041 }
    ORDER: { description: Orderhantering }
    INBOUND: { description: Inleveransrader }
  priceList:
    STORAGE: { basis: itemsInStock, unitPrice: 0.10, description: "Lagerhållning" }
    INBOUND: { basis: receivedPurchaseOrderLines, unitPrice: 4 }
  periodCron: "0 5 1 * *"
  goodsOwners:${goodsOwners}`;

const env = { SECRET: 's3cret' };

describe('billing configuration', () => {
  it('joins the 3PL section onto the goods owners it lists; the others have none', () => {
    const tenants = loadTenantsFile(
      tenantsFile(
        section(`
    - { tenantId: acme, customerNumber: 1001 }
    - tenantId: beta
      customerNumber: "K-2"
      feeMapping: { ORDER: { description: Ordrar }, ADJUSTMENT: {} }
      priceList: { STORAGE: { basis: itemsInStock, unitPrice: 0.08 }, ADJUSTMENT: { basis: inventoryAdjustments, unitPrice: 15 } }
      orderCharges: false`),
      ),
      env,
    );
    const [acme, beta] = tenants;
    expect(acme!.billing).toEqual({
      fortnox: {
        apiBaseUrl: 'https://api.fortnox.se',
        authBaseUrl: 'https://apps.fortnox.se',
        auth: {
          mode: 'client_credentials',
          clientId: 'threepl',
          clientSecret: 's3cret',
          tenantId: '99',
          scope: expect.any(String),
        },
      },
      customerNumber: '1001',
      feeMapping: {
        STORAGE: { articleNumber: 'LAGER', unit: 'dag', vat: 25, accountNumber: 3041 },
        ORDER: { description: 'Orderhantering' },
        INBOUND: { description: 'Inleveransrader' },
      },
      orderCharges: true,
      priceList: {
        STORAGE: { basis: 'itemsInStock', unitPrice: 0.1, description: 'Lagerhållning' },
        INBOUND: { basis: 'receivedPurchaseOrderLines', unitPrice: 4 },
      },
      maxRowsPerInvoice: 500,
    });
    // The section's period close applies unless the tenant set its own.
    expect(acme!.settings.billingCron).toBe('0 5 1 * *');
    expect(beta!.settings.billingCron).toBe('0 7 2 * *');
    expect(beta!.billing!.feeMapping.ORDER).toEqual({ description: 'Ordrar' });
    expect(beta!.billing!.customerNumber).toBe('K-2');
    // A goods owner's own prices replace the section's entry by entry; its own switch for per-order charges wins.
    expect(beta!.billing!.priceList).toEqual({
      STORAGE: { basis: 'itemsInStock', unitPrice: 0.08 },
      INBOUND: { basis: 'receivedPurchaseOrderLines', unitPrice: 4 },
      ADJUSTMENT: { basis: 'inventoryAdjustments', unitPrice: 15 },
    });
    expect(beta!.billing!.orderCharges).toBe(false);

    const without = loadTenantsFile(tenantsFile(''), env);
    expect(without.map((t) => t.billing)).toEqual([undefined, undefined]);
    expect(without[0]!.settings.billingCron).toBe('0 6 1 * *');
  });

  it("names what is wrong: an unknown goods owner, a bad fee mapping, a row limit over Fortnox's", () => {
    const problems = (text: string) => {
      try {
        loadTenantsFile(text, env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.join('\n');
        throw err;
      }
      throw new Error('expected a ConfigError');
    };
    expect(
      problems(
        tenantsFile(
          section(`
    - { tenantId: nobody, customerNumber: 1 }`),
        ),
      ),
    ).toMatch(/billing\.goodsOwners\.0\.tenantId: no tenant has id "nobody"; expected one of acme, beta/);
    expect(
      problems(
        tenantsFile(
          section(`
    - { tenantId: acme, customerNumber: 1 }`).replace('vat: 25', 'vat: "high"'),
        ),
      ),
    ).toMatch(/billing\.feeMapping\.STORAGE\.vat/);
    expect(
      problems(
        tenantsFile(
          `${section(`
    - { tenantId: acme, customerNumber: 1 }`)}\n  maxRowsPerInvoice: 600`,
        ),
      ),
    ).toMatch(/billing\.maxRowsPerInvoice/);
  });

  it('refuses a price list that cannot be invoiced: a code without a fee mapping, an unknown basis', () => {
    const problems = (text: string) => {
      try {
        loadTenantsFile(text, env);
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.join('\n');
        throw err;
      }
      throw new Error('expected a ConfigError');
    };
    const unmapped = section(`
    - { tenantId: acme, customerNumber: 1 }`).replace('    INBOUND: { description: Inleveransrader }\n', '');
    expect(problems(tenantsFile(unmapped))).toMatch(
      /billing\.priceList\.INBOUND: fee code "INBOUND" has no feeMapping entry for goods owner "acme"; every fee code needs one/,
    );
    expect(
      problems(
        tenantsFile(
          section(`
    - { tenantId: acme, customerNumber: 1, priceList: { PALLET: { basis: itemsInStock, unitPrice: 9 } } }`),
        ),
      ),
    ).toMatch(/billing\.goodsOwners\.0\.priceList\.PALLET: fee code "PALLET" has no feeMapping entry/);
    expect(
      problems(
        tenantsFile(
          section(`
    - { tenantId: acme, customerNumber: 1 }`).replace('basis: itemsInStock', 'basis: pallets'),
        ),
      ),
    ).toMatch(
      /billing\.priceList\.STORAGE\.basis: expected one of itemsInStock, inventoryAdjustments, receivedPurchaseOrderLines/,
    );
  });

  it("checks a tenant's own billing entry the same way", () => {
    const own = (prices: string) =>
      tenantsFile(
        '',
        `billing:
      fortnox: { auth: { mode: client_credentials, clientId: threepl, clientSecret: env:SECRET, tenantId: "99" } }
      customerNumber: 1001
      feeMapping: { STORAGE: {} }
      priceList: ${prices}`,
      );
    expect(loadTenantsFile(own('{ STORAGE: { basis: itemsInStock, unitPrice: 1 } }'), env)[0]!.billing).toMatchObject({
      orderCharges: true,
      priceList: { STORAGE: { basis: 'itemsInStock', unitPrice: 1 } },
    });
    expect(() =>
      loadTenantsFile(
        own(
          '{ STORAGE: { basis: itemsInStock, unitPrice: 1 }, INBOUND: { basis: inventoryAdjustments, unitPrice: 1 } }',
        ),
        env,
      ),
    ).toThrow(/billing\.priceList\.INBOUND: fee code "INBOUND" has no feeMapping entry/);
  });
});
