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

export interface FortnoxEventOffsetsInput {
  offsets?: EventOffsets;
  /** Continue as new past this many history events (default 1,000). */
  historyLimit?: number;
}

export const FORTNOX_EVENT_OFFSETS_WORKFLOW_ID = 'fortnox-event-offsets';

/** The listener handled events up to these positions (the latest per topic; older ones never move an offset back). */
export const eventsHandledSignal = defineSignal<[positions: Record<string, TopicPosition>]>('eventsHandled');
export const eventOffsetsQuery = defineQuery<EventOffsets>('eventOffsets');

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
  const limit = input.historyLimit ?? 1000;
  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > limit);
  await condition(allHandlersFinished);
  await continueAsNew<typeof fortnoxEventOffsetsWorkflow>({ offsets, historyLimit: input.historyLimit });
}
