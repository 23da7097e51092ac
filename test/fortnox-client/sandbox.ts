// Test helpers: start the Fortnox sandbox, create tenants through its control API, and build clients for them.
import got from 'got';
import { startFortnoxSandbox } from '../../simulators/fortnox/server';
import { FortnoxClient, MemoryTokenStore, Pacer, exchangeAuthorizationCode } from '../../activities/fortnox';
import { FortnoxError } from '../../activities/fortnox';
import type { FortnoxClientOptions, TokenStore } from '../../activities/fortnox';

export type Sandbox = Awaited<ReturnType<typeof startFortnoxSandbox>>;

export interface SandboxTenant {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export async function startSandbox(options: Parameters<typeof startFortnoxSandbox>[0] = {}): Promise<Sandbox> {
  return startFortnoxSandbox(options);
}

const control = (url: string) => got.extend({ prefixUrl: url, retry: { limit: 0 } });

export async function createTenant(
  url: string,
  options: { lager: boolean; allowNegativeStock?: boolean },
): Promise<SandboxTenant> {
  return control(url).post('_sandbox/tenants', { json: options }).json<SandboxTenant>();
}

export async function authorizationCode(url: string, tenantId: string): Promise<string> {
  return (
    await control(url).post(`_sandbox/tenants/${tenantId}/authorization-codes`, { json: {} }).json<{ code: string }>()
  ).code;
}

export async function setFaults(url: string, tenantId: string, rules: unknown[]): Promise<void> {
  await control(url).put(`_sandbox/tenants/${tenantId}/faults`, { json: { rules } });
}

export interface CallStats {
  total: number;
  byRoute: Record<string, number>;
  rateLimited: number;
}

export async function calls(url: string, tenantId: string): Promise<CallStats> {
  return control(url).get(`_sandbox/tenants/${tenantId}/calls`).json<CallStats>();
}

/** A client in client_credentials mode (service account), the simplest way to talk to a tenant. */
export function serviceClient(
  sandbox: Sandbox,
  tenant: SandboxTenant,
  extra: Partial<FortnoxClientOptions> = {},
): FortnoxClient {
  return new FortnoxClient({
    apiBaseUrl: sandbox.url,
    authBaseUrl: sandbox.url,
    tenantKey: `tenant-${tenant.tenantId}`,
    auth: {
      mode: 'client_credentials',
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      tenantId: tenant.tenantId,
    },
    tokenStore: new MemoryTokenStore(),
    pacer: new Pacer(),
    ...extra,
  });
}

/** Consents (authorization code → first token pair in the store) and returns a refresh_token-mode client on that store. */
export async function consentedClient(
  sandbox: Sandbox,
  tenant: SandboxTenant,
  tokenStore: TokenStore,
  tenantKey = `tenant-${tenant.tenantId}`,
): Promise<FortnoxClient> {
  await exchangeAuthorizationCode({
    authBaseUrl: sandbox.url,
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    code: await authorizationCode(sandbox.url, tenant.tenantId),
    tenantKey,
    tokenStore,
  });
  return refreshClient(sandbox, tenant, tokenStore, tenantKey);
}

/**
 * What an operator does for a new refresh token (docs/real-accounts.md): the customer consents, the code is exchanged,
 * and the refresh token goes into the tenants file. Unused yet, so it is good for exactly one refresh.
 */
export async function operatorRefreshToken(sandbox: Sandbox, tenant: SandboxTenant): Promise<string> {
  const scratch = new MemoryTokenStore();
  await exchangeAuthorizationCode({
    authBaseUrl: sandbox.url,
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    code: await authorizationCode(sandbox.url, tenant.tenantId),
    tenantKey: 'consent',
    tokenStore: scratch,
  });
  const refreshToken = (await scratch.read('consent'))?.refreshToken;
  if (!refreshToken) throw new Error('the consent gave no refresh token');
  return refreshToken;
}

/** Kills the chain the way Fortnox does when a spent refresh token is used again (e.g. by a copy of the deployment). */
export async function reuseSpentRefreshToken(sandbox: Sandbox, tenant: SandboxTenant, spent: string): Promise<void> {
  const response = await control(sandbox.url).post('oauth-v1/token', {
    form: { grant_type: 'refresh_token', refresh_token: spent },
    username: tenant.clientId,
    password: tenant.clientSecret,
    throwHttpErrors: false,
  });
  if (response.statusCode !== 400)
    throw new Error(`expected the spent refresh token to be refused, got ${response.statusCode}`);
}

export function refreshClient(
  sandbox: Sandbox,
  tenant: SandboxTenant,
  tokenStore: TokenStore,
  tenantKey = `tenant-${tenant.tenantId}`,
  initialRefreshToken?: string,
): FortnoxClient {
  return new FortnoxClient({
    apiBaseUrl: sandbox.url,
    authBaseUrl: sandbox.url,
    tenantKey,
    auth: {
      mode: 'refresh_token',
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      ...(initialRefreshToken ? { initialRefreshToken } : {}),
    },
    tokenStore,
  });
}

/** Expires the stored access token (keeping the refresh token) so the next call must refresh. */
export async function expireAccessToken(store: TokenStore, tenantKey: string): Promise<void> {
  const tokens = await store.read(tenantKey);
  if (!tokens) throw new Error(`no tokens stored for ${tenantKey}`);
  await store.write(tenantKey, { ...tokens, accessTokenExpiresAt: 0 });
}

/** The FortnoxError a call fails with (anything else, or success, fails the test). */
export async function failure(promise: Promise<unknown>): Promise<FortnoxError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof FortnoxError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
