// The soak's reading of order histories: a run that ends within one iteration of its limit passes; one that grows past
// the margin, or waits on a timer once its history is full (it should have continued as new), counts as over.
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { summariseHistories, type RunHistory } from '../../chaos/histories';

const EventType = proto.temporal.api.enums.v1.EventType;
const { HistoryEvent } = proto.temporal.api.history.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const limits = { orderHistoryLimit: 20, margin: 10, maxWorkflowTasksPerMinute: 120 };

/** A history of `length` events: workflow tasks and activities, with the given extra events at their positions. */
function orderRun(length: number, extra: Record<number, (id: number) => HistoryEvent> = {}): RunHistory {
  const events: HistoryEvent[] = [];
  for (let id = 1; id <= length; id++) {
    const make =
      extra[id] ??
      ((eventId: number) =>
        HistoryEvent.fromObject({ eventId, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED }));
    events.push(make(id));
  }
  return { workflowId: 'order:t:1', runId: `run-${length}`, type: 'orderWorkflow', events };
}

const taskCompleted = (startedEventId: number) => (eventId: number) =>
  HistoryEvent.fromObject({
    eventId,
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    eventTime: { seconds: 1_800_000_000 },
    workflowTaskCompletedEventAttributes: { startedEventId },
  });
const timerStarted = (workflowTaskCompletedEventId: number) => (eventId: number) =>
  HistoryEvent.fromObject({
    eventId,
    eventType: EventType.EVENT_TYPE_TIMER_STARTED,
    timerStartedEventAttributes: { timerId: '1', workflowTaskCompletedEventId },
  });
const timerFired = (startedEventId: number) => (eventId: number) =>
  HistoryEvent.fromObject({
    eventId,
    eventType: EventType.EVENT_TYPE_TIMER_FIRED,
    timerFiredEventAttributes: { timerId: '1', startedEventId },
  });

describe('order histories after a soak', () => {
  it('passes a run whose last wait was started by a task that saw the history within its limit', () => {
    // The task started at event 20 (the limit) writes three events, the timer the 23rd: past the limit, but decided
    // on a history that was not full.
    const run = orderRun(28, { 21: taskCompleted(20), 23: timerStarted(21), 25: timerFired(23) });
    const report = summariseHistories([run], limits);
    expect(report.overLimit).toBe(0);
    expect(report.largestOrderHistory.events).toBe(28);
    expect(report.largestOrderHistory.pastLimit).toBe(
      '5 ACTIVITY_TASK_COMPLETED, 1 WORKFLOW_TASK_COMPLETED, 1 TIMER_STARTED, 1 TIMER_FIRED',
    );
  });

  it('counts a run longer than the limit plus the margin', () => {
    const report = summariseHistories([orderRun(31)], limits);
    expect(report.overLimit).toBe(1);
    expect(report.examples.join('\n')).toMatch(/31 events \(limit 20 \+ margin 10\)/);
  });

  it('counts a run that waited on a timer its history-full task started, even within the margin', () => {
    const run = orderRun(27, { 22: taskCompleted(21), 23: timerStarted(22), 26: timerFired(23) });
    const report = summariseHistories([run], limits);
    expect(report.overLimit).toBe(1);
    expect(report.examples.join('\n')).toMatch(/waited on a timer after its history was full/);
  });
});
