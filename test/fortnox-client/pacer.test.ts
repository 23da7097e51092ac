// Pacer unit behaviour: a sliding window per key with headroom, keys independent, 429 back-off honoured.
import { describe, expect, it } from 'vitest';
import { Pacer } from '../../activities/fortnox';

/** Records the pacer's own clock at each grant, so the check does not depend on event-loop delays after the grant. */
function recordingPacer(options: ConstructorParameters<typeof Pacer>[0]) {
  const grants: number[] = [];
  const pacer = new Pacer({ ...options, onGrant: (_key, at) => grants.push(at) });
  return { pacer, acquire: (key: string) => pacer.acquire(key), grants };
}

describe('Pacer', () => {
  it('defaults to 24 requests per 5.1 s (one request and 100 ms under Fortnox)', () => {
    const pacer = new Pacer();
    expect(pacer.limit).toBe(24);
    expect(pacer.windowMs).toBe(5100);
  });

  it('never grants more than the limit within any window, in arrival order', async () => {
    const { acquire, grants } = recordingPacer({ requests: 4, windowMs: 150, safety: { requests: 1, marginMs: 0 } });
    const finished: number[] = [];
    await Promise.all(Array.from({ length: 10 }, (_, i) => acquire('t').then(() => finished.push(i))));
    expect(finished).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(grants).toHaveLength(10);
    for (let i = 3; i < grants.length; i++) {
      // the 4th grant after any grant comes at least a full window later: at most 3 per window
      expect((grants[i] as number) - (grants[i - 3] as number)).toBeGreaterThanOrEqual(150);
    }
  });

  it('paces keys independently', async () => {
    const pacer = new Pacer({ requests: 2, windowMs: 60_000, safety: { requests: 1 } });
    await pacer.acquire('a');
    // 'a' is now full for a minute; 'b' must not wait for it
    await pacer.acquire('b');
    let aGranted = false;
    void pacer.acquire('a').then(() => (aGranted = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(aGranted).toBe(false);
  });

  it('backs a key off after a 429 for the given delay', async () => {
    const pacer = new Pacer({ requests: 25, windowMs: 5000 });
    const started = Date.now();
    pacer.onRateLimited('t', 120);
    await pacer.acquire('t');
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    const other = Date.now();
    await pacer.acquire('u');
    expect(Date.now() - other).toBeLessThan(100);
  });
});
