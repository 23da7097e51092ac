// OAuth in the Fortnox sandbox: the three grants, refresh rotation, reuse killing the chain, expiry, wrong tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FortnoxSandbox } from '../../simulators/fortnox/server';
import { basic, createTenant, http, startSandbox } from './helpers';
import type { J, TenantCredentials } from './helpers';

let sandbox: FortnoxSandbox;
let t: TenantCredentials;

beforeAll(async () => {
  sandbox = await startSandbox({ accessTokenTtlSeconds: 600 });
  t = await createTenant(sandbox, { lager: false });
});
afterAll(async () => sandbox.close());

const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
  http(sandbox.url, { authorization: basic(t), ...headers }).post('oauth-v1/token', { form });

async function authorizationCode(redirectUri?: string): Promise<string> {
  const response = await http(sandbox.url).post(`_sandbox/tenants/${t.tenantId}/authorization-codes`, {
    json: redirectUri ? { redirectUri } : {},
  });
  return (response.body as { code: string }).code;
}

const companyInfo = (accessToken: string) =>
  http(sandbox.url, { authorization: `Bearer ${accessToken}` }).get('3/companyinformation');

describe('client credentials', () => {
  it('issues a bearer token for the TenantId, usable at once; DatabaseNumber is the tenant id', async () => {
    const response = await token({ grant_type: 'client_credentials' }, { TenantId: t.tenantId });
    expect(response.statusCode).toBe(200);
    const body = response.body as J;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 600 });
    expect(body.refresh_token).toBeUndefined();
    const info = await companyInfo(body.access_token);
    expect(info.statusCode).toBe(200);
    expect(String((info.body as J).CompanyInformation.DatabaseNumber)).toBe(t.tenantId);
  });

  it('needs the TenantId header and the right client secret', async () => {
    expect((await token({ grant_type: 'client_credentials' })).statusCode).toBe(400);
    const wrong = await http(sandbox.url, {
      authorization: `Basic ${Buffer.from(`${t.clientId}:nope`).toString('base64')}`,
      TenantId: t.tenantId,
    }).post('oauth-v1/token', { form: { grant_type: 'client_credentials' } });
    expect(wrong.statusCode).toBe(401);
    expect((wrong.body as J).error).toBe('invalid_client');
  });

  it('limits calls to the granted scopes (403, code 2001101)', async () => {
    const response = await token({ grant_type: 'client_credentials', scope: 'order' }, { TenantId: t.tenantId });
    const accessToken = (response.body as J).access_token as string;
    const api = http(sandbox.url, { authorization: `Bearer ${accessToken}` });
    expect((await api.get('3/orders')).statusCode).toBe(200);
    const denied = await api.get('3/articles');
    expect(denied.statusCode).toBe(403);
    expect((denied.body as J).ErrorInformation.code).toBe(2001101);
  });
});

describe('authorization code and refresh', () => {
  it('exchanges a single-use code for a token pair bound to the redirect uri', async () => {
    const code = await authorizationCode('https://app.example/callback');
    const mismatch = await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/' });
    expect(mismatch.statusCode).toBe(400);
    const ok = await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://app.example/callback' });
    expect(ok.statusCode).toBe(200);
    expect((ok.body as J).refresh_token).toEqual(expect.any(String));
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://app.example/callback' });
    expect(again.statusCode).toBe(400);
    expect((again.body as J).error).toBe('invalid_grant');
  });

  it('GET /oauth-v1/auth consents at once and redirects back with a code and the state', async () => {
    const response = await http(sandbox.url).get('oauth-v1/auth', {
      searchParams: {
        client_id: t.clientId,
        redirect_uri: 'https://app.example/cb',
        scope: 'order article',
        state: 'xyz',
        response_type: 'code',
        access_type: 'offline',
      },
      followRedirect: false,
    });
    expect(response.statusCode).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.searchParams.get('state')).toBe('xyz');
    const exchanged = await token({
      grant_type: 'authorization_code',
      code: String(location.searchParams.get('code')),
      redirect_uri: 'https://app.example/cb',
    });
    expect((exchanged.body as J).scope).toBe('order article');
  });

  it('rotates refresh tokens; reusing a spent one fails and kills the whole chain', async () => {
    const first = (await token({ grant_type: 'authorization_code', code: await authorizationCode() })).body as J;
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(second.statusCode).toBe(200);
    const secondBody = second.body as J;
    expect(secondBody.refresh_token).not.toBe(first.refresh_token);
    expect((await companyInfo(secondBody.access_token)).statusCode).toBe(200);

    // The old one is spent: reuse fails ...
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(reuse.statusCode).toBe(400);
    expect((reuse.body as J).error).toBe('invalid_grant');
    // ... and takes the chain with it: the newest refresh token and its access token are dead too.
    const newest = await token({ grant_type: 'refresh_token', refresh_token: secondBody.refresh_token });
    expect(newest.statusCode).toBe(400);
    expect((await companyInfo(secondBody.access_token)).statusCode).toBe(403); // Fortnox: 403 for failed authentication
  });

  it('access tokens expire on the sandbox clock', async () => {
    const pair = (await token({ grant_type: 'authorization_code', code: await authorizationCode() })).body as J;
    expect((await companyInfo(pair.access_token)).statusCode).toBe(200);
    await http(sandbox.url).post('_sandbox/clock', { json: { advanceSeconds: 601 } });
    try {
      const expired = await companyInfo(pair.access_token);
      // Fortnox documents 403 as failed authentication: a client that refreshes only on 401 is stuck here.
      expect(expired.statusCode).toBe(403);
      expect((expired.body as J).ErrorInformation.code).toBe(2000310);
      // The refresh token still works after the access token expired.
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token });
      expect((await companyInfo((refreshed.body as J).access_token)).statusCode).toBe(200);
    } finally {
      await http(sandbox.url).delete('_sandbox/clock');
    }
  });
});

describe('wrong tokens', () => {
  it('answers missing and unknown bearer tokens with Fortnox 401 errors', async () => {
    const missing = await http(sandbox.url).get('3/orders');
    expect(missing.statusCode).toBe(401);
    expect((missing.body as J).ErrorInformation).toMatchObject({ error: 1, code: 2000311 });
    const unknown = await http(sandbox.url, { authorization: 'Bearer not-a-token' }).get('3/orders');
    expect(unknown.statusCode).toBe(401);
    expect((unknown.body as J).ErrorInformation.code).toBe(2000310);
  });

  it('a token of one tenant only ever sees that tenant', async () => {
    const other = await createTenant(sandbox, { lager: false, companyName: 'Annat AB' });
    const otherToken = (
      await http(sandbox.url, { authorization: basic(other), TenantId: other.tenantId }).post('oauth-v1/token', {
        form: { grant_type: 'client_credentials' },
      })
    ).body as J;
    const info = await companyInfo(otherToken.access_token);
    expect((info.body as J).CompanyInformation.CompanyName).toBe('Annat AB');
    // The client of one tenant cannot get a token for another.
    const cross = await http(sandbox.url, { authorization: basic(other), TenantId: t.tenantId }).post(
      'oauth-v1/token',
      { form: { grant_type: 'client_credentials' } },
    );
    expect(cross.statusCode).toBe(400);
  });
});
