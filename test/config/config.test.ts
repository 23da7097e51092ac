import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';

const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('needs nothing: the embedded default', () => {
    const config = loadConfig({});
    expect(config.env).toMatchObject({ TEMPORAL_UI_PORT: 8233, TEMPORAL_NAMESPACE: 'default', TASK_QUEUE: 'wms-fortnox' });
    expect(config.env.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.tenants).toEqual([]);
  });

  it('names the key, the problem and what was expected', () => {
    expect(problems({ TEMPORAL_UI_PORT: 'eighty' })).toEqual(['TEMPORAL_UI_PORT: expected a port number (1-65535) (got "eighty")']);
    expect(problems({ TEMPORAL_ADDRESS: 'localhost' })[0]).toMatch(/^TEMPORAL_ADDRESS: expected host:port.*\(got "localhost"\)$/);
    expect(problems({ TEMPORAL_TLS: 'maybe' })[0]).toMatch(/^TEMPORAL_TLS: expected true or false/);
    expect(problems({ LOG_LEVEL: 'loud', WEBHOOK_PORT: '70000' })).toHaveLength(2);
  });

  it('reads a tenants file with settings defaults and env: secrets', () => {
    const path = file('tenants.yaml', `
tenants:
  - id: acme
    fortnox:
      auth: { mode: client_credentials, clientId: abc, clientSecret: "env:ACME_SECRET", tenantId: "123456" }
    wms:
      baseUrl: https://api.ongoingsystems.se/Acme
      username: WSI-acme
      password: env:ACME_WMS_PASSWORD
      goodsOwnerId: 7
      webhookSecret: 0123456789abcdef0123
    settings:
      processes: { stockLevels: true }
      reportOn: picked
`);
    const { tenants } = loadConfig({ TENANTS_FILE: path, ACME_SECRET: 's3cr3t', ACME_WMS_PASSWORD: 'pw' });
    expect(tenants).toHaveLength(1);
    const [acme] = tenants;
    expect(acme!.fortnox.apiBaseUrl).toBe('https://api.fortnox.se');
    expect(acme!.fortnox.auth).toMatchObject({ clientSecret: 's3cr3t' });
    expect(acme!.wms.password).toBe('pw');
    expect(acme!.settings.processes).toEqual({
      articles: true, suppliers: true, orders: true, fulfilmentReporting: true, stockLevels: true, billing: false,
      purchaseOrders: true,
    });
    expect(acme!.settings).toMatchObject({ syncInterval: '15m', reportOn: 'picked', notifications: { sms: false, email: false } });
  });

  it('reports tenants file problems with the file, the path and the expectation', () => {
    const path = file('bad.yaml', `
tenants:
  - id: Acme Corp
    fortnox: { auth: { mode: password } }
    wms: { baseUrl: not-a-url, username: u, password: env:MISSING_VAR, goodsOwnerId: 1, webhookSecret: short }
`);
    const found = problems({ TENANTS_FILE: path });
    expect(found).toEqual([`${path}: tenants.0.wms.password: refers to environment variable MISSING_VAR, which is not set`]);
    const found2 = problems({ TENANTS_FILE: path, MISSING_VAR: 'x' });
    expect(found2.join('\n')).toContain(`${path}: tenants.0.id: expected lower-case letters, digits and dashes (max 40) (got "Acme Corp")`);
    expect(found2.join('\n')).toContain('tenants.0.fortnox.auth.mode: expected mode client_credentials or refresh_token');
    expect(found2.join('\n')).toContain('tenants.0.wms.baseUrl: expected an absolute http(s) URL (got "not-a-url")');
    expect(found2.join('\n')).toContain('tenants.0.wms.webhookSecret: expected a shared secret of at least 16 characters (got (hidden))');
  });

  it('reports a missing tenants file', () => {
    expect(problems({ TENANTS_FILE: join(dir, 'nope.yaml') })[0]).toMatch(/^TENANTS_FILE: cannot read .*nope\.yaml/);
  });
});
