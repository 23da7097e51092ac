// The sandbox's side of Fortnox's WebSocket event stream ("Topics" API, wss://ws.fortnox.se/topics-v1): one log per
// topic across all tenants, each event with an offset unique in its topic, kept for Fortnox's replay window (14 days
// of the sandbox clock). Events carry ids only, as Fortnox's do: the reader fetches the entity over REST.
import type { SandboxClock } from '../clock';

/** The topics the sandbox publishes (Fortnox has more; these are the ones the product's data lives in). */
export const EVENT_TOPICS = ['orders', 'articles', 'suppliers', 'customers', 'warehouse-stockbalances'] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

export const REPLAY_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

export interface FortnoxEvent {
  topic: EventTopic;
  offset: string;
  type: string;
  tenantId: number;
  entityId: string;
  /** ISO 8601 with the Stockholm offset, as Fortnox sends it (e.g. 2026-01-28T14:59:16.500+01:00). */
  timestamp: string;
}

interface Stored {
  seq: number;
  atMs: number;
  event: FortnoxEvent;
}

/** Offsets are opaque strings to readers; here a topic's sequence number in base 36 behind a fixed prefix. */
const OFFSET_PREFIX = 'o';
export const offsetOf = (seq: number): string => `${OFFSET_PREFIX}${seq.toString(36)}`;
export function seqOf(offset: string): number | undefined {
  if (!/^o[0-9a-z]{1,12}$/.test(offset)) return undefined;
  return parseInt(offset.slice(1), 36);
}

export type EventListener = (event: FortnoxEvent) => void;

export class EventLog {
  private readonly topics = new Map<EventTopic, Stored[]>();
  private readonly sequences = new Map<EventTopic, number>();
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly timestampOf: (ms: number) => string,
  ) {}

  append(topic: EventTopic, type: string, tenantId: string, entityId: string): FortnoxEvent {
    const seq = (this.sequences.get(topic) ?? 0) + 1;
    this.sequences.set(topic, seq);
    const atMs = this.clock.nowMs();
    const event: FortnoxEvent = {
      topic,
      offset: offsetOf(seq),
      type,
      tenantId: Number(tenantId),
      entityId,
      timestamp: this.timestampOf(atMs),
    };
    const stored = this.topics.get(topic) ?? [];
    stored.push({ seq, atMs, event });
    // Older than the replay window: gone, as at Fortnox.
    while (stored.length > 0 && stored[0]!.atMs < atMs - REPLAY_WINDOW_MS) stored.shift();
    this.topics.set(topic, stored);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** The events of `topic` after `offset` (exclusive), oldest first, within the replay window. */
  after(topic: EventTopic, offset: string): FortnoxEvent[] {
    const seq = seqOf(offset) ?? 0;
    const floor = this.clock.nowMs() - REPLAY_WINDOW_MS;
    return (this.topics.get(topic) ?? []).filter((s) => s.seq > seq && s.atMs >= floor).map((s) => s.event);
  }

  /** The events of `topic` from `offset` on (inclusive), oldest first, within the replay window. */
  from(topic: EventTopic, offset: string): FortnoxEvent[] {
    return this.after(topic, offsetOf((seqOf(offset) ?? 1) - 1));
  }

  /** Whether `offset` names an event this topic has had (replayable or not). */
  knows(topic: EventTopic, offset: string): boolean {
    const seq = seqOf(offset);
    return seq !== undefined && seq <= (this.sequences.get(topic) ?? 0);
  }

  /** Called with every new event, as it is appended. */
  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.topics.clear();
    this.sequences.clear();
  }
}
