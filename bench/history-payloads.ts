// What a workflow's histories hold: the largest payload (an input, a result, a heartbeat) any event of any of its runs
// wrote, and the longest run. Temporal refuses a payload over 2 MB and warns at 256 KB; benches and tests assert on it.
import type { Client } from '@temporalio/client';

export interface HistoryFigures {
  runs: number;
  largestPayloadBytes: number;
  longestRunEvents: number;
}

/** Every payload's data in a history event (payloads sit at any depth: inputs, results, failure details). */
function largestIn(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  const data = (value as { data?: unknown }).data;
  if (data instanceof Uint8Array && 'metadata' in value) return data.length;
  let largest = 0;
  for (const child of Object.values(value)) largest = Math.max(largest, largestIn(child));
  return largest;
}

export async function historyFigures(client: Client, workflowId: string): Promise<HistoryFigures> {
  const figures: HistoryFigures = { runs: 0, largestPayloadBytes: 0, longestRunEvents: 0 };
  for await (const execution of client.workflow.list({ query: `WorkflowId = ${JSON.stringify(workflowId)}` })) {
    const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    const events = history.events ?? [];
    figures.runs++;
    figures.longestRunEvents = Math.max(figures.longestRunEvents, events.length);
    for (const event of events) figures.largestPayloadBytes = Math.max(figures.largestPayloadBytes, largestIn(event));
  }
  return figures;
}
