// Long life, read back from the Temporal server after a soak: every run of every workflow, its history fetched. How
// often orders continued as new (and in which stage), how often they entered needs-attention, which operator resyncs
// were carried across a continue-as-new and acted on, how long histories grew, and workflow tasks per workflow per
// minute, the sign of a workflow that spins.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { decode as decodePayloads } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { tsToMs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { resyncSignal, type OrderWorkflowInput } from '../workflows/order/messages';

const { temporal } = proto;
const EventType = temporal.api.enums.v1.EventType;
const FailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

export interface HistoryLimits {
  /** The tenant's orderHistoryLimit. */
  orderHistoryLimit: number;
  /** Events an order run may have past the limit (see long.ts for why). */
  margin: number;
  /** Workflow tasks one workflow (all its runs) may complete in one minute before it counts as a storm. */
  maxWorkflowTasksPerMinute: number;
}

export interface HistoryReport {
  workflows: number;
  runs: number;
  orderWorkflows: number;
  orderRuns: number;
  /** Order runs that ended in continue-as-new, by the stage they carried over. */
  continuedAsNew: number;
  continuedAsNewByStage: Record<string, number>;
  mostRunsOfOneOrder: number;
  /** The most continue-as-news one order made while it waited in needs-attention. */
  mostContinuedAsNewInNeedsAttention: number;
  /** Times an order entered needs-attention (OrderStage upserts), and how many orders ever did. */
  needsAttentionEntries: number;
  ordersInNeedsAttention: number;
  /** Resync signals the order workflows received. */
  resyncSignals: number;
  /** Continue-as-news that carried a resync not yet acted on, and of those, how many the next run acted on first. */
  resyncsCarried: number;
  resyncsCarriedActedOn: number;
  /** `pastLimit`: what the run wrote after its history reached the limit, e.g. "9 ACTIVITY_TASK_SCHEDULED, 4 SIGNALED". */
  largestOrderHistory: { events: number; workflowId: string; pastLimit: string };
  /** Order runs longer than the limit plus the margin, or that waited on a timer once their history was full. */
  overLimit: number;
  largestOtherHistory: { events: number; workflowId: string; type: string };
  busiestMinute: { workflowTasks: number; workflowId: string; at: string };
  /** Workflows that completed more workflow tasks in some minute than the limit allows. */
  storms: number;
  workflowTasksFailed: number;
  /** By cause: UNHANDLED_COMMAND is a signal that landed while the task that would close the run (e.g. continue as new) ran. */
  workflowTasksFailedByCause: Record<string, number>;
  workflowTasksTimedOut: number;
  examples: string[];
}

function eventName(event: HistoryEvent): string {
  const type = event.eventType;
  return typeof type === 'number' ? (EventType[type] ?? String(type)) : String(type);
}

function decode<T>(payload: proto.temporal.api.common.v1.IPayload | null | undefined): T | undefined {
  try {
    return payload ? (defaultPayloadConverter.fromPayload(payload) as T) : undefined;
  } catch {
    return undefined;
  }
}

interface RunFacts {
  workflowId: string;
  runId: string;
  type: string;
  events: number;
  /** Minute (epoch ms / 60 000) → workflow tasks completed in it. */
  tasksByMinute: Map<number, number>;
  needsAttentionEntries: number;
  resyncSignals: number;
  /** For a run that continued as new: the stage it carried, whether it carried a resync, the next run's id. */
  continued?: { stage: string; resync: boolean; nextRunId: string };
  /** Whether this run's first act was an activity (not a wait that timed out): a carried resync acted on at once. */
  actedFirst: boolean;
  tasksFailed: string[];
  tasksTimedOut: number;
  /** Events written after the history reached `limit`, by type: why a run ended past its limit. */
  pastLimit: Record<string, number>;
  /** A timer started by a workflow task that saw the history full, and fired: it waited instead of continuing as new. */
  waitedPastLimit: boolean;
}

function describePastLimit(pastLimit: Record<string, number>): string {
  const entries = Object.entries(pastLimit).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([name, n]) => `${n} ${name}`).join(', ') : 'nothing';
}

function runFacts(workflowId: string, runId: string, type: string, events: HistoryEvent[], limit: number): RunFacts {
  const facts: RunFacts = {
    workflowId,
    runId,
    type,
    events: events.length,
    tasksByMinute: new Map(),
    needsAttentionEntries: 0,
    resyncSignals: 0,
    actedFirst: false,
    tasksFailed: [],
    tasksTimedOut: 0,
    pastLimit: {},
    waitedPastLimit: false,
  };
  let firstAct: 'activity' | 'timer' | undefined;
  /** WORKFLOW_TASK_COMPLETED event id → its task's WORKFLOW_TASK_STARTED event id; TIMER_STARTED id → that completion. */
  const taskStartedOf = new Map<number, number>();
  const timerStartedBy = new Map<number, number>();
  for (const [index, event] of events.entries()) {
    const name = eventName(event);
    if (index >= limit) {
      const short = name.replace('EVENT_TYPE_', '').replace('WORKFLOW_EXECUTION_', '');
      facts.pastLimit[short] = (facts.pastLimit[short] ?? 0) + 1;
    }
    switch (name) {
      case 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED': {
        taskStartedOf.set(
          Number(event.eventId),
          Number(event.workflowTaskCompletedEventAttributes?.startedEventId ?? 0),
        );
        const minute = Math.floor(tsToMs(event.eventTime) / 60_000);
        facts.tasksByMinute.set(minute, (facts.tasksByMinute.get(minute) ?? 0) + 1);
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_TASK_FAILED': {
        const cause = event.workflowTaskFailedEventAttributes?.cause;
        const name = typeof cause === 'number' ? (FailedCause[cause] ?? String(cause)) : String(cause);
        facts.tasksFailed.push(name.replace('WORKFLOW_TASK_FAILED_CAUSE_', ''));
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT':
        facts.tasksTimedOut++;
        break;
      case 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        const stage = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.OrderStage;
        const value = decode<string | string[]>(stage);
        if ((Array.isArray(value) ? value[0] : value) === 'needs-attention') facts.needsAttentionEntries++;
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED':
        if (event.workflowExecutionSignaledEventAttributes?.signalName === resyncSignal.name) facts.resyncSignals++;
        break;
      case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED':
        firstAct ??= 'activity';
        break;
      case 'EVENT_TYPE_TIMER_STARTED':
        timerStartedBy.set(
          Number(event.eventId),
          Number(event.timerStartedEventAttributes?.workflowTaskCompletedEventId ?? 0),
        );
        break;
      case 'EVENT_TYPE_TIMER_FIRED': {
        firstAct ??= 'timer';
        // A workflow task sees the history as long as its WORKFLOW_TASK_STARTED event id: a timer started by a task
        // that saw more than the limit, then fired, is a wait the run should have continued as new instead of.
        const completedId = timerStartedBy.get(Number(event.timerFiredEventAttributes?.startedEventId ?? 0)) ?? 0;
        if ((taskStartedOf.get(completedId) ?? 0) > limit) facts.waitedPastLimit = true;
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW': {
        const attributes = event.workflowExecutionContinuedAsNewEventAttributes;
        const input = decode<OrderWorkflowInput>(attributes?.input?.payloads?.[0]);
        facts.continued = {
          stage: input?.carried?.stage ?? '?',
          resync: input?.carried?.resyncRequested === true,
          nextRunId: attributes?.newExecutionRunId ?? '',
        };
        break;
      }
    }
  }
  facts.actedFirst = firstAct === 'activity';
  return facts;
}

/** Fetches every run's history (a few at a time) and sums up what long life did to them. */
export async function readHistories(client: Client, limits: HistoryLimits): Promise<HistoryReport> {
  const executions: { workflowId: string; runId: string; type: string }[] = [];
  for await (const execution of client.workflow.list()) {
    executions.push({ workflowId: execution.workflowId, runId: execution.runId, type: execution.type });
  }
  const runs: RunHistory[] = [];
  const codecs = client.options.loadedDataConverter.payloadCodecs;
  const queue = [...executions];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const history = await client.workflow.getHandle(next.workflowId, next.runId).fetchHistory();
        // Payloads are sealed by the codec: open the one the summary reads (the input a run continued as new with).
        for (const event of history.events ?? []) {
          const input = event.workflowExecutionContinuedAsNewEventAttributes?.input;
          if (input?.payloads) input.payloads = await decodePayloads(codecs, input.payloads);
        }
        runs.push({ ...next, events: history.events ?? [] });
      }
    }),
  );
  return summariseHistories(runs, limits);
}

export interface RunHistory {
  workflowId: string;
  runId: string;
  type: string;
  events: HistoryEvent[];
}

/** What long life did to these runs' histories (readHistories fetches them from the server). */
export function summariseHistories(runs: RunHistory[], limits: HistoryLimits): HistoryReport {
  const facts = runs.map((r) => runFacts(r.workflowId, r.runId, r.type, r.events, limits.orderHistoryLimit));
  const examples: string[] = [];
  const note = (text: string) => {
    if (examples.length < 20) examples.push(text);
  };
  const orders = facts.filter((f) => f.type === 'orderWorkflow');
  const others = facts.filter((f) => f.type !== 'orderWorkflow');
  const runsOf = new Map<string, number>();
  for (const f of orders) runsOf.set(f.workflowId, (runsOf.get(f.workflowId) ?? 0) + 1);
  const byRunId = new Map(orders.map((f) => [f.runId, f]));

  const continuedAsNewByStage: Record<string, number> = {};
  const waitingContinues = new Map<string, number>();
  let resyncsCarried = 0,
    resyncsCarriedActedOn = 0,
    overLimit = 0;
  for (const f of orders) {
    if (f.continued) {
      continuedAsNewByStage[f.continued.stage] = (continuedAsNewByStage[f.continued.stage] ?? 0) + 1;
      if (f.continued.stage === 'needs-attention')
        waitingContinues.set(f.workflowId, (waitingContinues.get(f.workflowId) ?? 0) + 1);
      if (f.continued.resync) {
        resyncsCarried++;
        if (byRunId.get(f.continued.nextRunId)?.actedFirst) resyncsCarriedActedOn++;
        else note(`${f.workflowId}: run ${f.runId} carried a resync; the next run did not act on it first`);
      }
    }
    if (f.waitedPastLimit || f.events > limits.orderHistoryLimit + limits.margin) {
      overLimit++;
      note(
        `${f.workflowId}: run ${f.runId} has ${f.events} events (limit ${limits.orderHistoryLimit} + margin ${limits.margin})` +
          `${f.waitedPastLimit ? ' and waited on a timer after its history was full' : ''}; ` +
          `past the limit: ${describePastLimit(f.pastLimit)}`,
      );
    }
  }

  // Workflow tasks per workflow (all its runs together: a workflow that continues as new in a loop spins too) per minute.
  const tasks = new Map<string, Map<number, number>>();
  for (const f of facts) {
    const perMinute = tasks.get(f.workflowId) ?? new Map<number, number>();
    for (const [minute, n] of f.tasksByMinute) perMinute.set(minute, (perMinute.get(minute) ?? 0) + n);
    tasks.set(f.workflowId, perMinute);
  }
  let busiestMinute = { workflowTasks: 0, workflowId: '-', at: '-' };
  let storms = 0;
  for (const [workflowId, perMinute] of tasks) {
    let stormed = false;
    for (const [minute, n] of perMinute) {
      if (n > busiestMinute.workflowTasks)
        busiestMinute = { workflowTasks: n, workflowId, at: new Date(minute * 60_000).toISOString().slice(11, 16) };
      if (n > limits.maxWorkflowTasksPerMinute && !stormed) {
        stormed = true;
        storms++;
        note(
          `${workflowId}: ${n} workflow tasks in the minute from ${new Date(minute * 60_000).toISOString().slice(11, 16)}`,
        );
      }
    }
  }

  const largest = <T extends RunFacts>(list: T[]) =>
    list.reduce<T | undefined>((a, b) => (!a || b.events > a.events ? b : a), undefined);
  const largestOrder = largest(orders);
  const largestOther = largest(others);
  const sum = (pick: (f: RunFacts) => number, list = facts) => list.reduce((s, f) => s + pick(f), 0);
  const failedByCause: Record<string, number> = {};
  for (const cause of facts.flatMap((f) => f.tasksFailed)) failedByCause[cause] = (failedByCause[cause] ?? 0) + 1;
  return {
    workflows: tasks.size,
    runs: facts.length,
    orderWorkflows: runsOf.size,
    orderRuns: orders.length,
    continuedAsNew: orders.filter((f) => f.continued).length,
    continuedAsNewByStage,
    mostRunsOfOneOrder: Math.max(0, ...runsOf.values()),
    mostContinuedAsNewInNeedsAttention: Math.max(0, ...waitingContinues.values()),
    needsAttentionEntries: sum((f) => f.needsAttentionEntries, orders),
    ordersInNeedsAttention: new Set(orders.filter((f) => f.needsAttentionEntries > 0).map((f) => f.workflowId)).size,
    resyncSignals: sum((f) => f.resyncSignals, orders),
    resyncsCarried,
    resyncsCarriedActedOn,
    largestOrderHistory: {
      events: largestOrder?.events ?? 0,
      workflowId: largestOrder?.workflowId ?? '-',
      pastLimit: describePastLimit(largestOrder?.pastLimit ?? {}),
    },
    overLimit,
    largestOtherHistory: {
      events: largestOther?.events ?? 0,
      workflowId: largestOther?.workflowId ?? '-',
      type: largestOther?.type ?? '-',
    },
    busiestMinute,
    storms,
    workflowTasksFailed: sum((f) => f.tasksFailed.length),
    workflowTasksFailedByCause: failedByCause,
    workflowTasksTimedOut: sum((f) => f.tasksTimedOut),
    examples,
  };
}
