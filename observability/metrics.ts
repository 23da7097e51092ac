// The product's Prometheus metrics: Fortnox and WMS calls by route and code (429s apart), webhook outcomes, open
// orders by stage and order-sync lag per tenant. The last two are read from Temporal when scraped (workflows cannot
// touch prom-client, and visibility already knows every workflow's stage), cached so scrapes stay cheap.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Client } from '@temporalio/client';
import { ordersScheduleId } from '../domain/names';
import { ORDER_WORKFLOW_TYPE } from '../workflows/order/messages';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export type ApiSystem = 'fortnox' | 'wms';

const apiCalls = new Counter({
  name: 'wms_fortnox_api_calls_total',
  help: 'HTTP calls to Fortnox and the WMS, by route template and answer code ("network" when no answer came)',
  labelNames: ['system', 'method', 'route', 'code'] as const,
  registers: [registry],
});
const apiErrors = new Counter({
  name: 'wms_fortnox_api_errors_total',
  help: 'Calls to Fortnox and the WMS that failed: a non-2xx answer or no answer at all',
  labelNames: ['system', 'method', 'route', 'code'] as const,
  registers: [registry],
});
const rateLimited = new Counter({
  name: 'wms_fortnox_api_rate_limited_total',
  help: 'HTTP 429 answers (Fortnox allows 25 requests per 5 s per tenant)',
  labelNames: ['system', 'route'] as const,
  registers: [registry],
});
const apiDuration = new Histogram({
  name: 'wms_fortnox_api_call_duration_seconds',
  help: 'Duration of calls to Fortnox and the WMS, pacing excluded',
  labelNames: ['system', 'route'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
const webhooks = new Counter({
  name: 'wms_fortnox_webhooks_total',
  help: 'WMS webhooks received, by tenant ("(unknown)" for URLs of no tenant) and outcome (signalled, repeat, unknown-order, unauthorized, bad-payload, unknown-tenant, webhooks-off, temporal-unavailable)',
  labelNames: ['tenant', 'outcome'] as const,
  registers: [registry],
});

/**
 * A route template for a request path, so labels stay few: ids become `:id`.
 * Fortnox: `/3/<resource>/<id>/<action>`, Lager custom documents `.../custom/<direction>-v1/<type>/<id>/...`;
 * WMS: numeric path segments.
 */
export function routeTemplate(system: ApiSystem, path: string): string {
  const segments = path.split('?')[0]!.split('/');
  if (system === 'fortnox') {
    if (segments[1] === '3' && segments.length > 3) segments[3] = ':id';
    const custom = segments.indexOf('custom');
    if (segments[1] === 'api' && custom > 0 && /^(inbound|outbound)-v\d+$/.test(segments[custom + 1] ?? '')) {
      if (segments[custom + 2] !== undefined) segments[custom + 2] = ':type';
      if (segments[custom + 3] !== undefined) segments[custom + 3] = ':id';
    }
    return segments.map((s, i) => (i > 1 && /^\d+$/.test(s) ? ':id' : s)).join('/');
  }
  return segments.map((s) => (/^\d+$/.test(s) ? ':id' : s)).join('/');
}

/** Called by the Fortnox and WMS clients once per HTTP exchange. `status` undefined: no answer (timeout, reset). */
export function observeApiCall(
  system: ApiSystem,
  method: string,
  path: string,
  status: number | undefined,
  durationMs: number,
): void {
  const route = routeTemplate(system, path);
  const code = status === undefined ? 'network' : String(status);
  apiCalls.inc({ system, method, route, code });
  apiDuration.observe({ system, route }, durationMs / 1000);
  if (status === undefined || status < 200 || status >= 300) apiErrors.inc({ system, method, route, code });
  if (status === 429) rateLimited.inc({ system, route });
}

/** The webhook receiver's `onOutcome`. */
export function observeWebhook(outcome: string, tenantId: string): void {
  webhooks.inc({ tenant: tenantId, outcome });
}

const OPEN_STAGES = ['starting', 'awaiting-warehouse', 'in-warehouse', 'reporting', 'needs-attention'];

export interface TemporalGaugesOptions {
  client: Client;
  tenantIds: () => string[];
  /** Results are reused for this long between scrapes. Default 15 s. */
  cacheMs?: number;
}

/** A value computed at most once per `ms`, shared by concurrent callers. */
function cached<T>(ms: number, compute: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | undefined;
  return () => {
    if (!value || Date.now() - at > ms) {
      at = Date.now();
      value = compute().catch((err: unknown) => {
        at = 0; // a failed read is retried at the next scrape
        throw err;
      });
    }
    return value;
  };
}

async function ordersByStage(
  client: Client,
  tenantIds: string[],
): Promise<{ tenant: string; stage: string; count: number }[]> {
  const cells = tenantIds.flatMap((tenant) => OPEN_STAGES.map((stage) => ({ tenant, stage })));
  return Promise.all(
    cells.map(async ({ tenant, stage }) => {
      const { count } = await client.workflow.count(
        `WorkflowType="${ORDER_WORKFLOW_TYPE}" AND ExecutionStatus="Running" AND Tenant="${tenant}" AND OrderStage="${stage}"`,
      );
      return { tenant, stage, count };
    }),
  );
}

/** Seconds since the newest order-sync run of the tenant's schedule that completed; undefined when none has yet. */
export async function orderSyncLagSeconds(client: Client, tenantId: string): Promise<number | undefined> {
  const schedule = await client.schedule
    .getHandle(ordersScheduleId(tenantId))
    .describe()
    .catch(() => undefined);
  if (!schedule) return undefined;
  for (const action of [...schedule.info.recentActions].reverse()) {
    const run = await client.workflow
      .getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId)
      .describe()
      .catch(() => undefined);
    if (run?.status.name === 'COMPLETED' && run.closeTime)
      return Math.max(0, (Date.now() - run.closeTime.getTime()) / 1000);
  }
  return undefined;
}

/** Registers the gauges read from Temporal. Call once per process that has a client (worker, `npm start`). */
export function registerTemporalGauges(options: TemporalGaugesOptions): void {
  const cacheMs = options.cacheMs ?? 15_000;
  for (const name of ['wms_fortnox_orders_open', 'wms_fortnox_order_sync_lag_seconds'])
    registry.removeSingleMetric(name);
  const stages = cached(cacheMs, () => ordersByStage(options.client, options.tenantIds()));
  const lags = cached(cacheMs, async () =>
    Promise.all(
      options.tenantIds().map(async (tenant) => ({ tenant, lag: await orderSyncLagSeconds(options.client, tenant) })),
    ),
  );
  new Gauge({
    name: 'wms_fortnox_orders_open',
    help: 'Running order workflows by tenant and stage (from Temporal visibility)',
    labelNames: ['tenant', 'stage'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { tenant, stage, count } of await stages()) this.set({ tenant, stage }, count);
    },
  });
  new Gauge({
    name: 'wms_fortnox_order_sync_lag_seconds',
    help: "Seconds since the tenant's last successful order sync (from its schedule's recent actions)",
    labelNames: ['tenant'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { tenant, lag } of await lags()) if (lag !== undefined) this.set({ tenant }, lag);
    },
  });
}

const fortnoxEvents = new Counter({
  name: 'wms_fortnox_events_total',
  help: 'Fortnox WebSocket events handled by the event listener, by topic and outcome (started, restarted, left-closed, sync nudged, nudged recently, process off, unknown tenant, given up, duplicate)',
  labelNames: ['topic', 'outcome'] as const,
  registers: [registry],
});
const fortnoxEventsConnected = new Gauge({
  name: 'wms_fortnox_events_connection_state',
  help: "The event listener's connection: 1 for its current state (connecting, subscribed, disconnected, stopped), 0 for the others",
  labelNames: ['state'] as const,
  registers: [registry],
});
const fortnoxEventLastTime = new Gauge({
  name: 'wms_fortnox_events_last_event_timestamp_seconds',
  help: 'When the event listener last handled an event of the topic (Unix time): a topic silent for long while Fortnox is busy is worth a look',
  labelNames: ['topic'] as const,
  registers: [registry],
});
const fortnoxEventLag = new Gauge({
  name: 'wms_fortnox_events_lag_seconds',
  help: "From Fortnox's timestamp of the topic's last handled event to its effect being durable in Temporal (replays after an outage show as a large lag)",
  labelNames: ['topic'] as const,
  registers: [registry],
});

const LISTENER_STATES = ['connecting', 'subscribed', 'disconnected', 'stopped'] as const;

/** The event listener's connection changed state. */
export function observeFortnoxEventsState(state: string): void {
  for (const s of LISTENER_STATES) fortnoxEventsConnected.set({ state: s }, s === state ? 1 : 0);
}

/** The event listener handled an event (its effect durable) with this outcome, `nowMs` after Fortnox's timestamp. */
export function observeFortnoxEvent(event: { topic: string; timestamp: string }, outcome: string, nowMs: number): void {
  fortnoxEvents.inc({ topic: event.topic, outcome });
  fortnoxEventLastTime.set({ topic: event.topic }, nowMs / 1000);
  const at = Date.parse(event.timestamp);
  if (Number.isFinite(at)) fortnoxEventLag.set({ topic: event.topic }, Math.max(0, (nowMs - at) / 1000));
}
