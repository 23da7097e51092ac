// Test helpers: an in-process Fortnox sandbox, tenants through its controls, and plain HTTP clients for its APIs.
import type { IncomingHttpHeaders } from 'node:http';
import got from 'got';
import type { OptionsInit } from 'got';
import { startFortnoxSandbox } from '../../simulators/fortnox/server';
import type { FortnoxSandbox, FortnoxSandboxOptions } from '../../simulators/fortnox/server';

export interface TenantCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export async function startSandbox(options: FortnoxSandboxOptions = {}): Promise<FortnoxSandbox> {
  return startFortnoxSandbox({ rateLimit: false, ...options });
}

export type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What tests read from a response: the status, the parsed JSON body (untyped on purpose), the headers. */
export interface JsonResponse {
  statusCode: number;
  body: unknown;
  headers: IncomingHttpHeaders;
}
type Call = (url: string, options?: OptionsInit) => Promise<JsonResponse>;
export interface Api {
  get: Call;
  post: Call;
  put: Call;
  delete: Call;
  patch: Call;
}

/** A JSON client that never throws on HTTP errors, so tests can assert status and body. */
export function http(url: string, headers: Record<string, string> = {}): Api {
  return got.extend({
    prefixUrl: url,
    retry: { limit: 0 },
    throwHttpErrors: false,
    responseType: 'json',
    headers,
  }) as unknown as Api;
}

export async function createTenant(
  sandbox: FortnoxSandbox,
  body: Record<string, unknown> = { lager: false },
): Promise<TenantCredentials> {
  const response = await http(sandbox.url).post('_sandbox/tenants', { json: body });
  if (response.statusCode !== 201) throw new Error(`tenant creation failed: ${response.statusCode}`);
  return response.body as TenantCredentials;
}

export const basic = (t: TenantCredentials): string =>
  `Basic ${Buffer.from(`${t.clientId}:${t.clientSecret}`).toString('base64')}`;

export async function clientCredentialsToken(
  sandbox: FortnoxSandbox,
  t: TenantCredentials,
  scope?: string,
): Promise<string> {
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (scope) form.scope = scope;
  const response = await http(sandbox.url, { authorization: basic(t), TenantId: t.tenantId }).post('oauth-v1/token', {
    form,
  });
  if (response.statusCode !== 200) throw new Error(`token failed: ${JSON.stringify(response.body)}`);
  return (response.body as { access_token: string }).access_token;
}

/** An API client for one tenant (client-credentials token). */
export async function apiFor(sandbox: FortnoxSandbox, t: TenantCredentials): Promise<Api> {
  const token = await clientCredentialsToken(sandbox, t);
  return http(sandbox.url, { authorization: `Bearer ${token}` });
}

/** A tenant with one customer and the given stock articles, plus its API client. */
export async function tenantWithBasics(
  sandbox: FortnoxSandbox,
  body: Record<string, unknown> = { lager: false },
  articles: string[] = ['A1', 'A2', 'A3'],
): Promise<{ t: TenantCredentials; api: Api; customerNumber: string }> {
  const t = await createTenant(sandbox, body);
  const api = await apiFor(sandbox, t);
  const customer = await api.post('3/customers', { json: { Customer: { Name: 'Testkund AB', City: 'Lund' } } });
  for (const number of articles) {
    await api.post('3/articles', {
      json: {
        Article: {
          ArticleNumber: number,
          Description: `Artikel ${number}`,
          StockGoods: true,
          SalesPrice: 100,
          PurchasePrice: 40,
        },
      },
    });
  }
  return {
    t,
    api,
    customerNumber: (customer.body as { Customer: { CustomerNumber: string } }).Customer.CustomerNumber,
  };
}
