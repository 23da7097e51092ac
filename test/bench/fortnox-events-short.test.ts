// CI's short form of `npm run bench -- --only events`: a few orders confirmed in Fortnox, first with the order sync
// schedule alone (a short interval), then with the Fortnox event listener. Every order must reach the WMS in both modes
// and the report must carry both rows with figures; no timing is asserted (a shared machine decides those). It runs
// its own dev server (bench/rig.ts), so it lives in the fast project.
import { describe, expect, it } from 'vitest';
import { eventsMarkdown, runFortnoxEvents } from '../../bench/fortnox-events';

describe('Fortnox events against the order sync (short)', () => {
  it('brings every confirmed order to the WMS with events on and with the schedule alone, and reports both', async () => {
    const result = await runFortnoxEvents({ orders: 3, paceMs: 300, scheduleInterval: '5s', seed: 1 });

    for (const phase of [result.events, result.schedule]) {
      expect(phase.orders).toBe(3);
      expect(phase.missing).toEqual([]);
      expect(phase.reached).toBe(3);
      expect(phase.confirmedToWmsMs.count).toBe(3);
      expect(Number.isFinite(phase.confirmedToWmsMs.p50)).toBe(true);
    }
    // Events on: the listener brought them (one event per order at least); the order sync is hourly now (it runs at
    // most once during the phase, when the phase crosses a full hour).
    expect(result.events.interval).toBe('1h');
    expect(result.events.orderSignals).toBeGreaterThanOrEqual(3);
    expect(result.events.syncRuns).toBeLessThanOrEqual(1);
    // Schedule only: the sync ran at its short interval.
    expect(result.schedule.interval).toBe('5s');
    expect(result.schedule.syncRuns).toBeGreaterThanOrEqual(1);
    expect(result.defaultInterval.confirmedToWmsMs.count).toBeGreaterThan(0);

    const markdown = eventsMarkdown(result, 'npm run bench -- --only events');
    const number = String.raw`\d+(\.\d+)? (ms|s|min)`;
    expect(markdown).toMatch(
      new RegExp(String.raw`\| events on \| 1h \(.*\) \| 3 of 3 \| ${number} \| ${number} \| ${number} \|`),
    );
    expect(markdown).toMatch(
      new RegExp(String.raw`\| schedule only \| 5s \(.*\) \| 3 of 3 \| ${number} \| ${number} \| ${number} \|`),
    );
    expect(markdown).toMatch(/Goal p50 < 2 s with events on: (met|not met)/);
  }, 300_000);
});
