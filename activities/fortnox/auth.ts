// OAuth for Fortnox: access tokens by client credentials or by single-flight refresh with the rotated refresh token persisted first.
import got from 'got';
import { z } from 'zod';
import { errorFromResponse, errorFromTransport } from './classify';
import { FortnoxError, FortnoxSchemaError } from './errors';
import type { StoredTokens, TokenStore } from './token-store';

export type FortnoxAuth =
  | {
      mode: 'client_credentials';
      clientId: string;
      clientSecret: string;
      /** The tenant's DatabaseNumber, sent as the TenantId header. */
      tenantId: string | number;
      scope?: string;
    }
  | {
      mode: 'refresh_token';
      clientId: string;
      clientSecret: string;
      /** Used only when the store has nothing for this tenant yet (first consent); the store's token is newer. */
      initialRefreshToken?: string;
    };

export interface TokenManagerOptions {
  authBaseUrl: string;
  tenantKey: string;
  auth: FortnoxAuth;
  tokenStore: TokenStore;
  timeoutMs: number;
  now?: () => number;
}

/** Renew this long before Fortnox's expiry, so a token never expires in flight. */
const EXPIRY_SKEW_MS = 60_000;
const TOKEN_PATH = '/oauth-v1/token';

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).default(3600),
  token_type: z.string().optional(),
  scope: z.string().optional(),
});

/**
 * Hands out a valid access token for one tenant. Refresh is single-flight in the process (one shared promise) and
 * across processes (the token store's lock; after taking it, the store is re-read because another process may have
 * refreshed meanwhile). The rotated refresh token is written to the store before the new access token is used, so a
 * crash after the refresh never loses the only valid refresh token.
 */
export class TokenManager {
  private cached: StoredTokens | undefined;
  private inFlight: Promise<string> | undefined;
  /** Access tokens Fortnox answered 401 to: never hand them out again even if the store still has them. */
  private readonly rejected = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  private usable(tokens: StoredTokens | undefined): tokens is StoredTokens {
    return (
      tokens !== undefined &&
      !this.rejected.has(tokens.accessToken) &&
      tokens.accessTokenExpiresAt - EXPIRY_SKEW_MS > this.now()
    );
  }

  async accessToken(): Promise<string> {
    if (this.usable(this.cached)) return this.cached.accessToken;
    this.inFlight ??= this.obtain().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** The scopes Fortnox granted with the current tokens (space separated), or undefined when its answer did not say. */
  async grantedScope(): Promise<string | undefined> {
    await this.accessToken();
    return this.cached?.scope;
  }

  /** Fortnox answered 401 with this token: drop it so the next accessToken() gets a new one. */
  invalidate(accessToken: string): void {
    this.rejected.add(accessToken);
    if (this.cached?.accessToken === accessToken) this.cached = undefined;
  }

  private async obtain(): Promise<string> {
    const { tokenStore, tenantKey } = this.options;
    // Cheap path: another client or process already has a good token.
    const stored = await tokenStore.read(tenantKey);
    if (this.usable(stored)) {
      this.cached = stored;
      return stored.accessToken;
    }
    return tokenStore.withLock(tenantKey, async () => {
      const current = await tokenStore.read(tenantKey);
      if (this.usable(current)) {
        this.cached = current;
        return current.accessToken;
      }
      const tokens = await this.fetchTokens(current);
      await tokenStore.write(tenantKey, tokens);
      this.cached = tokens;
      return tokens.accessToken;
    });
  }

  private async fetchTokens(current: StoredTokens | undefined): Promise<StoredTokens> {
    const { auth } = this.options;
    const form: Record<string, string> = {};
    const headers: Record<string, string> = {};
    if (auth.mode === 'client_credentials') {
      form.grant_type = 'client_credentials';
      if (auth.scope) form.scope = auth.scope;
      headers.TenantId = String(auth.tenantId);
    } else {
      const refreshToken = current?.refreshToken ?? auth.initialRefreshToken;
      if (!refreshToken) {
        throw new FortnoxError('No Fortnox refresh token stored for this tenant: the customer must consent again', {
          kind: 'non-retryable',
          method: 'POST',
          path: TOKEN_PATH,
          code: 'missing_refresh_token',
        });
      }
      form.grant_type = 'refresh_token';
      form.refresh_token = refreshToken;
    }
    const { authBaseUrl, timeoutMs } = this.options;
    const body = await postToken({ authBaseUrl, timeoutMs, clientId: auth.clientId, clientSecret: auth.clientSecret }, form, headers);
    if (auth.mode === 'refresh_token' && !body.refresh_token) {
      // Fortnox always rotates; without a new one the old one is already dead and we cannot continue later.
      throw new FortnoxSchemaError({
        method: 'POST', path: TOKEN_PATH, status: 200, field: 'refresh_token',
        issues: ['refresh_token: missing from a refresh response'],
      });
    }
    return {
      accessToken: body.access_token,
      accessTokenExpiresAt: this.now() + body.expires_in * 1000,
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      ...(body.scope ? { scope: body.scope } : {}),
    };
  }
}

interface TokenEndpoint { authBaseUrl: string; clientId: string; clientSecret: string; timeoutMs: number }

async function postToken(
  connection: TokenEndpoint, form: Record<string, string>, headers: Record<string, string> = {},
): Promise<z.output<typeof TokenResponseSchema>> {
  const { clientId, clientSecret, authBaseUrl, timeoutMs } = connection;
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  let response;
  try {
    response = await got.post(`${authBaseUrl.replace(/\/$/, '')}${TOKEN_PATH}`, {
      form,
      headers: { ...headers, Authorization: `Basic ${basic}`, Accept: 'application/json' },
      retry: { limit: 0 },
      throwHttpErrors: false,
      timeout: { request: timeoutMs },
      responseType: 'text',
    });
  } catch (error) {
    throw errorFromTransport({ method: 'POST', path: TOKEN_PATH, error });
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw errorFromResponse({
      method: 'POST', path: TOKEN_PATH, status: response.statusCode, headers: response.headers, body: response.body,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new FortnoxSchemaError({
      method: 'POST', path: TOKEN_PATH, status: response.statusCode, field: '(body)', issues: ['(body): not JSON'],
    });
  }
  const parsed = TokenResponseSchema.safeParse(json);
  if (!parsed.success) {
    // Never echo the body: it holds tokens.
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(body)';
    throw new FortnoxSchemaError({
      method: 'POST', path: TOKEN_PATH, status: response.statusCode, field, issues: [`${field}: ${issue?.message ?? 'invalid'}`],
    });
  }
  return parsed.data;
}

/**
 * Completes a consent: exchanges an authorization code for the first token pair and stores it (under the store's
 * lock) for tenantKey. The tokens are not returned, so they never travel further than the store.
 */
export async function exchangeAuthorizationCode(options: {
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri?: string;
  tenantKey: string;
  tokenStore: TokenStore;
  timeoutMs?: number;
  now?: () => number;
}): Promise<{ scope?: string }> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code: options.code };
  if (options.redirectUri) form.redirect_uri = options.redirectUri;
  const body = await postToken({
    authBaseUrl: options.authBaseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    timeoutMs: options.timeoutMs ?? 30_000,
  }, form);
  const now = (options.now ?? Date.now)();
  await options.tokenStore.withLock(options.tenantKey, () => options.tokenStore.write(options.tenantKey, {
    accessToken: body.access_token,
    accessTokenExpiresAt: now + body.expires_in * 1000,
    ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
    ...(body.scope ? { scope: body.scope } : {}),
  }));
  return body.scope ? { scope: body.scope } : {};
}
