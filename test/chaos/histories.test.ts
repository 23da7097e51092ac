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

const timerFired = (startedEventId: number) => (eventId: number) =>
  HistoryEvent.fromObject({
    eventId,
    eventType: EventType.EVENT_TYPE_TIMER_FIRED,
    timerFiredEventAttributes: { timerId: '1', startedEventId },
  });

describe('order histories after a soak', () => {
  it('passes a run that ends within the margin past its limit, having waited only before the limit', () => {
    const report = summariseHistories([orderRun(28, { 25: timerFired(21) })], limits);
    expect(report.overLimit).toBe(0);
    expect(report.largestOrderHistory.events).toBe(28);
    expect(report.largestOrderHistory.pastLimit).toBe('7 ACTIVITY_TASK_COMPLETED, 1 TIMER_FIRED');
  });

  it('counts a run longer than the limit plus the margin', () => {
    const report = summariseHistories([orderRun(31)], limits);
    expect(report.overLimit).toBe(1);
    expect(report.examples.join('\n')).toMatch(/31 events \(limit 20 \+ margin 10\)/);
  });

  it('counts a run that waited on a timer started after its history was full, even within the margin', () => {
    const report = summariseHistories([orderRun(27, { 26: timerFired(23) })], limits);
    expect(report.overLimit).toBe(1);
    expect(report.examples.join('\n')).toMatch(/waited on a timer after its history was full/);
  });
});
