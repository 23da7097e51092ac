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
      webhook:
        auth: basic
        username: ongoing
        password: env:ACME_WEBHOOK_PASSWORD
        publicUrl: https://bridge.example.com/webhooks/wms/acme
    settings:
      processes: { stockLevels: true }
      reportOn: picked
`);
    const { tenants } = loadConfig({ TENANTS_FILE: path, ACME_SECRET: 's3cr3t', ACME_WMS_PASSWORD: 'pw', ACME_WEBHOOK_PASSWORD: 'p'.repeat(16) });
    expect(tenants).toHaveLength(1);
    const [acme] = tenants;
    expect(acme!.fortnox.apiBaseUrl).toBe('https://api.fortnox.se');
    expect(acme!.fortnox.auth).toMatchObject({ clientSecret: 's3cr3t' });
    expect(acme!.wms.password).toBe('pw');
    expect(acme!.wms.webhook).toEqual({
      auth: 'basic', username: 'ongoing', password: 'p'.repeat(16), publicUrl: 'https://bridge.example.com/webhooks/wms/acme',
    });
    expect(acme!.settings.processes).toEqual({
      articles: true, suppliers: true, orders: true, fulfilmentReporting: true, stockLevels: true, billing: false,
      purchaseOrders: true, wmsStatusPoll: true,
    });
    expect(acme!.settings).toMatchObject({ syncInterval: '15m', wmsStatusPollInterval: '2m', reportOn: 'picked',
      notifications: { sms: false, email: false } });
  });

  it('reports tenants file problems with the file, the path and the expectation', () => {
    const path = file('bad.yaml', `
tenants:
  - id: Acme Corp
    fortnox: { auth: { mode: password } }
    wms: { baseUrl: not-a-url, username: u, password: env:MISSING_VAR, goodsOwnerId: 1, webhook: { auth: hmac, secret: short } }
`);
    const found = problems({ TENANTS_FILE: path });
    expect(found).toEqual([`${path}: tenants.0.wms.password: refers to environment variable MISSING_VAR, which is not set`]);
    const found2 = problems({ TENANTS_FILE: path, MISSING_VAR: 'x' });
    expect(found2.join('\n')).toContain(`${path}: tenants.0.id: expected lower-case letters, digits and dashes (max 40) (got "Acme Corp")`);
    expect(found2.join('\n')).toContain('tenants.0.fortnox.auth.mode: expected mode client_credentials or refresh_token');
    expect(found2.join('\n')).toContain('tenants.0.wms.baseUrl: expected an absolute http(s) URL (got "not-a-url")');
    expect(found2.join('\n')).toContain('tenants.0.wms.webhook.secret: expected a shared secret of at least 16 characters (got (hidden))');
  });

  describe('wms.webhook', () => {
    const tenantsWith = (webhook: string, extra = '') => file(`webhook-${Math.random().toString(36).slice(2)}.yaml`, `
tenants:
  - id: acme
    fortnox: { auth: { mode: client_credentials, clientId: c, clientSecret: s, tenantId: "1" } }
    wms:
      baseUrl: https://api.ongoingsystems.se/Acme
      username: WSI-acme
      password: p
      goodsOwnerId: 7
${webhook.trim().split('\n').map((line) => `      ${line}`).join('\n')}
${extra}`);
    const webhookOf = (webhook: string, env: NodeJS.ProcessEnv = {}) =>
      loadConfig({ TENANTS_FILE: tenantsWith(webhook), ...env }).tenants[0]!.wms.webhook;
    const token = 'tok_' + 'A1b2-'.repeat(7);

    it('takes each mode: basic, token, hmac and off', () => {
      expect(webhookOf('webhook: { auth: basic, username: ongoing, password: env:HOOK_PASSWORD }', { HOOK_PASSWORD: 'correct-horse-battery' }))
        .toEqual({ auth: 'basic', username: 'ongoing', password: 'correct-horse-battery' });
      expect(webhookOf(`webhook: { auth: token, token: ${token}, publicUrl: "https://bridge.example.com/webhooks/wms/acme" }`))
        .toEqual({ auth: 'token', token, publicUrl: 'https://bridge.example.com/webhooks/wms/acme' });
      expect(webhookOf('webhook: { auth: hmac, secret: 0123456789abcdef0123 }')).toEqual({ auth: 'hmac', secret: '0123456789abcdef0123' });
      expect(webhookOf('webhook: { auth: off }')).toEqual({ auth: 'off' });
    });

    it('refuses a missing section, an unknown mode, a short password or token, and a token inside publicUrl', () => {
      const found = (webhook: string) => problems({ TENANTS_FILE: tenantsWith(webhook) }).join('\n');
      expect(found('')).toContain('tenants.0.wms.webhook: expected a webhook section with auth basic, token, hmac or off (got missing)');
      expect(found('webhook: { auth: signed }')).toContain('tenants.0.wms.webhook.auth: expected a webhook section with auth basic, token, hmac or off (got "signed")');
      expect(found('webhook: { auth: basic, username: ongoing, password: short-pass }'))
        .toContain('tenants.0.wms.webhook.password: expected a password of at least 16 characters (got (hidden))');
      expect(found('webhook: { auth: basic, password: a-long-enough-password }')).toContain('tenants.0.wms.webhook.username:');
      expect(found('webhook: { auth: token, token: too-short-token }'))
        .toContain('tenants.0.wms.webhook.token: expected at least 32 characters of A-Z, a-z, 0-9, _ and - (got (hidden))');
      expect(found(`webhook: { auth: token, token: "${'x'.repeat(31)}/" }`)).toContain('tenants.0.wms.webhook.token: expected at least 32 characters');
      expect(found(`webhook: { auth: token, token: ${token}, publicUrl: "https://b.example/webhooks/wms/acme/${token}" }`))
        .toContain('tenants.0.wms.webhook.token: appears in publicUrl');
      expect(found('webhook: { auth: hmac, secret: short }')).toContain('tenants.0.wms.webhook.secret: expected a shared secret of at least 16 characters');
      expect(found('webhook: { auth: basic, username: u, password: a-long-enough-password, publicUrl: not-a-url }'))
        .toContain('tenants.0.wms.webhook.publicUrl: expected an absolute http(s) URL (got "not-a-url")');
    });

    it('refuses webhookSecret with how to migrate', () => {
      const found = problems({ TENANTS_FILE: tenantsWith('webhookSecret: 0123456789abcdef0123') });
      expect(found.join('\n')).toContain(
        'tenants.0.wms.webhookSecret: replaced by wms.webhook {auth: hmac, secret} (or auth: basic, which is what Ongoing sends) (got (hidden))',
      );
      // Also next to a valid webhook section: the old key is never silently ignored.
      expect(problems({ TENANTS_FILE: tenantsWith('webhook: { auth: off }\nwebhookSecret: 0123456789abcdef0123') }).join('\n'))
        .toContain('tenants.0.wms.webhookSecret: replaced by wms.webhook');
    });

    it('never prints a webhook secret in a configuration error', () => {
      const secrets = {
        HOOK_PASSWORD: 'leaky-password',
        HOOK_TOKEN: 'leaky-token',
        HOOK_SECRET: 'leaky-secret',
        HOOK_OLD: 'leaky-old-webhook-secret',
        HOOK_WHOLE: 'leaky-whole-section-secret',
      };
      const texts = [
        'webhook: { auth: basic, username: u, password: env:HOOK_PASSWORD }',
        'webhook: { auth: basic, username: u, password: leaky-password }',
        'webhook: { auth: token, token: env:HOOK_TOKEN }',
        'webhook: { auth: hmac, secret: env:HOOK_SECRET }',
        'webhook: { auth: hmac, secret: leaky-secret }',
        'webhookSecret: env:HOOK_OLD',
        'webhookSecret: leaky-old-webhook-secret',
        // A migration slip: the secret where the section belongs.
        'webhook: env:HOOK_WHOLE',
        // A section with a secret but no mode: reported on the section's `auth`, never echoing the section.
        'webhook: { username: u, password: leaky-password }',
      ].map((webhook) => problems({ TENANTS_FILE: tenantsWith(webhook), ...secrets }).join('\n'));
      for (const text of texts) {
        expect(text).toMatch(/tenants\.0\.wms\.webhook/);
        expect(text).not.toContain('leaky');
      }
      expect(texts[7]).toContain('(got "env:HOOK_WHOLE")');
    });
  });

  it('reports a missing tenants file', () => {
    expect(problems({ TENANTS_FILE: join(dir, 'nope.yaml') })[0]).toMatch(/^TENANTS_FILE: cannot read .*nope\.yaml/);
  });
});
