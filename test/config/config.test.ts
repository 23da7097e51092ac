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
    expect(config.env).toMatchObject({
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_NAMESPACE: 'default',
      TASK_QUEUE: 'wms-fortnox',
    });
    expect(config.env.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.tenants).toEqual([]);
  });

  it('names the key, the problem and what was expected', () => {
    expect(problems({ TEMPORAL_UI_PORT: 'eighty' })).toEqual([
      'TEMPORAL_UI_PORT: expected a port number (1-65535) (got "eighty")',
    ]);
    expect(problems({ TEMPORAL_ADDRESS: 'localhost' })[0]).toMatch(
      /^TEMPORAL_ADDRESS: expected host:port.*\(got "localhost"\)$/,
    );
    expect(problems({ TEMPORAL_TLS: 'maybe' })[0]).toMatch(/^TEMPORAL_TLS: expected true or false/);
    expect(problems({ LOG_LEVEL: 'loud', WEBHOOK_PORT: '70000' })).toHaveLength(2);
  });

  it('reads a tenants file with settings defaults and env: secrets', () => {
    const path = file(
      'tenants.yaml',
      `
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
`,
    );
    const { tenants } = loadConfig({
      TENANTS_FILE: path,
      ACME_SECRET: 's3cr3t',
      ACME_WMS_PASSWORD: 'pw',
      ACME_WEBHOOK_PASSWORD: 'p'.repeat(16),
    });
    expect(tenants).toHaveLength(1);
    const [acme] = tenants;
    expect(acme!.fortnox.apiBaseUrl).toBe('https://api.fortnox.se');
    expect(acme!.fortnox.auth).toMatchObject({ clientSecret: 's3cr3t' });
    expect(acme!.wms.password).toBe('pw');
    expect(acme!.wms.webhook).toEqual({
      auth: 'basic',
      username: 'ongoing',
      password: 'p'.repeat(16),
      publicUrl: 'https://bridge.example.com/webhooks/wms/acme',
    });
    expect(acme!.settings.processes).toEqual({
      articles: true,
      suppliers: true,
      orders: true,
      fulfilmentReporting: true,
      stockLevels: true,
      billing: false,
      purchaseOrders: true,
      wmsStatusPoll: true,
    });
    expect(acme!.settings).toMatchObject({
      syncInterval: '15m',
      wmsStatusPollInterval: '2m',
      reportOn: 'picked',
      notifications: { sms: false, email: false },
    });
  });

  it('reports tenants file problems with the file, the path and the expectation', () => {
    const path = file(
      'bad.yaml',
      `
tenants:
  - id: Acme Corp
    fortnox: { auth: { mode: password } }
    wms: { baseUrl: not-a-url, username: u, password: env:MISSING_VAR, goodsOwnerId: 1, webhook: { auth: hmac, secret: short } }
`,
    );
    const found = problems({ TENANTS_FILE: path });
    expect(found).toEqual([
      `${path}: tenants.0.wms.password: refers to environment variable MISSING_VAR, which is not set`,
    ]);
    const found2 = problems({ TENANTS_FILE: path, MISSING_VAR: 'x' });
    expect(found2.join('\n')).toContain(
      `${path}: tenants.0.id: expected lower-case letters, digits and dashes (max 40) (got "Acme Corp")`,
    );
    expect(found2.join('\n')).toContain(
      'tenants.0.fortnox.auth.mode: expected mode client_credentials or refresh_token',
    );
    expect(found2.join('\n')).toContain('tenants.0.wms.baseUrl: expected an absolute http(s) URL (got "not-a-url")');
    expect(found2.join('\n')).toContain(
      'tenants.0.wms.webhook.secret: expected a shared secret of at least 16 characters (got (hidden))',
    );
  });

  describe('wms.webhook', () => {
    const tenantsWith = (webhook: string, extra = '') =>
      file(
        `webhook-${Math.random().toString(36).slice(2)}.yaml`,
        `
tenants:
  - id: acme
    fortnox: { auth: { mode: client_credentials, clientId: c, clientSecret: s, tenantId: "1" } }
    wms:
      baseUrl: https://api.ongoingsystems.se/Acme
      username: WSI-acme
      password: p
      goodsOwnerId: 7
${webhook
  .trim()
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
${extra}`,
      );
    const webhookOf = (webhook: string, env: NodeJS.ProcessEnv = {}) =>
      loadConfig({ TENANTS_FILE: tenantsWith(webhook), ...env }).tenants[0]!.wms.webhook;
    const token = 'tok_' + 'A1b2-'.repeat(7);

    it('takes each mode: basic, token, hmac and off', () => {
      expect(
        webhookOf('webhook: { auth: basic, username: ongoing, password: env:HOOK_PASSWORD }', {
          HOOK_PASSWORD: 'correct-horse-battery',
        }),
      ).toEqual({ auth: 'basic', username: 'ongoing', password: 'correct-horse-battery' });
      expect(
        webhookOf(
          `webhook: { auth: token, token: ${token}, publicUrl: "https://bridge.example.com/webhooks/wms/acme" }`,
        ),
      ).toEqual({ auth: 'token', token, publicUrl: 'https://bridge.example.com/webhooks/wms/acme' });
      expect(webhookOf('webhook: { auth: hmac, secret: 0123456789abcdef0123 }')).toEqual({
        auth: 'hmac',
        secret: '0123456789abcdef0123',
      });
      expect(webhookOf('webhook: { auth: off }')).toEqual({ auth: 'off' });
    });

    it('refuses a missing section, an unknown mode, a short password or token, and a token inside publicUrl', () => {
      const found = (webhook: string) => problems({ TENANTS_FILE: tenantsWith(webhook) }).join('\n');
      expect(found('')).toContain(
        'tenants.0.wms.webhook: expected a webhook section with auth basic, token, hmac or off (got missing)',
      );
      expect(found('webhook: { auth: signed }')).toContain(
        'tenants.0.wms.webhook.auth: expected a webhook section with auth basic, token, hmac or off (got "signed")',
      );
      expect(found('webhook: { auth: basic, username: ongoing, password: short-pass }')).toContain(
        'tenants.0.wms.webhook.password: expected a password of at least 16 characters (got (hidden))',
      );
      expect(found('webhook: { auth: basic, password: a-long-enough-password }')).toContain(
        'tenants.0.wms.webhook.username:',
      );
      expect(found('webhook: { auth: token, token: too-short-token }')).toContain(
        'tenants.0.wms.webhook.token: expected at least 32 characters of A-Z, a-z, 0-9, _ and - (got (hidden))',
      );
      expect(found(`webhook: { auth: token, token: "${'x'.repeat(31)}/" }`)).toContain(
        'tenants.0.wms.webhook.token: expected at least 32 characters',
      );
      expect(
        found(`webhook: { auth: token, token: ${token}, publicUrl: "https://b.example/webhooks/wms/acme/${token}" }`),
      ).toContain('tenants.0.wms.webhook.token: appears in publicUrl');
      expect(found('webhook: { auth: hmac, secret: short }')).toContain(
        'tenants.0.wms.webhook.secret: expected a shared secret of at least 16 characters',
      );
      expect(
        found('webhook: { auth: basic, username: u, password: a-long-enough-password, publicUrl: not-a-url }'),
      ).toContain('tenants.0.wms.webhook.publicUrl: expected an absolute http(s) URL (got "not-a-url")');
    });

    it('refuses webhookSecret with how to migrate', () => {
      const found = problems({ TENANTS_FILE: tenantsWith('webhookSecret: 0123456789abcdef0123') });
      expect(found.join('\n')).toContain(
        'tenants.0.wms.webhookSecret: replaced by wms.webhook {auth: hmac, secret} (or auth: basic, which is what Ongoing sends) (got (hidden))',
      );
      // Also next to a valid webhook section: the old key is never silently ignored.
      expect(
        problems({ TENANTS_FILE: tenantsWith('webhook: { auth: off }\nwebhookSecret: 0123456789abcdef0123') }).join(
          '\n',
        ),
      ).toContain('tenants.0.wms.webhookSecret: replaced by wms.webhook');
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

  describe('hostile and careless input (issue 17)', () => {
    const tenant = (
      id: string,
      wms: string,
      fortnox = 'auth: { mode: client_credentials, clientId: c, clientSecret: env:FN_SECRET, tenantId: "1" }',
    ) => `
  - id: ${id}
    fortnox: { ${fortnox} }
    wms: { ${wms} }`;
    const secrets = { FN_SECRET: 'leaky-fortnox-client-secret', WMS_PASSWORD: 'leaky-wms-password' };
    const wms = (owner: number, webhook: string) =>
      `baseUrl: "https://api.ongoingsystems.se/Acme", username: u, password: env:WMS_PASSWORD, goodsOwnerId: ${owner}, webhook: ${webhook}`;

    it('never prints a secret when a container has the wrong type: names the key and the expected type', () => {
      const texts = [
        // `tenants` as a map instead of a list, with literal and env: secrets inside.
        `tenants:\n  acme:\n    id: acme\n    fortnox: { auth: { mode: client_credentials, clientId: c, clientSecret: env:FN_SECRET, tenantId: "1" } }\n` +
          '    wms: { baseUrl: "https://x.example/W", username: u, password: leaky-literal, goodsOwnerId: 1, webhook: { auth: off } }\n',
        // A section as a list.
        `tenants:${tenant('acme', '')}`.replace(
          'wms: {  }',
          'wms: ["https://x.example/W", u, env:WMS_PASSWORD, leaky-literal]',
        ),
        // Nested deeper than any redaction walks.
        `tenants:${tenant('acme', wms(1, '{ auth: off }'))}\n    settings: [[[[[[[[[[[[{ password: leaky-literal, secret: env:FN_SECRET }]]]]]]]]]]]]`,
        // A YAML syntax error on a secret's line.
        `tenants:${tenant('acme', wms(1, '{ auth: off }'))}\n    extra: { password: leaky-literal: leaky-more }`,
      ].map((text) =>
        problems({
          TENANTS_FILE: file(`wrong-type-${Math.random().toString(36).slice(2)}.yaml`, text),
          ...secrets,
        }).join('\n'),
      );
      for (const text of texts) {
        expect(text).not.toMatch(/leaky/);
      }
      expect(texts[0]).toMatch(/tenants: .*expected array.*\(got a map\)/);
      expect(texts[1]).toMatch(/tenants\.0\.wms: .*expected object.*\(got a list of 4\)/);
      expect(texts[3]).toMatch(/cannot parse .* at line \d+, column \d+/);
    });

    it('accepts only http(s) URLs without credentials in them', () => {
      for (const baseUrl of [
        'file:///etc/passwd',
        'javascript:alert(1)',
        'ftp://api.ongoingsystems.se/Acme',
        'https://user:leaky-pw@api.ongoingsystems.se/Acme',
      ]) {
        const text = problems({
          TENANTS_FILE: file(
            'url.yaml',
            `tenants:${tenant('acme', wms(1, '{ auth: off }').replace('https://api.ongoingsystems.se/Acme', baseUrl))}`,
          ),
          ...secrets,
        }).join('\n');
        expect(text, baseUrl).toMatch(/tenants\.0\.wms\.baseUrl: expected .*URL/);
      }
      const fortnox =
        'apiBaseUrl: "file:///tmp/x", authBaseUrl: "https://a:b@apps.fortnox.se", auth: { mode: client_credentials, clientId: c, clientSecret: env:FN_SECRET, tenantId: "1" }';
      const text = problems({
        TENANTS_FILE: file('fnurl.yaml', `tenants:${tenant('acme', wms(1, '{ auth: off }'), fortnox)}`),
        ...secrets,
      }).join('\n');
      expect(text).toContain('tenants.0.fortnox.apiBaseUrl: expected an absolute http(s) URL');
      expect(text).toContain('tenants.0.fortnox.authBaseUrl: expected a URL without a user name or password');
    });

    it('refuses two tenants with the same webhook credentials or the same goods owner in the same WMS', () => {
      const hmac = '{ auth: hmac, secret: leaky-shared-hmac-secret }';
      const shared = problems({
        TENANTS_FILE: file('shared.yaml', `tenants:${tenant('acme', wms(1, hmac))}${tenant('beta', wms(2, hmac))}`),
        ...secrets,
      }).join('\n');
      expect(shared).toContain('tenants.1.wms.webhook: tenant "beta" has the same webhook credentials as "acme"');
      expect(shared).not.toContain('leaky');
      const sameOwner = problems({
        TENANTS_FILE: file(
          'owner.yaml',
          `tenants:${tenant('acme', wms(1, '{ auth: off }'))}${tenant('beta', wms(1, '{ auth: off }'))}`,
        ),
        ...secrets,
      }).join('\n');
      expect(sameOwner).toContain(
        'tenants.1.wms.goodsOwnerId: tenant "beta" has the same goods owner (1) in the same WMS as "acme"',
      );
      // Same goods owner id in another warehouse, and webhooks off in both: two different goods owners, accepted.
      const otherWarehouse = wms(1, '{ auth: off }').replace('/Acme', '/Other');
      expect(
        loadConfig({
          TENANTS_FILE: file(
            'ok.yaml',
            `tenants:${tenant('acme', wms(1, '{ auth: off }'))}${tenant('beta', otherWarehouse)}`,
          ),
          ...secrets,
        }).tenants,
      ).toHaveLength(2);
    });

    it('refuses half an mTLS pair, unreadable TLS files (naming the key) and a webhook body limit over 10 MiB', () => {
      const cert = file('client.pem', 'not really a certificate');
      expect(problems({ TEMPORAL_TLS_CERT: cert }).join('\n')).toContain(
        'TEMPORAL_TLS_KEY: expected TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY together',
      );
      expect(problems({ TEMPORAL_TLS_KEY: cert }).join('\n')).toContain(
        'TEMPORAL_TLS_CERT: expected TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY together',
      );
      expect(problems({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: join(dir, 'missing.key') }).join('\n')).toMatch(
        /^TEMPORAL_TLS_KEY: expected a readable file, cannot read .*missing\.key \(ENOENT\)/m,
      );
      expect(problems({ TEMPORAL_TLS: 'true', TEMPORAL_TLS_CA: join(dir, 'missing-ca.pem') }).join('\n')).toMatch(
        /^TEMPORAL_TLS_CA: expected a readable file/m,
      );
      expect(loadConfig({ TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: cert }).env.TEMPORAL_TLS_KEY).toBe(cert);
      expect(problems({ WEBHOOK_MAX_BODY_BYTES: String(10 * 1024 ** 3) })[0]).toMatch(
        /^WEBHOOK_MAX_BODY_BYTES: expected at most 10485760 bytes/,
      );
      expect(loadConfig({ WEBHOOK_MAX_BODY_BYTES: String(10 * 1024 ** 2) }).env.WEBHOOK_MAX_BODY_BYTES).toBe(
        10 * 1024 ** 2,
      );
    });
  });

  it('reports a missing tenants file', () => {
    expect(problems({ TENANTS_FILE: join(dir, 'nope.yaml') })[0]).toMatch(/^TENANTS_FILE: cannot read .*nope\.yaml/);
  });
});
