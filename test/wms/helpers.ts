// Test helpers: an in-process WMS sandbox, a goods owner with a typed client, and sandbox control calls.
import { WmsClient } from '../../activities/wms/client';
import { startWmsSandbox, type WmsSandbox, type WmsSandboxOptions } from '../../simulators/wms/server';

export interface GoodsOwnerCredentials {
  goodsOwnerId: number;
  username: string;
  password: string;
  warehouse: string;
}

export async function startSandbox(options: WmsSandboxOptions = {}): Promise<WmsSandbox> {
  return startWmsSandbox({ port: 0, ...options });
}

/** Calls a /_sandbox control and returns its JSON; throws on a non-2xx answer. */
export async function control<T = unknown>(
  sandbox: WmsSandbox,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    // The controls take JSON only (simulators/local-control-guard.ts); a bodiless DELETE is the one exception.
    headers:
      method === 'GET' || (method === 'DELETE' && body === undefined) ? {} : { 'content-type': 'application/json' },
    body: method === 'GET' || (method === 'DELETE' && body === undefined) ? undefined : JSON.stringify(body ?? {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /_sandbox${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function newGoodsOwner(
  sandbox: WmsSandbox,
  options: { seed?: boolean; timeoutMs?: number } = {},
): Promise<{
  creds: GoodsOwnerCredentials;
  client: WmsClient;
  ctl: (m: 'GET' | 'POST' | 'PUT' | 'DELETE', p: string, b?: unknown) => Promise<unknown>;
}> {
  const creds = await control<GoodsOwnerCredentials>(sandbox, 'POST', '/goods-owners', { name: 'Acme AB' });
  if (options.seed) await control(sandbox, 'POST', `/goods-owners/${creds.goodsOwnerId}/seed`);
  const client = new WmsClient({
    baseUrl: `${sandbox.url}/${creds.warehouse}`,
    username: creds.username,
    password: creds.password,
    goodsOwnerId: creds.goodsOwnerId,
    timeoutMs: options.timeoutMs,
  });
  const ctl = (m: 'GET' | 'POST' | 'PUT' | 'DELETE', p: string, b?: unknown) =>
    control(sandbox, m, `/goods-owners/${creds.goodsOwnerId}${p}`, b);
  return { creds, client, ctl };
}

/** Polls until the condition holds (no fixed sleeps in assertions). */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const consignee = {
  customerNumber: 'C-100',
  name: 'Kund AB',
  address1: 'Storgatan 1',
  postCode: '11122',
  city: 'Stockholm',
  countryCode: 'SE',
};
