// The durable memory of the Fortnox event listener (client/fortnox-events/): per topic, the offset of the last event
// whose effect is durable in Temporal (its signal taken), and the time of that event. One per deployment: a second
// listener replica reads the same, which a local file could not give. The listener queries it when it connects and
// signals it as it goes; it runs for good, continuing as new to keep its history short.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

export interface TopicPosition {
  offset: string;
  /** The event's own timestamp (Fortnox's), ISO. */
  eventTimestamp: string;
  /** When the listener had handled it, ISO. */
  processedAt: string;
}

/** topic → the last position handled. */
export type EventOffsets = Record<string, TopicPosition>;

/** What a listener last said about its connection (for `cli status`, `doctor` and the Web UI's query tab). */
export interface ListenerReport {
  /** connecting | subscribed | disconnected | stopped */
  state: string;
  /** When the listener said so, ISO (it says so again every few minutes: an old `at` is a listener gone). */
  at: string;
  /** Since when it is in this state, ISO (absent in reports of listeners before heartbeats). */
  since?: string;
  /** Which listener (host and process id): two replicas report separately. */
  listener: string;
  /** Our tenant ids on the connection. */
  tenants: string[];
}

export interface FortnoxEventOffsetsInput {
  offsets?: EventOffsets;
  listeners?: Record<string, ListenerReport>;
  /** Continue as new past this many history events (default 1,000). */
  historyLimit?: number;
}

export const FORTNOX_EVENT_OFFSETS_WORKFLOW_ID = 'fortnox-event-offsets';

/** The listener handled events up to these positions (the latest per topic; older ones never move an offset back). */
export const eventsHandledSignal = defineSignal<[positions: Record<string, TopicPosition>]>('eventsHandled');
export const eventOffsetsQuery = defineQuery<EventOffsets>('eventOffsets');
/** A listener's connection changed state. */
export const listenerReportSignal = defineSignal<[report: ListenerReport]>('listenerReport');
export const listenerReportsQuery = defineQuery<Record<string, ListenerReport>>('listenerReports');

/** A listener repeats its report this often; twice that without one, it is taken for gone. */
export const LISTENER_REPORT_EVERY_MS = 5 * 60_000;
export const LISTENER_GONE_AFTER_MS = 2 * LISTENER_REPORT_EVERY_MS;

/** Reports older than this are from listeners long gone: dropped at continue-as-new. */
const FORGET_LISTENER_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

export async function fortnoxEventOffsetsWorkflow(input: FortnoxEventOffsetsInput = {}): Promise<void> {
  const offsets: EventOffsets = { ...input.offsets };
  setHandler(eventsHandledSignal, (positions) => {
    for (const [topic, position] of Object.entries(positions)) {
      const known = offsets[topic];
      // Signals may arrive out of order from two replicas: the later event wins (offsets are opaque; times are not).
      if (!known || Date.parse(position.eventTimestamp) >= Date.parse(known.eventTimestamp)) offsets[topic] = position;
    }
  });
  setHandler(eventOffsetsQuery, () => offsets);
  const listeners: Record<string, ListenerReport> = { ...input.listeners };
  setHandler(listenerReportSignal, (report) => {
    const known = listeners[report.listener];
    if (!known || Date.parse(report.at) >= Date.parse(known.at)) listeners[report.listener] = report;
  });
  setHandler(listenerReportsQuery, () => listeners);
  const limit = input.historyLimit ?? 1000;
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > limit);
  await condition(allHandlersFinished);
  // Date.now() is the workflow's deterministic clock here.
  for (const [id, report] of Object.entries(listeners))
    if (Date.now() - Date.parse(report.at) > FORGET_LISTENER_AFTER_MS) delete listeners[id];
  await continueAsNew<typeof fortnoxEventOffsetsWorkflow>({ offsets, listeners, historyLimit: input.historyLimit });
}
