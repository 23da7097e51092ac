// The Fortnox event listener: one WebSocket connection per deployment carrying every tenant with events on (Fortnox
// asks for one connection per integration). An order event signals-with-start that order's workflow ("Fortnox
// changed"), exactly as the order sync does; article, supplier and stock-balance events nudge those syncs. Offsets
// live in the fortnox-event-offsets workflow and advance only after an event's effect is durable, so a crash replays
// events (the workflows dedupe) instead of losing them. Reconnects with backoff; re-adds tenants as tokens refresh.
import { hostname } from 'node:os';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import QuickLRU from 'quick-lru';
import {
  EventStreamConnection,
  type CommandResponse,
  type FortnoxStreamEvent,
} from '../../activities/fortnox/event-stream';
import { startOrderWorkflow } from '../../activities/order-start';
import { articlesScheduleId, stockLevelsScheduleId, suppliersScheduleId, ordersScheduleId } from '../../domain/names';
import type { OrderWorkflowSettings } from '../../domain/order-settings';
import {
  eventOffsetsQuery,
  eventsHandledSignal,
  fortnoxEventOffsetsWorkflow,
  listenerReportSignal,
  LISTENER_REPORT_EVERY_MS,
  FORTNOX_EVENT_OFFSETS_WORKFLOW_ID,
  type EventOffsets,
  type TopicPosition,
} from '../../workflows/fortnox-event-offsets';
import { triggerScheduleAfterRunning } from '../schedules';

/**
 * The listener process's Temporal identity starts so: an order workflow it started says so in its first history event
 * (the Web UI shows it), and the chaos soak counts the orders that came by event.
 */
export const LISTENER_IDENTITY_PREFIX = 'fortnox-events:';

/** Fortnox replays a topic about 14 days back from an offset; older, the offset is worth nothing. */
export const REPLAY_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

export interface EventTenant {
  /** The product's tenant id. */
  id: string;
  /** The integration's client secret (add-tenants-v1 takes it with the tokens of its tenants). */
  clientSecret: string;
  /** A valid access token (refreshed through the shared token store when needed). */
  accessToken(): Promise<string>;
  lager: boolean;
  orderSettings: OrderWorkflowSettings;
  processes: { articles: boolean; suppliers: boolean; stockLevels: boolean };
}

export type ListenerState = 'connecting' | 'subscribed' | 'disconnected' | 'stopped';

export interface ListenerOptions {
  url: string;
  tenants: EventTenant[];
  client: Client;
  taskQueue: string;
  logger: Logger;
  /** The offsets workflow's id (default: one per namespace, FORTNOX_EVENT_OFFSETS_WORKFLOW_ID). */
  offsetsWorkflowId?: string;
  /**
   * How often each tenant's token is checked (default 20 s): a new one (the old is within a minute of its hour) is
   * added at once, before the old expires and Fortnox stops sending that tenant's events.
   */
  tokenCheckEveryMs?: number;
  /** How often handled positions are written to the offsets workflow (default 1 s). */
  flushEveryMs?: number;
  /** A sync nudged by events runs at most this often per tenant and kind (default 10 s). */
  nudgeEveryMs?: number;
  /** Backoff between reconnects: from `min` doubling to `max` (defaults 1 s and 60 s). */
  backoffMs?: { min: number; max: number };
  /**
   * An event whose effect fails this many times for a reason other than Temporal being unreachable is given up (logged
   * as an error, the tenant's order sync run at once instead), so one bad event cannot hold back every later one
   * (default 8). While Temporal is unreachable, events wait as long as it takes.
   */
  maxAttempts?: number;
  /** How often the listener repeats its report to the offsets workflow (default LISTENER_REPORT_EVERY_MS, 5 min). */
  reportEveryMs?: number;
  /** Who this listener is in its reports to the offsets workflow (default: host name and process id). */
  listenerId?: string;
  now?: () => number;
  onState?: (state: ListenerState) => void;
  onEvent?: (event: FortnoxStreamEvent, outcome: string) => void;
}

export class FortnoxEventListener {
  private connection: EventStreamConnection | undefined;
  private state: ListenerState = 'disconnected';
  private stateSince = Date.now();
  private stopped = false;
  private handled: Record<string, TopicPosition> = {};
  private unflushed: Record<string, TopicPosition> = {};
  private queue: Promise<void> = Promise.resolve();
  private readonly byFortnoxTenant = new Map<string, EventTenant>();
  /** Offsets this process has taken, per topic (bounded: duplicates come close to their first). */
  private readonly seen = new QuickLRU<string, true>({ maxSize: 10_000 });
  /** Our tenant id → the token it was last added with. */
  private readonly addedTokens = new Map<string, string>();
  private readonly lastNudge = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Pending retry waits, ended early by stop(). */
  private readonly wakeUps = new Set<() => void>();
  private backoff: number;
  /** Counts, for tests and the chaos soak (the metrics take each event's outcome through onEvent). */
  readonly counts = { events: 0, duplicates: 0, connects: 0, orderSignals: 0, nudges: 0, givenUp: 0 };

  constructor(private readonly options: ListenerOptions) {
    this.backoff = options.backoffMs?.min ?? 1000;
  }

  private get offsetsWorkflowId(): string {
    return this.options.offsetsWorkflowId ?? FORTNOX_EVENT_OFFSETS_WORKFLOW_ID;
  }

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  get connectionState(): ListenerState {
    return this.state;
  }

  private setState(state: ListenerState): Promise<void> {
    if (state !== this.state) this.stateSince = this.now;
    this.state = state;
    this.options.onState?.(state);
    return this.report();
  }

  /** Tells the offsets workflow (and so `cli status` and `doctor`, from any host) the connection's state; best effort. */
  private async report(): Promise<void> {
    try {
      await this.options.client.workflow.getHandle(this.offsetsWorkflowId).signal(listenerReportSignal, {
        state: this.state,
        at: new Date(this.now).toISOString(),
        since: new Date(this.stateSince).toISOString(),
        listener: this.options.listenerId ?? `${hostname()}:${process.pid}`,
        tenants: [...new Set([...this.byFortnoxTenant.values()].map((t) => t.id))],
      });
    } catch {
      // Temporal unreachable or the workflow not started yet: the next report (a change or the heartbeat) says it.
    }
  }

  /** Connects and keeps connected until stop(). Resolves after the first attempt, subscribed or not (see connectionState): it retries by itself. */
  async start(): Promise<void> {
    this.timers.push(setInterval(() => void this.flush(), this.options.flushEveryMs ?? 1000));
    // The heartbeat: a listener killed without a word shows as gone once its last report is old.
    this.timers.push(setInterval(() => void this.report(), this.options.reportEveryMs ?? LISTENER_REPORT_EVERY_MS));
    this.timers.push(setInterval(() => void this.refreshTenants(), this.options.tokenCheckEveryMs ?? 20_000));
    await this.connect();
  }

  private topics(): string[] {
    const t = ['orders'];
    if (this.options.tenants.some((x) => x.processes.articles)) t.push('articles');
    if (this.options.tenants.some((x) => x.processes.suppliers)) t.push('suppliers');
    if (this.options.tenants.some((x) => x.lager && x.processes.stockLevels)) t.push('warehouse-stockbalances');
    return t;
  }

  private async offsets(): Promise<EventOffsets> {
    // Started with a no-op signal if it is not running yet; then asked.
    const handle = await this.options.client.workflow.signalWithStart(fortnoxEventOffsetsWorkflow, {
      workflowId: this.offsetsWorkflowId,
      taskQueue: this.options.taskQueue,
      args: [{}],
      signal: eventsHandledSignal,
      signalArgs: [{}],
    });
    return handle.query(eventOffsetsQuery);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    void this.setState('connecting');
    try {
      const known = { ...(await this.offsets()), ...this.handled };
      const connection = await EventStreamConnection.open(this.options.url, {
        onEvent: (event) => this.enqueue(event),
        onMalformed: (raw, reason) =>
          this.options.logger.warn({ reason, frame: raw.slice(0, 200) }, 'Fortnox event stream: malformed frame'),
        onClose: (code) => this.onClose(code),
      });
      this.connection = connection;
      this.counts.connects++;
      await this.addTenants(connection);
      const topics = this.topics().map((topic) => {
        const position = known[topic];
        if (!position) return { topic };
        if (this.now - Date.parse(position.eventTimestamp) > REPLAY_WINDOW_MS) {
          this.fallBackToOrderSync(topic, position);
          return { topic };
        }
        return { topic, offset: position.offset };
      });
      await this.addTopics(connection, topics, known);
      const subscribed = await connection.command({ command: 'subscribe-v1' });
      if (subscribed.result !== 'ok') throw new Error(`subscribe-v1 refused: ${JSON.stringify(subscribed)}`);
      this.backoff = this.options.backoffMs?.min ?? 1000;
      void this.setState('subscribed');
      this.options.logger.info({ topics, tenants: this.byFortnoxTenant.size }, 'Fortnox event stream subscribed');
      // Joined without an orders offset (the first listener of a deployment, or one upgraded from the order sync
      // alone): orders changed before now came by no event, and the next safety-net run may be an hour off.
      if (!known.orders) {
        this.options.logger.info(
          'Fortnox event stream: no orders offset yet; running the order sync once for what came before',
        );
        for (const tenant of this.options.tenants) this.runOrderSync(tenant);
      }
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'Fortnox event stream: connect failed');
      this.connection?.terminate();
      this.connection = undefined;
      this.scheduleReconnect();
    }
  }

  /**
   * add-topics-v1; a topic refused with its offset (Fortnox no longer knows it: purged, or the stream was reset) is
   * added again from now on, and the order sync covers what may have been missed in between.
   */
  private async addTopics(
    connection: EventStreamConnection,
    topics: { topic: string; offset?: string }[],
    known: EventOffsets,
  ): Promise<void> {
    const added = await connection.command({ command: 'add-topics-v1', topics });
    if (added.result === 'ok') return;
    const refused = Array.isArray(added.invalidTopics) ? (added.invalidTopics as { topic?: unknown }[]) : [];
    const retry = topics.filter((t) => t.offset !== undefined && refused.some((r) => r?.topic === t.topic));
    this.options.logger.warn({ answer: added }, 'Fortnox event stream: topics refused');
    if (retry.length === 0) return;
    for (const { topic } of retry)
      this.fallBackToOrderSync(topic, known[topic]!, 'Fortnox refused the saved offset (unknown to it)');
    const again = await connection.command({ command: 'add-topics-v1', topics: retry.map(({ topic }) => ({ topic })) });
    if (again.result !== 'ok') this.options.logger.warn({ answer: again }, 'Fortnox event stream: topics refused');
  }

  private fallBackToOrderSync(
    topic: string,
    position: TopicPosition,
    why = 'the last handled event is older than the 14-day replay window',
  ): void {
    this.options.logger.warn(
      { topic, lastEvent: position.eventTimestamp },
      `Fortnox event stream: ${why}; listening from now on and running the order sync for every tenant`,
    );
    for (const tenant of this.options.tenants) this.runOrderSync(tenant);
  }

  /** A gap: the order sync must run from now on, even if a run (which may have listed already) is going. */
  private runOrderSync(tenant: EventTenant): void {
    void triggerScheduleAfterRunning(this.options.client, ordersScheduleId(tenant.id)).catch((err: Error) =>
      this.options.logger.warn({ tenant: tenant.id, err: err.message }, 'order sync not started'),
    );
  }

  /**
   * add-tenants-v1 once per client secret (one integration: one command), mapping Fortnox tenant ids to ours. `which`
   * 'changed': only the tenants whose token is not the one last added.
   */
  private async addTenants(connection: EventStreamConnection, which: 'all' | 'changed' = 'all'): Promise<void> {
    const bySecret = new Map<string, EventTenant[]>();
    for (const t of this.options.tenants) bySecret.set(t.clientSecret, [...(bySecret.get(t.clientSecret) ?? []), t]);
    for (const [clientSecret, group] of bySecret) {
      const all = await Promise.all(group.map(async (t) => ({ t, token: `Bearer ${await t.accessToken()}` })));
      const tokens = which === 'all' ? all : all.filter(({ t, token }) => this.addedTokens.get(t.id) !== token);
      if (tokens.length === 0) continue;
      if (which === 'changed')
        this.options.logger.info(
          { tenants: tokens.map(({ t }) => t.id) },
          'Fortnox event stream: adding renewed tokens',
        );
      const answer: CommandResponse = await connection.command({
        command: 'add-tenants-v1',
        clientSecret,
        accessTokens: tokens.map((x) => x.token),
      });
      const ids = (answer.tenantIds ?? {}) as Record<string, number | string>;
      for (const { t, token } of tokens) {
        const fortnoxId = ids[token];
        if (fortnoxId === undefined) {
          this.options.logger.warn({ tenant: t.id }, 'Fortnox event stream: tenant refused (token or client secret)');
          continue;
        }
        this.byFortnoxTenant.set(String(fortnoxId), t);
        this.addedTokens.set(t.id, token);
      }
    }
  }

  /**
   * Adds renewed tokens, then asks Fortnox which tenants the connection carries: one that fell off (its token expired
   * first) is added again and its order sync run, since its events meanwhile were not sent and the topic moved on.
   */
  private async refreshTenants(): Promise<void> {
    const connection = this.connection;
    if (!connection || this.state !== 'subscribed') return;
    try {
      // First what Fortnox carries: a tenant missing now missed events, whatever token it is added with next.
      const listed = await connection.command({ command: 'list-tenants-v1' });
      if (Array.isArray(listed.tenantIds)) {
        const carried = new Set((listed.tenantIds as unknown[]).map(String));
        for (const [fortnoxId, tenant] of this.byFortnoxTenant) {
          if (carried.has(fortnoxId) || !this.addedTokens.has(tenant.id)) continue;
          this.addedTokens.delete(tenant.id);
          this.options.logger.warn(
            { tenant: tenant.id },
            'Fortnox event stream: the tenant was no longer on the connection (its token ended first); adding it again and running its order sync',
          );
          this.runOrderSync(tenant);
        }
      }
      await this.addTenants(connection, 'changed');
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'Fortnox event stream: renewing tenants failed');
    }
  }

  private onClose(code: number): void {
    this.connection = undefined;
    if (this.stopped) return;
    void this.setState('disconnected');
    this.options.logger.warn({ code }, 'Fortnox event stream closed; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const max = this.options.backoffMs?.max ?? 60_000;
    const wait = Math.min(this.backoff, max) * (0.8 + Math.random() * 0.4);
    this.backoff = Math.min(this.backoff * 2, max);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, wait);
  }

  /** Events are handled one at a time, in arrival order: an offset only ever follows a durable effect. */
  private enqueue(event: FortnoxStreamEvent): void {
    this.counts.events++;
    // Fortnox delivers at least once, and a resumed topic starts with the last event handled: each signal would cost
    // the order's workflow a history event and a Fortnox read, so an offset seen by this process is not handled again.
    const key = `${event.topic}\u0000${event.offset}`;
    if (this.seen.has(key)) {
      this.counts.duplicates++;
      this.options.onEvent?.(event, 'duplicate');
      return;
    }
    this.seen.set(key, true);
    this.queue = this.queue.then(() => this.handleWithRetries(event));
  }

  private async handleWithRetries(event: FortnoxStreamEvent): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    let failures = 0;
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        this.done(event, await this.handle(event));
        return;
      } catch (err) {
        // Temporal unavailable (a server restart): keep the event, try again; the offset stays behind it.
        if (!unreachable(err)) failures++;
        if (failures >= maxAttempts) {
          this.counts.givenUp++;
          this.options.logger.error(
            { err: (err as Error).message, attempts: attempt, topic: event.topic, entityId: event.entityId },
            'Fortnox event given up; running the order sync for its tenant instead',
          );
          const tenant = this.byFortnoxTenant.get(event.tenantId);
          if (tenant) this.runOrderSync(tenant);
          this.done(event, 'given up');
          return;
        }
        this.options.logger.warn(
          { err: (err as Error).message, attempt, topic: event.topic },
          'Fortnox event not handled yet',
        );
        await this.pause(Math.min(1000 * attempt, 10_000));
      }
    }
  }

  /** The event's effect is durable (or given up): its position may be saved. */
  private done(event: FortnoxStreamEvent, outcome: string): void {
    this.options.onEvent?.(event, outcome);
    const position = {
      offset: event.offset,
      eventTimestamp: event.timestamp,
      processedAt: new Date(this.now).toISOString(),
    };
    this.handled[event.topic] = position;
    this.unflushed[event.topic] = position;
  }

  /** A wait that stop() cuts short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeUps.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeUps.add(wake);
    });
  }

  private async handle(event: FortnoxStreamEvent): Promise<string> {
    const tenant = this.byFortnoxTenant.get(event.tenantId);
    if (!tenant) return 'unknown tenant';
    switch (event.topic) {
      case 'orders': {
        const outcome = await startOrderWorkflow(
          this.options.client,
          this.options.taskQueue,
          tenant.id,
          event.entityId,
          tenant.orderSettings,
        );
        this.counts.orderSignals++;
        return outcome;
      }
      case 'articles':
        return this.nudge(tenant, articlesScheduleId(tenant.id), tenant.processes.articles);
      case 'suppliers':
        return this.nudge(tenant, suppliersScheduleId(tenant.id), tenant.processes.suppliers);
      case 'warehouse-stockbalances':
        return this.nudge(tenant, stockLevelsScheduleId(tenant.id), tenant.lager && tenant.processes.stockLevels);
      default:
        return 'topic not used';
    }
  }

  /** Runs a sync after now (one buffered behind a running one), at most once per nudgeEveryMs per schedule: a burst of events is one run. */
  private async nudge(tenant: EventTenant, scheduleId: string, enabled: boolean): Promise<string> {
    if (!enabled) return 'process off';
    const last = this.lastNudge.get(scheduleId) ?? -Infinity;
    if (this.now - last < (this.options.nudgeEveryMs ?? 10_000)) return 'nudged recently';
    this.lastNudge.set(scheduleId, this.now);
    await triggerScheduleAfterRunning(this.options.client, scheduleId);
    this.counts.nudges++;
    return 'sync nudged';
  }

  /** Writes the positions handled since the last flush to the offsets workflow. */
  async flush(): Promise<void> {
    if (Object.keys(this.unflushed).length === 0) return;
    const positions = this.unflushed;
    this.unflushed = {};
    try {
      await this.options.client.workflow.getHandle(this.offsetsWorkflowId).signal(eventsHandledSignal, positions);
    } catch (err) {
      // Put back whatever was not superseded meanwhile, for the next flush.
      this.unflushed = { ...positions, ...this.unflushed };
      this.options.logger.warn({ err: (err as Error).message }, 'Fortnox event offsets not saved yet');
    }
  }

  /** Stops: handles what arrived, saves the offsets, closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const t of this.timers) clearInterval(t);
    this.connection?.close();
    for (const wake of this.wakeUps) wake();
    await this.queue;
    await this.flush();
    await this.setState('stopped');
  }
}

/** Temporal could not be reached (a restart, a network split): worth waiting for however long it takes. */
function unreachable(err: unknown): boolean {
  // The client wraps the gRPC error (ServiceError with the gRPC error as its cause).
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (isGrpcServiceError(e)) return e.code === GRPC_UNAVAILABLE || e.code === GRPC_DEADLINE_EXCEEDED;
  return false;
}
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
