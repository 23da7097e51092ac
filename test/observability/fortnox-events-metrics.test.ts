// The event listener's metrics as an operator's Prometheus reads them: one connection state at 1, events counted by
// topic and outcome, the last event's time and the lag from Fortnox's timestamp to the durable effect.
import { describe, expect, it } from 'vitest';
import { observeFortnoxEvent, observeFortnoxEventsState, registry } from '../../observability/metrics';

const sample = async (name: string, labels: string) =>
  (await registry.metrics()).split('\n').find((line) => line.startsWith(`${name}{${labels}}`));

describe('Fortnox event metrics', () => {
  it('shows the connection state, and per topic the events, the last event time and the lag', async () => {
    observeFortnoxEventsState('subscribed');
    observeFortnoxEventsState('disconnected');
    expect(await sample('wms_fortnox_events_connection_state', 'state="disconnected"')).toMatch(/ 1$/);
    expect(await sample('wms_fortnox_events_connection_state', 'state="subscribed"')).toMatch(/ 0$/);

    const at = Date.parse('2026-12-03T10:00:00.000+01:00');
    const event = { topic: 'orders', timestamp: '2026-12-03T10:00:00.000+01:00' };
    observeFortnoxEvent(event, 'started', at + 1500);
    observeFortnoxEvent(event, 'started', at + 2500);
    expect(await sample('wms_fortnox_events_total', 'topic="orders",outcome="started"')).toMatch(/ 2$/);
    expect(await sample('wms_fortnox_events_lag_seconds', 'topic="orders"')).toMatch(/ 2\.5$/);
    expect(await sample('wms_fortnox_events_last_event_timestamp_seconds', 'topic="orders"')).toBe(
      `wms_fortnox_events_last_event_timestamp_seconds{topic="orders"} ${(at + 2500) / 1000}`,
    );
  });
});
