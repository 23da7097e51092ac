// The gate in front of the APIs (/3 and /api/warehouse): bearer tokens and scopes, the rate limit, injected faults, call accounting.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordCall, recordFault } from './calls';
import { FortnoxApiError, FortnoxCode } from './errors';
import { badBodyPayload, decideFaults, type BadBody } from './faults';
import { admit } from './rate-limit';
import type { RateLimitOptions } from './rate-limit';
import type { AccessToken, SandboxState, Tenant } from './state';

declare module 'fastify' {
  interface FastifyRequest {
    tenant?: Tenant;
    accessToken?: AccessToken;
    /** Set when a fault rule decided this call's response must never arrive. */
    dropResponse?: boolean;
    /** Set when a fault rule decided this call's successful answer is replaced by an untrustworthy body. */
    badBody?: BadBody;
    callLogged?: boolean;
  }
}

export const isApiPath = (url: string): boolean => url.startsWith('/3/') || url.startsWith('/api/warehouse/');
export const isWarehousePath = (url: string): boolean => url.startsWith('/api/warehouse/');

const REST_SCOPES: Record<string, string> = {
  orders: 'order',
  invoices: 'invoice',
  articles: 'article',
  customers: 'customer',
  suppliers: 'supplier',
  companyinformation: 'companyinformation',
  settings: 'settings',
};

function requiredScope(path: string): string | undefined {
  if (isWarehousePath(path)) return 'warehouse';
  const resource = path.split('?')[0]?.split('/')[2] ?? '';
  return REST_SCOPES[resource.toLowerCase()];
}

/** The route key used for counters and fault rules: method plus fastify's route pattern. */
export function routeKey(request: FastifyRequest): string {
  const pattern = request.routeOptions.url ?? request.url.split('?')[0] ?? request.url;
  return `${request.method} ${pattern}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface GuardOptions {
  rateLimit: RateLimitOptions | false;
}

export function installApiGuard(app: FastifyInstance, state: SandboxState, options: GuardOptions): void {
  app.decorateRequest('tenant', undefined);
  app.decorateRequest('accessToken', undefined);
  app.decorateRequest('dropResponse', false);
  app.decorateRequest('badBody', undefined);
  app.decorateRequest('callLogged', false);

  app.addHook('onRequest', async (request) => {
    if (!isApiPath(request.url)) return;
    const header = request.headers.authorization;
    if (!header || !/^bearer\s+\S+/i.test(header)) {
      throw new FortnoxApiError(
        401,
        FortnoxCode.MissingCredentials,
        'Kan inte logga in, access-token eller client-secret saknas.',
      );
    }
    const token = state.accessTokens.get(header.replace(/^bearer\s+/i, '').trim());
    const tenant = token ? state.tenants.get(token.tenantId) : undefined;
    if (!token || !tenant) {
      throw new FortnoxApiError(401, FortnoxCode.InvalidCredentials, 'Ogiltig inloggning: access-token är ogiltig.');
    }
    // Fortnox documents 403 as failed authentication: an expired or revoked token may be answered 403, not 401.
    if (token.revoked || token.expiresAt <= state.clock.nowMs()) {
      throw new FortnoxApiError(
        403,
        FortnoxCode.InvalidCredentials,
        'Ogiltig inloggning: access-token har gått ut eller återkallats.',
      );
    }
    request.tenant = tenant;
    request.accessToken = token;
    const scope = requiredScope(request.url);
    if (scope && !token.scope.split(' ').includes(scope)) {
      throw new FortnoxApiError(403, FortnoxCode.NoScope, `Har inte behörighet för scope (${scope}).`);
    }
    if (options.rateLimit && !admit(tenant, options.rateLimit, state.clock.nowMs())) {
      throw new FortnoxApiError(429, FortnoxCode.RateLimited, 'För många anrop (429): max 25 anrop per 5 sekunder.');
    }
    const faults = decideFaults(tenant.faults, routeKey(request));
    if (faults.latencyMs > 0) {
      recordFault(tenant, 'latency');
      await sleep(faults.latencyMs);
    }
    if (faults.rateLimited) {
      recordFault(tenant, 'rateLimitBurst');
      throw new FortnoxApiError(429, FortnoxCode.RateLimited, 'För många anrop (429).');
    }
    if (faults.error) {
      recordFault(tenant, `error${faults.error}`);
      throw new FortnoxApiError(faults.error, FortnoxCode.SystemException, 'Ett systemfel har uppstått. (injected)');
    }
    if (faults.timeoutAfterCommit) {
      recordFault(tenant, 'timeoutAfterCommit');
      request.dropResponse = true;
    }
    if (faults.badBody) {
      recordFault(tenant, `badBody:${faults.badBody}`);
      request.badBody = faults.badBody;
    }
  });

  // "Timeout after commit": the handler ran (its change is kept), then the connection dies without an answer.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.badBody && reply.statusCode < 300) {
      const bad = badBodyPayload(request.badBody);
      reply.header('content-type', bad.contentType);
      return bad.body;
    }
    if (request.dropResponse && request.tenant) {
      request.callLogged = true;
      recordCall(request.tenant, {
        at: state.clock.now().toISOString(),
        method: request.method,
        route: routeKey(request).split(' ')[1] ?? '',
        url: request.url,
        status: 0,
        durationMs: Math.round(reply.elapsedTime),
      });
      request.raw.socket.destroy();
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (!request.tenant || request.callLogged || !isApiPath(request.url)) return;
    recordCall(request.tenant, {
      at: state.clock.now().toISOString(),
      method: request.method,
      route: routeKey(request).split(' ')[1] ?? '',
      url: request.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime),
    });
  });
}
