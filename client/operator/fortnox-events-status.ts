// What the Fortnox event listener (client/fortnox-events/) reported to the offsets workflow, read by its two queries:
// each listener's connection state and since when, and per topic the last event handled, when, and how late. `cli
// status` prints it as its "Fortnox events" section; `doctor` asks it whether a listener carries a tenant.
import { isGrpcCancelledError, isGrpcDeadlineError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  eventOffsetsQuery,
  FORTNOX_EVENT_OFFSETS_WORKFLOW_ID,
  LISTENER_GONE_AFTER_MS,
  listenerReportsQuery,
  type ListenerReport,
} from '../../workflows/fortnox-event-offsets';
import { table } from './context';

export interface TopicStatus {
  topic: string;
  offset: string;
  /** The event's own time (Fortnox's), as Fortnox wrote it. */
  eventTimestamp: string;
  /** When the listener had handled it, ISO. */
  processedAt: string;
  /** processedAt − eventTimestamp; absent when Fortnox's timestamp does not parse. */
  lagMs?: number;
}

export interface FortnoxEventsStatus {
  /** Every listener that reported (the last week's), by id. */
  listeners: ListenerReport[];
  topics: TopicStatus[];
}

export interface ReadFortnoxEventsOptions {
  /** The offsets workflow (tests: one of their own). Default FORTNOX_EVENT_OFFSETS_WORKFLOW_ID. */
  workflowId?: string;
  /** A query waits for a worker to answer it: give up after this long (default 10 s). */
  timeoutMs?: number;
}

/** What the listeners reported; undefined when the offsets workflow does not exist (no listener ever ran here). */
export async function readFortnoxEvents(
  client: Client,
  options: ReadFortnoxEventsOptions = {},
): Promise<FortnoxEventsStatus | undefined> {
  const handle = client.workflow.getHandle(options.workflowId ?? FORTNOX_EVENT_OFFSETS_WORKFLOW_ID);
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    // One after the other: a worker that does not answer the first is reported once, not raced by the second.
    const ask = <T>(query: () => Promise<T>) => client.withDeadline(Date.now() + timeoutMs, query);
    const reports = await ask(() => handle.query(listenerReportsQuery));
    const offsets = await ask(() => handle.query(eventOffsetsQuery));
    return {
      listeners: Object.values(reports).sort((a, b) => a.listener.localeCompare(b.listener)),
      topics: Object.entries(offsets)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([topic, p]) => {
          const lag = Date.parse(p.processedAt) - Date.parse(p.eventTimestamp);
          return { topic, ...p, ...(Number.isFinite(lag) ? { lagMs: lag } : {}) };
        }),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    // A query is answered by a worker: none polling its task queue looks like a deadline.
    if (isGrpcDeadlineError(err) || isGrpcCancelledError(err))
      throw new Error(
        `the offsets workflow ${handle.workflowId} did not answer within ${timeoutMs / 1000} s: is the worker running?`,
      );
    const message = err instanceof Error ? err.message : String(err);
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
    throw new Error(
      `cannot query the offsets workflow ${handle.workflowId}: ${message}${cause && !message.includes(cause) ? `: ${cause}` : ''}`,
    );
  }
}

/** A listener that stopped reporting (killed, its host gone) without saying `stopped`. */
export function listenerGone(report: ListenerReport, now = Date.now()): boolean {
  return report.state !== 'stopped' && now - Date.parse(report.at) > LISTENER_GONE_AFTER_MS;
}

/** Since when the listener is in its state (older reports carry only `at`). */
export const listenerSince = (report: ListenerReport): string => report.since ?? report.at;

/** The listeners whose connection is subscribed, carries this tenant (our id) and still reports. */
export function subscribedListenersOf(
  status: FortnoxEventsStatus | undefined,
  tenantId: string,
  now = Date.now(),
): ListenerReport[] {
  return (status?.listeners ?? []).filter(
    (l) => l.state === 'subscribed' && l.tenants.includes(tenantId) && !listenerGone(l, now),
  );
}

/** A listener's state for people: a report gone quiet says so. */
function stateOf(report: ListenerReport, now: number): string {
  if (!listenerGone(report, now)) return report.state;
  return `${report.state}, but silent for ${formatLag(now - Date.parse(report.at))}: gone?`;
}

/** An ISO (or any Date-parsable) time as `2024-05-01 10:00:00Z`; what does not parse, as it came. */
export function shortTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : value;
}

/** A lag for people: 850 ms, 4.2 s, 3 min 5 s, 2 h 10 min. */
export function formatLag(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const s = Math.round(abs / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${s % 60} s`;
  return `${sign}${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** The "Fortnox events" section of `cli status`. */
export function formatFortnoxEvents(status: FortnoxEventsStatus | undefined, now = Date.now()): string {
  const lines = ['Fortnox events'];
  if (!status || status.listeners.length === 0) {
    lines.push(
      'no listener has reported: orders of tenants with fortnoxEvents on wait for the safety-net order sync ' +
        '(run `npm run events`)',
    );
  } else {
    lines.push(
      table(
        ['listener', 'state', 'since', 'tenants'],
        status.listeners.map((l) => [
          l.listener,
          stateOf(l, now),
          shortTime(listenerSince(l)),
          l.tenants.join(', ') || '-',
        ]),
      ),
    );
    if (!status.listeners.some((l) => l.state === 'subscribed' && !listenerGone(l, now)))
      lines.push('No listener is subscribed: orders wait for the safety-net order sync.');
  }
  if (status && status.topics.length) {
    lines.push(
      '',
      table(
        ['topic', 'last event', 'handled', 'lag'],
        status.topics.map((t) => [t.topic, shortTime(t.eventTimestamp), shortTime(t.processedAt), formatLag(t.lagMs)]),
      ),
    );
  } else if (status) {
    lines.push('No event handled yet.');
  }
  return lines.join('\n');
}
