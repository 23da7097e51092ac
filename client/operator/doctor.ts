// `doctor [--tenant X]`: read-only checks of each tenant's real accounts before going live (and whenever something is
// off): the Fortnox token and its scopes, Lager on or off, one Fortnox list call; the WMS API user, goods owner and one
// order list; the invoicing permission when 3PL billing is on; whether the webhook URL answers; with Fortnox events on,
// whether the event stream accepts the tenant and whether a listener carries it. Nothing is written to either system.
// A table of results, with what to do for each failure; any failure makes the command exit non-zero.
import got from 'got';
import type { FortnoxClient } from '../../activities/fortnox/client';
import { FortnoxError } from '../../activities/fortnox/errors';
import { EventStreamConnection } from '../../activities/fortnox/event-stream';
import type { TenantRegistry } from '../../activities/tenant-registry';
import type { WmsClient } from '../../activities/wms/client';
import { WmsError, WmsInvoiceChargesNotPermittedError } from '../../activities/wms/errors';
import { basicAuthorization, signWebhookBody, type WebhookAuth } from '../../activities/wms/webhook';
import type { Tenant } from '../../config/tenants';
import { OperatorError, println, table, type AccountsContext } from './context';
import {
  listenerGone,
  listenerSince,
  readFortnoxEvents,
  shortTime,
  subscribedListenersOf,
  type FortnoxEventsStatus,
} from './fortnox-events-status';

export type CheckResult = 'pass' | 'warn' | 'fail';

export interface DoctorCheck {
  tenant: string;
  check: string;
  result: CheckResult;
  detail: string;
  /** What to do: set for every failure and warning. */
  fix?: string;
}

type Check = Omit<DoctorCheck, 'tenant'>;

/** What the checks need beyond the tenant's own API clients. */
export interface DoctorEnvironment {
  /**
   * What the event listeners reported (undefined: the offsets workflow does not exist); rejects when Temporal cannot
   * tell. Absent: doctor has no Temporal to ask.
   */
  fortnoxEvents?: () => Promise<FortnoxEventsStatus | undefined>;
}

/** The Fortnox scopes a tenant's switched-on processes need (Lager's `warehouse` is checked on its own). */
export function requiredScopes(settings: Tenant['settings']): string[] {
  const { processes } = settings;
  const scopes = new Set<string>();
  if (processes.orders || processes.fulfilmentReporting) scopes.add('order');
  if (processes.articles || processes.stockLevels) scopes.add('article');
  if (processes.suppliers) scopes.add('supplier');
  return [...scopes].sort();
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function fortnoxChecks(tenant: Tenant, fortnox: FortnoxClient): Promise<Check[]> {
  const mode = tenant.fortnox.auth.mode === 'client_credentials' ? 'client credentials' : 'refresh token';
  let scope: string | undefined;
  try {
    scope = await fortnox.grantedScope();
  } catch (err) {
    const consent =
      err instanceof FortnoxError && (err.code === 'invalid_grant' || err.code === 'missing_refresh_token');
    return [
      {
        check: `Fortnox token (${mode})`,
        result: 'fail',
        detail: describe(err),
        fix: consent
          ? 'the refresh-token chain is dead or missing: have the customer consent again, put the new refresh token in fortnox.auth.initialRefreshToken and restart the worker: a changed token starts a new chain (docs/operations.md)'
          : tenant.fortnox.auth.mode === 'client_credentials'
            ? 'check fortnox.auth.clientId, clientSecret and tenantId (the DatabaseNumber), and that the integration is activated for this company'
            : 'check fortnox.auth.clientId and clientSecret',
      },
    ];
  }
  const checks: Check[] = [{ check: `Fortnox token (${mode})`, result: 'pass', detail: 'an access token was issued' }];
  const needed = requiredScopes(tenant.settings);
  if (scope === undefined) {
    checks.push({
      check: 'Fortnox scopes',
      result: 'warn',
      detail: 'Fortnox did not say which scopes it granted',
      fix: `make sure the integration has the scopes ${needed.join(', ')} (and warehouse with Fortnox Lager)`,
    });
  } else {
    const granted = new Set(scope.split(/\s+/).filter(Boolean));
    const missing = needed.filter((s) => !granted.has(s));
    checks.push(
      missing.length
        ? {
            check: 'Fortnox scopes',
            result: 'fail',
            detail: `granted: ${[...granted].join(' ') || '(none)'}; missing: ${missing.join(' ')}`,
            fix: `add the scopes ${missing.join(', ')} to the integration in Fortnox's developer portal, then consent again (refresh-token mode) or update fortnox.auth.scope`,
          }
        : { check: 'Fortnox scopes', result: 'pass', detail: `granted: ${[...granted].join(' ')}` },
    );
  }
  try {
    const lager = (await fortnox.getWarehouseTenant()).activated;
    checks.push({
      check: 'Fortnox Lager',
      result: 'pass',
      detail: lager ? 'activated: stock moves through warehouse documents' : 'not activated',
    });
  } catch (err) {
    const noScope = err instanceof FortnoxError && (err.status === 403 || err.status === 404);
    checks.push(
      noScope
        ? {
            check: 'Fortnox Lager',
            result: 'warn',
            detail: 'unknown: the token may not read the warehouse API (no warehouse scope or licence)',
            fix: 'if the company uses Fortnox Lager, add the warehouse scope; otherwise nothing to do (Lager counts as off)',
          }
        : {
            check: 'Fortnox Lager',
            result: 'fail',
            detail: describe(err),
            fix: 'retry later; if it persists, check Fortnox status',
          },
    );
  }
  try {
    const page = await fortnox.listOrders({ limit: 1 });
    const [first] = page.items;
    checks.push({
      check: 'Fortnox order list',
      result: 'pass',
      detail: first ? `order ${first.DocumentNumber} read` : 'no orders yet',
    });
  } catch (err) {
    checks.push({
      check: 'Fortnox order list',
      result: 'fail',
      detail: describe(err),
      fix: "the token cannot read orders: check the order scope and the company's licence",
    });
  }
  return checks;
}

async function wmsChecks(tenant: Tenant, wms: WmsClient): Promise<{ checks: Check[]; anyOrderId?: number }> {
  const { goodsOwnerId, username } = tenant.wms;
  try {
    const orders = await wms.listOrders({ maxOrdersToGet: 1 });
    return {
      checks: [
        { check: 'WMS API user', result: 'pass', detail: `${username} accepted` },
        { check: 'WMS goods owner', result: 'pass', detail: `goods owner ${goodsOwnerId} readable` },
        {
          check: 'WMS order list',
          result: 'pass',
          detail: orders.length ? `order ${orders[0]!.orderInfo.orderNumber} read` : 'no orders yet',
        },
      ],
      anyOrderId: orders[0]?.orderInfo.orderId,
    };
  } catch (err) {
    const status = err instanceof WmsError ? err.status : undefined;
    if (status === 401) {
      return {
        checks: [
          {
            check: 'WMS API user',
            result: 'fail',
            detail: describe(err),
            fix: `check wms.username (${username}) and wms.password: the goods owner's API user in Ongoing (Administration → Integration → API for goods owners)`,
          },
        ],
      };
    }
    if (status === 403 || status === 400) {
      return {
        checks: [
          { check: 'WMS API user', result: 'pass', detail: `${username} accepted` },
          {
            check: 'WMS goods owner',
            result: 'fail',
            detail: describe(err),
            fix: `check wms.goodsOwnerId (${goodsOwnerId}): it must be this API user's goods owner`,
          },
        ],
      };
    }
    return {
      checks: [
        {
          check: 'WMS API user',
          result: 'fail',
          detail: describe(err),
          fix: `check wms.baseUrl (${tenant.wms.baseUrl}: up to and including the warehouse segment) and that the WMS is reachable`,
        },
      ],
    };
  }
}

/** With 3PL invoicing of per-order charges on: may the API user read an order's invoice charges (an extra permission)? */
async function invoiceChargesCheck(
  tenant: Tenant,
  wms: WmsClient,
  anyOrderId: number | undefined,
): Promise<Check | undefined> {
  if (!tenant.billing || !tenant.settings.processes.billing || !tenant.billing.orderCharges) return undefined;
  const check = 'WMS invoice charges permission';
  if (anyOrderId === undefined) {
    return {
      check,
      result: 'warn',
      detail: 'no order in the WMS to try it on yet',
      fix: 'run doctor again once the WMS has an order',
    };
  }
  try {
    const charges = await wms.getOrderInvoiceCharges(anyOrderId);
    return {
      check,
      result: 'pass',
      detail: `GET /orders/${anyOrderId}/invoiceCharges answered (${charges.length} charge(s))`,
    };
  } catch (err) {
    return {
      check,
      result: 'fail',
      detail: describe(err),
      fix:
        err instanceof WmsInvoiceChargesNotPermittedError
          ? 'grant the API user the permission to read invoice charges: Ongoing WMS → Administration → Integration → API for goods owners'
          : 'retry later; if it persists, check the WMS',
    };
  }
}

/** The headers and URL a WMS would use with the configured authentication, for a GET reachability check. */
function webhookRequest(
  url: string,
  auth: Exclude<WebhookAuth, { auth: 'off' }>,
): { url: string; headers: Record<string, string> } {
  switch (auth.auth) {
    case 'basic':
      return { url, headers: { authorization: basicAuthorization(auth.username, auth.password) } };
    case 'token':
      return { url: `${url.replace(/\/+$/, '')}/${auth.token}`, headers: {} };
    case 'hmac':
      return { url, headers: { 'x-webhook-signature': signWebhookBody('', auth.secret) } };
  }
}

async function webhookCheck(tenant: Tenant): Promise<Check> {
  const auth = tenant.wms.webhook;
  if (auth.auth === 'off') {
    const poll = tenant.settings.processes.wmsStatusPoll;
    return poll
      ? {
          check: 'webhook',
          result: 'pass',
          detail: `off: the status-change poll asks the WMS every ${tenant.settings.wmsStatusPollInterval}`,
        }
      : {
          check: 'webhook',
          result: 'fail',
          detail:
            "off, and the status-change poll is switched off too: shipments wait for each order's reconciliation timer",
          fix: 'configure the webhook (docs/operations.md) or switch settings.processes.wmsStatusPoll on',
        };
  }
  if (!auth.publicUrl) {
    return {
      check: 'webhook URL',
      result: 'warn',
      detail: `${auth.auth} mode, but no wms.webhook.publicUrl to check`,
      fix: "set wms.webhook.publicUrl to the URL typed into Ongoing's webhook form, to have it checked",
    };
  }
  const { url, headers } = webhookRequest(auth.publicUrl, auth);
  const shown = auth.auth === 'token' ? `${auth.publicUrl}/…` : auth.publicUrl;
  try {
    const res = await got(url, {
      headers,
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: 10_000 },
      followRedirect: false,
    });
    if (res.statusCode === 200)
      return { check: 'webhook URL', result: 'pass', detail: `${shown} answers with ${auth.auth} authentication` };
    return {
      check: 'webhook URL',
      result: 'fail',
      detail: `${shown} answered ${res.statusCode}`,
      fix:
        res.statusCode === 401
          ? "the receiver refused the configured credentials: the tenants file and the receiver's configuration differ"
          : "the URL does not reach this product's webhook receiver: check the host, the path /webhooks/wms/<tenant> and the proxy in front of it",
    };
  } catch (err) {
    return {
      check: 'webhook URL',
      result: 'fail',
      detail: `${shown}: ${describe(err)}`,
      fix: 'the receiver is not reachable at that URL: is it running, and is the port open to Ongoing?',
    };
  }
}

/** The order sync's interval with events on, in words ("hourly" for the default 1h). */
const safetyNet = (tenant: Tenant) => {
  const every = tenant.settings.orderSyncIntervalWithEvents;
  return every === '1h' ? 'the hourly safety-net order sync' : `the safety-net order sync (every ${every})`;
};

/** A text from the stream's answer, with the tenant's token and client secret cut out (never printed). */
function scrub(text: string, ...secrets: string[]): string {
  return secrets.filter((x) => x.length >= 4).reduce((t, x) => t.split(x).join('…'), text);
}

/** add-tenants-v1 on a connection of its own, closed at once: does Fortnox's event stream take this tenant? */
async function eventStreamCheck(tenant: Tenant, fortnox: FortnoxClient, url: string): Promise<Check> {
  const check = 'Fortnox events';
  const { clientSecret } = tenant.fortnox.auth;
  let token: string;
  try {
    token = await fortnox.accessToken();
  } catch (err) {
    return {
      check,
      result: 'fail',
      detail: `not tried: no access token (${scrub(describe(err), clientSecret)})`,
      fix: 'fix the Fortnox token first (see Fortnox token)',
    };
  }
  let connection: EventStreamConnection;
  try {
    connection = await EventStreamConnection.open(url, { onEvent: () => undefined });
  } catch (err) {
    return {
      check,
      result: 'fail',
      detail: scrub(describe(err), token, clientSecret),
      fix: `the event stream is not reachable at ${url}: check the tenant's fortnox.eventsUrl and that this host may open WebSocket connections to it`,
    };
  }
  const sent = `Bearer ${token}`;
  try {
    const answer = await connection.command({ command: 'add-tenants-v1', clientSecret, accessTokens: [sent] });
    const fortnoxTenantId = (answer.tenantIds as Record<string, unknown> | undefined)?.[sent];
    if (answer.result === 'ok' && fortnoxTenantId !== undefined) {
      return {
        check,
        result: 'pass',
        detail: `on: ${url} accepted the tenant (Fortnox tenant ${String(fortnoxTenantId)})`,
      };
    }
    const message = typeof answer.message === 'string' ? `: ${scrub(answer.message, token, clientSecret)}` : '';
    return {
      check,
      result: 'fail',
      detail: `${url} refused the tenant (add-tenants-v1 answered ${answer.result}${message})`,
      fix:
        'Fortnox refused the access token or the client secret: check fortnox.auth.clientSecret (the same ' +
        "integration's as the token), that the integration's scopes cover the events (order), and that the customer's " +
        'consent is current; or set settings.fortnoxEvents: off',
    };
  } catch (err) {
    return {
      check,
      result: 'fail',
      detail: `${url}: ${scrub(describe(err), token, clientSecret)}`,
      fix: 'the event stream did not answer add-tenants-v1: retry later; if it persists, check Fortnox status',
    };
  } finally {
    connection.close();
  }
}

/** Does a running listener carry this tenant (it reported `subscribed` with it)? */
async function eventListenerCheck(tenant: Tenant, env: DoctorEnvironment): Promise<Check> {
  const check = 'Fortnox event listener';
  const noListener = (detail: string): Check => ({
    check,
    result: 'warn',
    detail: `${detail}: orders wait for ${safetyNet(tenant)}`,
    fix: 'run `npm run events` (or set fortnoxEvents: off)',
  });
  if (!env.fortnoxEvents) {
    return {
      check,
      result: 'warn',
      detail: 'cannot tell whether an event listener runs: no Temporal to ask',
      fix: 'run doctor where Temporal is reachable (TEMPORAL_ADDRESS) to have the listener checked',
    };
  }
  let status: FortnoxEventsStatus | undefined;
  try {
    status = await env.fortnoxEvents();
  } catch (err) {
    return {
      check,
      result: 'warn',
      detail: `cannot tell whether an event listener runs: ${describe(err)}`,
      fix: 'check that Temporal is reachable (TEMPORAL_ADDRESS) and the worker runs; then run doctor again',
    };
  }
  const [subscribed] = subscribedListenersOf(status, tenant.id);
  if (subscribed) {
    return {
      check,
      result: 'pass',
      detail: `listener ${subscribed.listener} subscribed since ${shortTime(listenerSince(subscribed))}`,
    };
  }
  const carrying = (status?.listeners ?? []).find((l) => l.tenants.includes(tenant.id));
  return noListener(
    carrying
      ? `no event listener is running for this tenant (${carrying.listener} ${listenerGone(carrying) ? `last reported ${carrying.state} at ${shortTime(carrying.at)}` : `is ${carrying.state} since ${shortTime(listenerSince(carrying))}`})`
      : 'no event listener is running for this tenant',
  );
}

/** `fortnox` absent: Fortnox issued no token (its own check failed), so the event stream is not tried. */
async function fortnoxEventsChecks(
  tenant: Tenant,
  fortnox: FortnoxClient | undefined,
  env: DoctorEnvironment,
): Promise<Check[]> {
  const { settings } = tenant;
  if (settings.fortnoxEvents === 'off') {
    return [
      {
        check: 'Fortnox events',
        result: 'pass',
        detail: `off: orders come every ${settings.syncInterval} by the order sync`,
      },
    ];
  }
  if (!settings.processes.orders) {
    return [{ check: 'Fortnox events', result: 'pass', detail: 'not used: the orders process is off' }];
  }
  const checks: Check[] = [];
  if (!fortnox) {
    checks.push({
      check: 'Fortnox events',
      result: 'warn',
      detail: 'on; the event stream not tried: Fortnox issued no access token',
      fix: 'fix the Fortnox token first (see its check), then run doctor again',
    });
  } else {
    checks.push(await eventStreamCheck(tenant, fortnox, tenant.fortnox.eventsUrl));
  }
  checks.push(await eventListenerCheck(tenant, env));
  return checks;
}

/** Every check for one tenant, in order; each check's failure is reported, never thrown. */
export async function checkTenant(
  tenant: Tenant,
  registry: TenantRegistry,
  env: DoctorEnvironment = {},
): Promise<DoctorCheck[]> {
  const checks: Check[] = [];
  const fortnox = await fortnoxChecks(tenant, registry.fortnox(tenant.id));
  checks.push(...fortnox);
  const tokenIssued = fortnox[0]?.result === 'pass';
  checks.push(...(await fortnoxEventsChecks(tenant, tokenIssued ? registry.fortnox(tenant.id) : undefined, env)));
  const wms = await wmsChecks(tenant, registry.wms(tenant.id));
  checks.push(...wms.checks);
  if (wms.checks.every((c) => c.result === 'pass')) {
    const charges = await invoiceChargesCheck(tenant, registry.wms(tenant.id), wms.anyOrderId);
    if (charges) checks.push(charges);
  }
  checks.push(await webhookCheck(tenant));
  return checks.map((c) => ({ tenant: tenant.id, ...c }));
}

export function formatDoctor(checks: DoctorCheck[]): string {
  const mark: Record<CheckResult, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };
  const rows = checks.map((c) => [c.tenant, c.check, mark[c.result], c.detail]);
  const todo = checks.filter((c) => c.fix).map((c) => `- ${c.tenant} / ${c.check} (${mark[c.result]}): ${c.fix}`);
  const failed = checks.filter((c) => c.result === 'fail').length;
  return [
    table(['tenant', 'check', 'result', 'detail'], rows),
    ...(todo.length ? ['', 'What to do:', ...todo] : []),
    '',
    failed ? `${failed} check(s) failed.` : 'All checks passed.',
  ].join('\n');
}

export async function doctorCommand(ctx: AccountsContext, options: { tenant?: string } = {}): Promise<DoctorCheck[]> {
  if (!ctx.registry || ctx.tenants.length === 0) {
    throw new OperatorError('doctor checks the accounts in the tenants file: set TENANTS_FILE', 2);
  }
  const tenants = options.tenant ? ctx.tenants.filter((t) => t.id === options.tenant) : ctx.tenants;
  if (tenants.length === 0) throw new OperatorError(`tenant "${options.tenant}" is not in the tenants file`, 2);
  // Asked once for every tenant: one listener connection carries them all.
  let events: Promise<FortnoxEventsStatus | undefined> | undefined;
  const { temporal } = ctx;
  const env: DoctorEnvironment = {
    fortnoxEvents: temporal
      ? () =>
          (events ??= temporal().then((client) =>
            readFortnoxEvents(client, { workflowId: ctx.fortnoxEventsWorkflowId }),
          ))
      : undefined,
  };
  const checks: DoctorCheck[] = [];
  for (const tenant of tenants) checks.push(...(await checkTenant(tenant, ctx.registry, env)));
  println(ctx, formatDoctor(checks));
  if (checks.some((c) => c.result === 'fail')) throw new OperatorError('doctor found failures (see above)');
  return checks;
}
