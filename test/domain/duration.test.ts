// Setting durations and where a "changed since" listing starts.
import { describe, expect, it } from 'vitest';
import { durationMs, sinceWithOverlap } from '../../domain/duration';

describe('durationMs', () => {
  it('reads the settings units and refuses anything else', () => {
    expect(durationMs('250ms')).toBe(250);
    expect(durationMs('30s')).toBe(30_000);
    expect(durationMs('15m')).toBe(900_000);
    expect(durationMs('4h')).toBe(14_400_000);
    expect(durationMs('1d')).toBe(86_400_000);
    expect(() => durationMs('15 minutes')).toThrow('Invalid duration "15 minutes"');
  });
});

describe('sinceWithOverlap', () => {
  it("starts the overlap before the previous run's cursor, and from the beginning without one", () => {
    expect(sinceWithOverlap('2026-12-02T10:00:00.000Z', '5m')).toBe('2026-12-02T09:55:00.000Z');
    expect(sinceWithOverlap(null, '5m')).toBeNull();
    expect(sinceWithOverlap(undefined, '5m')).toBeNull();
  });
});
