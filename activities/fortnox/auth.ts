// OAuth for Fortnox: access tokens by client credentials or by single-flight refresh with the rotated refresh token persisted first.
import { createHash } from 'node:crypto';
import got from 'got';
import { z } from 'zod';
import { errorFromResponse, errorFromTransport } from './classify';
import { FortnoxError, FortnoxSchemaError } from './errors';
import type { StoredTokens, TokenLease, TokenStore } from './token-store';

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
      /**
       * Starts a chain: used when the store has none, when it differs from the token the stored chain started from
       * (the operator put a new one in the tenants file), or once when Fortnox refuses the stored one.
       */
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

/** Enough for any realistic history of consents; keeps the token file small. */
const MAX_RETIRED_FINGERPRINTS = 20;

/** sha256 of a refresh token: lets the store tell configured tokens apart without keeping or logging them. */
export function refreshTokenFingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

function withRetired(retired: string[] | undefined, ...fingerprints: Array<string | undefined>): string[] {
  const all = [...(retired ?? [])];
  for (const fingerprint of fingerprints) if (fingerprint && !all.includes(fingerprint)) all.push(fingerprint);
  return all.slice(-MAX_RETIRED_FINGERPRINTS);
}

interface ConfiguredRefreshToken {
  token: string;
  fingerprint: string;
}
type RefreshSource = 'configured' | 'stored';

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
  private readonly configured: ConfiguredRefreshToken | undefined;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
    const { auth } = options;
    if (auth.mode === 'refresh_token' && auth.initialRefreshToken) {
      this.configured = {
        token: auth.initialRefreshToken,
        fingerprint: refreshTokenFingerprint(auth.initialRefreshToken),
      };
    }
  }

  /** The configured token has not been spent through this store: it neither started the stored chain nor was retired. */
  private configuredUntried(stored: StoredTokens | undefined): boolean {
    const configured = this.configured;
    return (
      configured !== undefined &&
      configured.fingerprint !== stored?.seedFingerprint &&
      !(stored?.retiredFingerprints ?? []).includes(configured.fingerprint)
    );
  }

  /**
   * The operator put a new token in the tenants file: it starts a new chain even while the stored one looks fine.
   * Not for a file without a seed fingerprint (written by an older version): nothing says its configured token is new,
   * and spending one that already started the stored chain would kill it. Such a chain runs until Fortnox refuses it.
   */
  private configuredSupersedes(stored: StoredTokens | undefined): boolean {
    return stored?.seedFingerprint !== undefined && this.configuredUntried(stored);
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
    if (this.usable(stored) && !this.configuredSupersedes(stored)) {
      this.cached = stored;
      return stored.accessToken;
    }
    return tokenStore.withLock(tenantKey, async (lease) => {
      const current = await tokenStore.read(tenantKey);
      if (this.usable(current) && !this.configuredSupersedes(current)) {
        this.cached = current;
        return current.accessToken;
      }
      const tokens = await this.fetchTokens(current, lease);
      // With the lease: if this process was paused past it and another took over, the write is refused rather than
      // overwriting the newer holder's chain.
      await tokenStore.write(tenantKey, tokens, lease);
      this.cached = tokens;
      return tokens.accessToken;
    });
  }

  private async fetchTokens(current: StoredTokens | undefined, lease: TokenLease): Promise<StoredTokens> {
    const { auth, authBaseUrl, timeoutMs } = this.options;
    if (auth.mode === 'refresh_token') return this.refreshChain(current, lease);
    const form: Record<string, string> = { grant_type: 'client_credentials' };
    if (auth.scope) form.scope = auth.scope;
    const body = await postToken(
      { authBaseUrl, timeoutMs, clientId: auth.clientId, clientSecret: auth.clientSecret },
      form,
      { TenantId: String(auth.tenantId) },
    );
    return this.tokensFrom(body);
  }

  /**
   * Spends one refresh token (called under the store's lock). At most two tries, never a loop: the configured token
   * first when the operator changed it (or the store has none), else the stored chain; whichever Fortnox refuses with
   * invalid_grant, the other is tried once if it is still unspent. A refused configured token is retired in the store
   * so it is not tried on every refresh.
   */
  private async refreshChain(current: StoredTokens | undefined, lease: TokenLease): Promise<StoredTokens> {
    const { configured } = this;
    let chain = current;
    const configuredFirst =
      configured !== undefined && (chain?.refreshToken === undefined || this.configuredSupersedes(chain));
    const order: RefreshSource[] = configuredFirst ? ['configured', 'stored'] : ['stored', 'configured'];
    const refused: RefreshSource[] = [];
    let lastRefusal: FortnoxError | undefined;
    for (const source of order) {
      const refreshToken =
        source === 'stored' ? chain?.refreshToken : this.configuredUntried(chain) ? configured?.token : undefined;
      if (!refreshToken) continue;
      let body: z.output<typeof TokenResponseSchema>;
      try {
        body = await this.postRefresh(refreshToken);
      } catch (err) {
        if (!(err instanceof FortnoxError && err.code === 'invalid_grant')) throw err;
        refused.push(source);
        lastRefusal = err;
        if (source === 'configured' && chain && configured) {
          chain = { ...chain, retiredFingerprints: withRetired(chain.retiredFingerprints, configured.fingerprint) };
          await this.options.tokenStore.write(this.options.tenantKey, chain, lease);
        }
        continue;
      }
      const tokens = this.tokensFrom(body);
      if (source === 'configured' && configured) {
        // A new chain: the old chain's seed joins the retired ones, so a worker with an older tenants file keeps this chain.
        const retired = withRetired(chain?.retiredFingerprints, chain?.seedFingerprint);
        return {
          ...tokens,
          seedFingerprint: configured.fingerprint,
          ...(retired.length ? { retiredFingerprints: retired } : {}),
        };
      }
      // The stored chain goes on. A file from an older version has no seed: take the configured token as it (the chain
      // most likely started from it), so a later change of the tenants file is recognised.
      const seedFingerprint = chain?.seedFingerprint ?? configured?.fingerprint;
      return {
        ...tokens,
        ...(seedFingerprint ? { seedFingerprint } : {}),
        ...(chain?.retiredFingerprints?.length ? { retiredFingerprints: chain.retiredFingerprints } : {}),
      };
    }
    if (lastRefusal) throw this.consentRequired(refused, lastRefusal);
    throw new FortnoxError(
      `No Fortnox refresh token for tenant "${this.options.tenantKey}": the customer must consent again; put the new refresh token in fortnox.auth.initialRefreshToken and restart the worker`,
      { kind: 'non-retryable', method: 'POST', path: TOKEN_PATH, code: 'missing_refresh_token' },
    );
  }

  private async postRefresh(refreshToken: string): Promise<z.output<typeof TokenResponseSchema>> {
    const { auth, authBaseUrl, timeoutMs } = this.options;
    const body = await postToken(
      { authBaseUrl, timeoutMs, clientId: auth.clientId, clientSecret: auth.clientSecret },
      { grant_type: 'refresh_token', refresh_token: refreshToken },
    );
    if (!body.refresh_token) {
      // Fortnox always rotates; without a new one the old one is already dead and we cannot continue later.
      throw new FortnoxSchemaError({
        method: 'POST',
        path: TOKEN_PATH,
        status: 200,
        field: 'refresh_token',
        issues: ['refresh_token: missing from a refresh response'],
      });
    }
    return body;
  }

  private tokensFrom(body: z.output<typeof TokenResponseSchema>): StoredTokens {
    return {
      accessToken: body.access_token,
      accessTokenExpiresAt: this.now() + body.expires_in * 1000,
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      ...(body.scope ? { scope: body.scope } : {}),
    };
  }

  /** invalid_grant for every token there was to try: only a new consent helps. Names the tenant, never a token. */
  private consentRequired(refused: RefreshSource[], cause: FortnoxError): FortnoxError {
    const configuredName = 'the refresh token in the tenants file (fortnox.auth.initialRefreshToken)';
    const what =
      refused.length === 2
        ? `both the stored refresh token and ${configuredName}`
        : refused[0] === 'configured'
          ? configuredName
          : this.configured
            ? `the stored refresh token (${configuredName} already started this chain or was refused before)`
            : 'the stored refresh token (the tenants file has no fortnox.auth.initialRefreshToken)';
    return new FortnoxError(
      `Fortnox refused ${what} for tenant "${this.options.tenantKey}" (invalid_grant): the token chain is dead. ` +
        'Have the customer consent again, put the new refresh token in fortnox.auth.initialRefreshToken in the tenants file ' +
        'and restart the worker (docs/operations.md)',
      {
        kind: 'non-retryable',
        method: 'POST',
        path: TOKEN_PATH,
        code: 'invalid_grant',
        cause,
        ...(cause.status === undefined ? {} : { status: cause.status }),
        ...(cause.fortnoxMessage === undefined ? {} : { fortnoxMessage: cause.fortnoxMessage }),
      },
    );
  }
}

interface TokenEndpoint {
  authBaseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

async function postToken(
  connection: TokenEndpoint,
  form: Record<string, string>,
  headers: Record<string, string> = {},
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
      method: 'POST',
      path: TOKEN_PATH,
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new FortnoxSchemaError({
      method: 'POST',
      path: TOKEN_PATH,
      status: response.statusCode,
      field: '(body)',
      issues: ['(body): not JSON'],
    });
  }
  const parsed = TokenResponseSchema.safeParse(json);
  if (!parsed.success) {
    // Never echo the body: it holds tokens.
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(body)';
    throw new FortnoxSchemaError({
      method: 'POST',
      path: TOKEN_PATH,
      status: response.statusCode,
      field,
      issues: [`${field}: ${issue?.message ?? 'invalid'}`],
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
  const body = await postToken(
    {
      authBaseUrl: options.authBaseUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      timeoutMs: options.timeoutMs ?? 30_000,
    },
    form,
  );
  const now = (options.now ?? Date.now)();
  const { tokenStore, tenantKey } = options;
  await tokenStore.withLock(tenantKey, async (lease) => {
    // The replaced chain's seed is retired, so a configured token that started it is not spent again.
    const replaced = await tokenStore.read(tenantKey);
    const retired = withRetired(replaced?.retiredFingerprints, replaced?.seedFingerprint);
    await tokenStore.write(
      tenantKey,
      {
        accessToken: body.access_token,
        accessTokenExpiresAt: now + body.expires_in * 1000,
        ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
        ...(body.scope ? { scope: body.scope } : {}),
        ...(retired.length ? { retiredFingerprints: retired } : {}),
      },
      lease,
    );
  });
  return body.scope ? { scope: body.scope } : {};
}
