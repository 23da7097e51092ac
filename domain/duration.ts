// Durations as the settings write them ("30s", "15m", "4h", "1d"), in milliseconds.
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`Invalid duration "${text}": expected a number and a unit (ms, s, m, h, d), e.g. 15m`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * Where a sync listing "changed since" starts: the previous run's cursor less the overlap (a change saved just before
 * the cursor, but visible only after it, is listed again rather than lost); null when there is no previous cursor.
 */
export function sinceWithOverlap(cursor: string | null | undefined, overlap: string): string | null {
  return cursor ? new Date(new Date(cursor).getTime() - durationMs(overlap)).toISOString() : null;
}
