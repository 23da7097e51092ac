// OAuth 2 at `/oauth-v1`: authorization code, single-use rotating refresh tokens (reuse kills the chain), client credentials.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OAuthError } from './errors';
import { ALL_SCOPES, randomToken } from './state';
import type { AccessToken, SandboxState, Tenant } from './state';

export const REFRESH_TOKEN_TTL_SECONDS = 45 * 24 * 3600;
const CODE_TTL_SECONDS = 600;

type Form = Record<string, string | undefined>;

/** The client authenticates with HTTP Basic (as Fortnox requires); body credentials are accepted as a fallback. */
function authenticateClient(state: SandboxState, request: FastifyRequest, form: Form): Tenant {
  let clientId = form.client_id;
  let clientSecret = form.client_secret;
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decoded.slice(0, colon < 0 ? undefined : colon);
    clientSecret = colon < 0 ? '' : decoded.slice(colon + 1);
  }
  const tenant = clientId ? state.tenantByClientId(clientId) : undefined;
  if (!tenant || tenant.clientSecret !== clientSecret)
    throw new OAuthError(401, 'invalid_client', 'Invalid client credentials');
  return tenant;
}

function checkScope(requested: string | undefined, allowed: string): string {
  if (!requested) return allowed;
  const allowedSet = new Set(allowed.split(' '));
  const scopes = requested.split(/[\s+]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !allowedSet.has(s));
  if (unknown.length > 0) throw new OAuthError(400, 'invalid_scope', `Invalid scope: ${unknown.join(' ')}`);
  return scopes.join(' ');
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  expires_in: number;
  token_type: 'bearer';
}

export function oauthRoutes(app: FastifyInstance, state: SandboxState, accessTokenTtlSeconds: number): void {
  const issue = (tenant: Tenant, scope: string, chainId: string | undefined): TokenResponse => {
    const now = state.clock.nowMs();
    const access: AccessToken = {
      token: randomToken(32),
      tenantId: tenant.tenantId,
      clientId: tenant.clientId,
      scope,
      expiresAt: now + accessTokenTtlSeconds * 1000,
      chainId,
      revoked: false,
    };
    state.accessTokens.set(access.token, access);
    const response: TokenResponse = {
      access_token: access.token,
      scope,
      expires_in: accessTokenTtlSeconds,
      token_type: 'bearer',
    };
    if (chainId) {
      const refresh = randomToken(24);
      state.refreshTokens.set(refresh, {
        token: refresh,
        tenantId: tenant.tenantId,
        clientId: tenant.clientId,
        scope,
        chainId,
        expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
        spent: false,
      });
      response.refresh_token = refresh;
    }
    return response;
  };

  /** Reusing a spent refresh token kills its whole chain: every refresh and access token issued in it. */
  const killChain = (chainId: string): void => {
    state.deadChains.add(chainId);
    for (const t of state.accessTokens.values()) if (t.chainId === chainId) t.revoked = true;
    for (const t of state.refreshTokens.values()) if (t.chainId === chainId) t.spent = true;
  };

  app.post('/oauth-v1/token', async (request) => {
    const form = (request.body ?? {}) as Form;
    const tenant = authenticateClient(state, request, form);
    const now = state.clock.nowMs();
    switch (form.grant_type) {
      case 'authorization_code': {
        const code = form.code ? state.authorizationCodes.get(form.code) : undefined;
        if (!code || code.used || code.clientId !== tenant.clientId || code.expiresAt <= now) {
          throw new OAuthError(400, 'invalid_grant', 'Invalid authorization code');
        }
        if (code.redirectUri !== undefined && code.redirectUri !== form.redirect_uri) {
          throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match');
        }
        code.used = true;
        return issue(tenant, code.scope, randomToken(9));
      }
      case 'refresh_token': {
        const refresh = form.refresh_token ? state.refreshTokens.get(form.refresh_token) : undefined;
        if (!refresh || refresh.clientId !== tenant.clientId)
          throw new OAuthError(400, 'invalid_grant', 'Invalid refresh token');
        if (state.deadChains.has(refresh.chainId)) throw new OAuthError(400, 'invalid_grant', 'Invalid refresh token');
        if (refresh.spent) {
          killChain(refresh.chainId);
          throw new OAuthError(400, 'invalid_grant', 'Invalid refresh token');
        }
        if (refresh.expiresAt <= now) throw new OAuthError(400, 'invalid_grant', 'Refresh token expired');
        refresh.spent = true;
        return issue(tenant, refresh.scope, refresh.chainId);
      }
      case 'client_credentials': {
        const tenantHeader = request.headers.tenantid;
        const tenantId = Array.isArray(tenantHeader) ? tenantHeader[0] : tenantHeader;
        if (!tenantId) throw new OAuthError(400, 'invalid_request', 'Missing TenantId header');
        if (tenantId !== tenant.tenantId)
          throw new OAuthError(400, 'invalid_request', 'The client is not installed on this tenant');
        return issue(tenant, checkScope(form.scope, ALL_SCOPES), undefined);
      }
      default:
        throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${form.grant_type ?? ''}`);
    }
  });

  app.post('/oauth-v1/revoke', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const tenant = authenticateClient(state, request, form);
    const refresh = form.token ? state.refreshTokens.get(form.token) : undefined;
    if (refresh && refresh.clientId === tenant.clientId) refresh.spent = true;
    const access = form.token ? state.accessTokens.get(form.token) : undefined;
    if (access && access.clientId === tenant.clientId) access.revoked = true;
    reply.code(200);
    return {};
  });

  /** The consent page, answered at once: the sandbox user always consents and is sent back with a code. */
  app.get('/oauth-v1/auth', async (request, reply) => {
    const query = request.query as Form;
    const tenant = query.client_id ? state.tenantByClientId(query.client_id) : undefined;
    if (!tenant) throw new OAuthError(400, 'invalid_client', 'Unknown client_id');
    if (!query.redirect_uri) throw new OAuthError(400, 'invalid_request', 'Missing redirect_uri');
    if (query.response_type !== 'code')
      throw new OAuthError(400, 'unsupported_response_type', 'response_type must be code');
    const code = createAuthorizationCode(state, tenant, { redirectUri: query.redirect_uri, scope: query.scope });
    const target = new URL(query.redirect_uri);
    target.searchParams.set('code', code);
    if (query.state !== undefined) target.searchParams.set('state', query.state);
    return reply.redirect(target.toString(), 302);
  });
}

export function createAuthorizationCode(
  state: SandboxState,
  tenant: Tenant,
  input: { redirectUri?: string; scope?: string },
): string {
  const code = randomToken(16);
  state.authorizationCodes.set(code, {
    code,
    tenantId: tenant.tenantId,
    clientId: tenant.clientId,
    redirectUri: input.redirectUri,
    scope: checkScope(input.scope, ALL_SCOPES),
    used: false,
    expiresAt: state.clock.nowMs() + CODE_TTL_SECONDS * 1000,
  });
  return code;
}
