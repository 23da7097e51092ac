// Both OAuth modes through the client against the sandbox: rotation persisted first, single-flight refresh, reuse kills the chain.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileTokenStore,
  MemoryTokenStore,
  exchangeAuthorizationCode,
  toApplicationFailure,
} from '../../activities/fortnox';
import type { StoredTokens, TokenLease, TokenStore } from '../../activities/fortnox';
import { refreshTokenFingerprint } from '../../activities/fortnox/auth';
import {
  authorizationCode,
  calls,
  consentedClient,
  createTenant,
  expireAccessToken,
  operatorRefreshToken,
  refreshClient,
  reuseSpentRefreshToken,
  serviceClient,
  startSandbox,
  failure,
} from './sandbox';
import type { Sandbox, SandboxTenant } from './sandbox';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(join(tmpdir(), 'fortnox-auth-'));
});

afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Counts writes and can fail them, to see the order of persist vs use. */
class WatchedStore implements TokenStore {
  writes: StoredTokens[] = [];
  failWrites = false;
  constructor(private readonly inner: TokenStore) {}
  read(key: string) {
    return this.inner.read(key);
  }
  async write(key: string, tokens: StoredTokens, lease?: TokenLease) {
    if (this.failWrites) throw new Error('disk full');
    this.writes.push(tokens);
    await this.inner.write(key, tokens, lease);
  }
  withLock<T>(key: string, fn: (lease: TokenLease) => Promise<T>) {
    return this.inner.withLock(key, fn);
  }
}

describe('client_credentials', () => {
  it('gets a token with the TenantId header, caches it in the store, and reuses it', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const store = new WatchedStore(new MemoryTokenStore());
    const client = serviceClient(sandbox, tenant, { tokenStore: store });
    await client.getCompanyInformation();
    await client.getCompanyInformation();
    expect(store.writes).toHaveLength(1);
    expect(store.writes[0]?.refreshToken).toBeUndefined();
    // A second client on the same store (another activity, same process) reuses it too.
    await serviceClient(sandbox, tenant, { tokenStore: store }).getCompanyInformation();
    expect(store.writes).toHaveLength(1);
  });

  it('wrong credentials → non-retryable, without the secret in the error', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const err = await failure(
      serviceClient(sandbox, { ...tenant, clientSecret: 'wrong-secret-value' }).getCompanyInformation(),
    );
    expect(err).toMatchObject({ kind: 'non-retryable', status: 401, code: 'invalid_client', path: '/oauth-v1/token' });
    expect(JSON.stringify({ m: err.message, e: err })).not.toContain('wrong-secret-value');
  });
});

describe('refresh_token', () => {
  it('refreshes an expired access token and persists the rotated refresh token', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const store = new WatchedStore(new MemoryTokenStore());
    const client = await consentedClient(sandbox, tenant, store);
    const key = `tenant-${tenant.tenantId}`;
    const consented = await store.read(key);
    expect(consented?.refreshToken).toBeTruthy();

    await client.getCompanyInformation();
    expect(store.writes).toHaveLength(1); // the consent only: the access token was still good

    // An hour later (another activity, a fresh client on the same store): the access token has expired.
    await expireAccessToken(store, key);
    store.writes = [];
    await refreshClient(sandbox, tenant, store, key).getCompanyInformation();
    expect(store.writes).toHaveLength(1);
    const rotated = await store.read(key);
    expect(rotated?.refreshToken).toBeTruthy();
    expect(rotated?.refreshToken).not.toBe(consented?.refreshToken);
    expect(rotated?.accessToken).not.toBe(consented?.accessToken);
  });

  it('never uses a new access token whose refresh token could not be persisted', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const store = new WatchedStore(new MemoryTokenStore());
    const client = await consentedClient(sandbox, tenant, store);
    await expireAccessToken(store, `tenant-${tenant.tenantId}`);
    const before = await calls(sandbox.url, tenant.tenantId);
    store.failWrites = true;
    await expect(client.getCompanyInformation()).rejects.toThrow('disk full');
    const after = await calls(sandbox.url, tenant.tenantId);
    expect(after.total).toBe(before.total); // no API call was made with the unpersisted token
  });

  it('refreshes once when many calls need a token at the same time (single-flight)', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const store = new WatchedStore(new MemoryTokenStore());
    const client = await consentedClient(sandbox, tenant, store);
    await expireAccessToken(store, `tenant-${tenant.tenantId}`);
    store.writes = [];
    await Promise.all(Array.from({ length: 8 }, () => client.getCompanyInformation()));
    expect(store.writes).toHaveLength(1);
  });

  it('two clients on FileTokenStores of one directory refresh concurrently and keep one valid chain', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const key = `tenant-${tenant.tenantId}`;
    const first = await consentedClient(sandbox, tenant, new FileTokenStore(dir), key);
    const second = refreshClient(sandbox, tenant, new FileTokenStore(dir), key);
    await expireAccessToken(new FileTokenStore(dir), key);
    const consented = await new FileTokenStore(dir).read(key);

    await Promise.all([
      first.getCompanyInformation(),
      second.getCompanyInformation(),
      first.getCompanyInformation(),
      second.getCompanyInformation(),
    ]);

    const stored = await new FileTokenStore(dir).read(key);
    expect(stored?.refreshToken).not.toBe(consented?.refreshToken);
    // The chain is alive: the stored refresh token refreshes again, for either client.
    await expireAccessToken(new FileTokenStore(dir), key);
    await second.getCompanyInformation();
    await expireAccessToken(new FileTokenStore(dir), key);
    await first.getCompanyInformation();
  });

  it('reusing a spent refresh token is refused and kills the chain: the customer must consent again', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const seedStore = new MemoryTokenStore();
    await exchangeAuthorizationCode({
      authBaseUrl: sandbox.url,
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      code: await authorizationCode(sandbox.url, tenant.tenantId),
      tenantKey: 'seed',
      tokenStore: seedStore,
    });
    const original = (await seedStore.read('seed'))?.refreshToken as string;

    // Two deployments that (wrongly) do not share a store, both starting from the same refresh token.
    const a = refreshClient(sandbox, tenant, new MemoryTokenStore(), 'a', original);
    const b = refreshClient(sandbox, tenant, new MemoryTokenStore(), 'b', original);
    await a.getCompanyInformation(); // spends the original
    const reuse = await failure(b.getCompanyInformation());
    expect(reuse).toMatchObject({ kind: 'non-retryable', status: 400, code: 'invalid_grant' });
    expect(toApplicationFailure(reuse)).toMatchObject({ nonRetryable: true, type: 'FortnoxConsentRequired' });
    expect(JSON.stringify({ m: reuse.message, e: reuse })).not.toContain(original);

    // a's access token died with the chain: its 403 triggers one refresh, which is refused too.
    const dead = await failure(a.getCompanyInformation());
    expect(dead).toMatchObject({ kind: 'non-retryable', code: 'invalid_grant' });
  });

  it("a 403 on an API call (Fortnox's answer to a revoked token) gets a fresh token once and succeeds", async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const store = new MemoryTokenStore();
    const key = `tenant-${tenant.tenantId}`;
    const client = await consentedClient(sandbox, tenant, store, key);
    await client.getCompanyInformation();
    const tokens = await store.read(key);
    await got.post(`${sandbox.url}/oauth-v1/revoke`, {
      form: { token_type_hint: 'access_token', token: tokens?.accessToken },
      username: tenant.clientId,
      password: tenant.clientSecret,
      retry: { limit: 0 },
    });
    await client.getCompanyInformation();
    expect((await store.read(key))?.accessToken).not.toBe(tokens?.accessToken);
  });

  it('without any refresh token → non-retryable, asking for consent', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const err = await failure(refreshClient(sandbox, tenant, new MemoryTokenStore()).getCompanyInformation());
    expect(err).toMatchObject({ kind: 'non-retryable', code: 'missing_refresh_token' });
  });
});

describe('a dead refresh-token chain (runbook: docs/operations.md, FortnoxConsentRequired)', () => {
  /** A worker (re)started with this tenants-file token: a fresh client on a fresh FileTokenStore over the same directory. */
  const restart = (tenant: SandboxTenant, tokenDir: string, configuredToken: string) =>
    refreshClient(sandbox, tenant, new FileTokenStore(tokenDir), `tenant-${tenant.tenantId}`, configuredToken);

  it('the documented fix works: a new token in the tenants file and a restart start a new chain, without deleting files', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const tokenDir = await mkdtemp(join(tmpdir(), 'fortnox-runbook-'));
    try {
      const firstConsent = await operatorRefreshToken(sandbox, tenant);
      const worker = restart(tenant, tokenDir, firstConsent);
      await worker.getCompanyInformation(); // seeds the chain from the tenants file and rotates it into the store

      await reuseSpentRefreshToken(sandbox, tenant, firstConsent); // the chain dies (its access token with it)
      const dead = await failure(worker.getCompanyInformation());
      expect(dead).toMatchObject({ kind: 'non-retryable', code: 'invalid_grant' });
      expect(toApplicationFailure(dead)).toMatchObject({ nonRetryable: true, type: 'FortnoxConsentRequired' });
      expect(dead.message).toContain(`tenant-${tenant.tenantId}`);
      expect(dead.message).toContain('initialRefreshToken');

      // The runbook: the customer consents again, the new token goes into the tenants file, the worker restarts.
      const secondConsent = await operatorRefreshToken(sandbox, tenant);
      await restart(tenant, tokenDir, secondConsent).getCompanyInformation();

      // The next restart with the same tenants file keeps that new chain (its seed is spent: using it again would kill it).
      await expireAccessToken(new FileTokenStore(tokenDir), `tenant-${tenant.tenantId}`);
      await restart(tenant, tokenDir, secondConsent).getCompanyInformation();
      expect(
        JSON.stringify(
          await readdir(tokenDir).then((files) =>
            Promise.all(files.map((file) => readFile(join(tokenDir, file), 'utf8'))),
          ),
        ),
      ).not.toContain(secondConsent);
    } finally {
      await rm(tokenDir, { recursive: true, force: true });
    }
  });

  it('a restart with an unchanged tenants file keeps the stored chain, though the configured token is long spent', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const tokenDir = await mkdtemp(join(tmpdir(), 'fortnox-restart-'));
    try {
      const consent = await operatorRefreshToken(sandbox, tenant);
      await restart(tenant, tokenDir, consent).getCompanyInformation();
      const key = `tenant-${tenant.tenantId}`;
      for (let restarts = 0; restarts < 2; restarts += 1) {
        const before = await new FileTokenStore(tokenDir).read(key);
        await expireAccessToken(new FileTokenStore(tokenDir), key);
        await restart(tenant, tokenDir, consent).getCompanyInformation();
        const after = await new FileTokenStore(tokenDir).read(key);
        expect(after?.refreshToken).not.toBe(before?.refreshToken); // the stored chain rotated on: it was used, not the seed
      }
    } finally {
      await rm(tokenDir, { recursive: true, force: true });
    }
  });

  it('a token file from before the fingerprint keeps its chain, and recovers with a new configured token once it dies', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const tokenDir = await mkdtemp(join(tmpdir(), 'fortnox-legacy-'));
    const key = `tenant-${tenant.tenantId}`;
    try {
      const consent = await operatorRefreshToken(sandbox, tenant);
      // What the previous version left: the rotated tokens only, no record of the configured token they came from.
      await refreshClient(sandbox, tenant, new FileTokenStore(tokenDir), key, consent).getCompanyInformation();
      const legacy = (await new FileTokenStore(tokenDir).read(key)) as StoredTokens;
      await new FileTokenStore(tokenDir).write(key, {
        accessToken: legacy.accessToken,
        accessTokenExpiresAt: 0,
        refreshToken: legacy.refreshToken as string,
      });
      await restart(tenant, tokenDir, consent).getCompanyInformation(); // the stored chain, not the spent configured token

      await reuseSpentRefreshToken(sandbox, tenant, consent);
      await expireAccessToken(new FileTokenStore(tokenDir), key);
      await restart(tenant, tokenDir, await operatorRefreshToken(sandbox, tenant)).getCompanyInformation();
    } finally {
      await rm(tokenDir, { recursive: true, force: true });
    }
  });

  it('a refused configured token fails once with what to do, is not tried again, and leaves a live chain alone', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const tokenDir = await mkdtemp(join(tmpdir(), 'fortnox-refused-'));
    const key = `tenant-${tenant.tenantId}`;
    try {
      const consent = await operatorRefreshToken(sandbox, tenant);
      await restart(tenant, tokenDir, consent).getCompanyInformation();
      const live = await new FileTokenStore(tokenDir).read(key);

      // A token Fortnox refuses (pasted from the wrong tenant, or already spent) on a fresh install: a clear, final error.
      const wrong = 'not-a-refresh-token-from-this-consent';
      const fresh = await failure(
        restart(tenant, await mkdtemp(join(tokenDir, 'fresh-')), wrong).getCompanyInformation(),
      );
      expect(fresh).toMatchObject({ kind: 'non-retryable', code: 'invalid_grant' });
      expect(toApplicationFailure(fresh)).toMatchObject({ nonRetryable: true, type: 'FortnoxConsentRequired' });
      expect(fresh.message).toContain(`tenant "tenant-${tenant.tenantId}"`);
      expect(fresh.message).not.toContain(wrong);

      // The same wrong token next to a live chain: the live chain carries on, and the store remembers (by fingerprint,
      // never the token) that the wrong one was refused, so later refreshes do not try it again.
      await expireAccessToken(new FileTokenStore(tokenDir), key);
      await restart(tenant, tokenDir, wrong).getCompanyInformation();
      const stored = await new FileTokenStore(tokenDir).read(key);
      expect(stored?.retiredFingerprints).toContain(refreshTokenFingerprint(wrong));
      expect(JSON.stringify(stored)).not.toContain(wrong);
      await expireAccessToken(new FileTokenStore(tokenDir), key);
      await restart(tenant, tokenDir, wrong).getCompanyInformation();
      expect((await new FileTokenStore(tokenDir).read(key))?.refreshToken).not.toBe(live?.refreshToken);
    } finally {
      await rm(tokenDir, { recursive: true, force: true });
    }
  });

  it('a worker still on the old tenants file keeps using the new chain instead of the old (spent) token', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const tokenDir = await mkdtemp(join(tmpdir(), 'fortnox-rolling-'));
    const key = `tenant-${tenant.tenantId}`;
    try {
      const oldToken = await operatorRefreshToken(sandbox, tenant);
      await restart(tenant, tokenDir, oldToken).getCompanyInformation();
      await reuseSpentRefreshToken(sandbox, tenant, oldToken);
      await restart(tenant, tokenDir, await operatorRefreshToken(sandbox, tenant)).getCompanyInformation();

      await expireAccessToken(new FileTokenStore(tokenDir), key);
      await restart(tenant, tokenDir, oldToken).getCompanyInformation(); // not yet redeployed: must not go back to oldToken
    } finally {
      await rm(tokenDir, { recursive: true, force: true });
    }
  });
});

describe('refresh across processes', () => {
  it('two processes sharing a FileTokenStore directory refresh at the same moment and keep one valid chain', async () => {
    const tenant = await createTenant(sandbox.url, { lager: false });
    const key = `tenant-${tenant.tenantId}`;
    const shared = await mkdtemp(join(tmpdir(), 'fortnox-xproc-'));
    try {
      const store = new FileTokenStore(shared);
      await consentedClient(sandbox, tenant, store, key);
      await expireAccessToken(store, key);
      const consented = await store.read(key);
      const goFile = join(shared, 'go');
      const children = [0, 1].map(() =>
        spawnChild([sandbox.url, shared, key, tenant.clientId, tenant.clientSecret, goFile]),
      );
      await Promise.all(children.map((child) => child.ready));
      await writeFile(goFile, '');
      const outputs = await Promise.all(children.map((child) => child.done));
      expect(outputs).toEqual(['ok', 'ok']);
      const stored = await store.read(key);
      expect(stored?.refreshToken).not.toBe(consented?.refreshToken);
      // Still one live chain: the stored refresh token works.
      await expireAccessToken(store, key);
      await refreshClient(sandbox, tenant, store, key).getCompanyInformation();
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  }, 30_000);
});

function spawnChild(args: string[]): { ready: Promise<void>; done: Promise<string> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./refresh-child.ts', import.meta.url)), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
    if (output.includes('ready\n')) markReady();
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => resolve(output.replace('ready\n', '').trim()));
  });
  return { ready, done };
}
