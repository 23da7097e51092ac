// Pacer unit behaviour: a sliding window per key with headroom, keys independent, 429 back-off honoured, the budget
// divided among the processes sharing a key, and reservations that let a process poll only when it has room.
import { describe, expect, it } from 'vitest';
import { Pacer, type PeerCount } from '../../activities/fortnox';

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

  it("counts a request's place in the window from its answer, since Fortnox counts it when it arrives", async () => {
    let clock = 0;
    const pacer = new Pacer({ requests: 2, safety: { requests: 1, marginMs: 0 }, windowMs: 1000, now: () => clock });
    const grant = await pacer.acquire('t');
    clock = 400; // the request took 400 ms (a busy event loop, a slow network)
    grant.done();
    clock = 1000;
    expect(pacer.tryReserve('t')).toBe(false); // a window after the grant, but not after the answer
    clock = 1400;
    expect(pacer.tryReserve('t')).toBe(true);
  });

  describe('shared among processes', () => {
    /** A peer count the test sets, recording how often it was asked. */
    function peersOf(counts: Record<string, number | undefined>) {
      const asked: string[] = [];
      const peers: PeerCount = {
        count: (key) => {
          asked.push(key);
          return Promise.resolve(counts[key]);
        },
      };
      return { peers, asked, counts };
    }

    it('takes an equal part of the budget per process: 8 of 24 with three processes', async () => {
      const { peers } = peersOf({ t: 3, u: 5 });
      const grants: Array<{ key: string; at: number }> = [];
      const pacer = new Pacer({ peers, onGrant: (key, at) => grants.push({ key, at }) });
      const started = Date.now();
      const all = Array.from({ length: 9 }, () => pacer.acquire('t'));
      await Promise.race([Promise.all(all), new Promise((resolve) => setTimeout(resolve, 300))]);
      // 8 granted at once; the 9th waits a full window (5.1 s), far beyond the 300 ms we wait here
      expect(grants.filter((g) => g.key === 't')).toHaveLength(8);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(pacer.limitFor('t')).toBe(8);
      await pacer.acquire('u');
      expect(pacer.limitFor('u')).toBe(4); // floor(24 / 5): the parts never add up to more than 24
      expect(pacer.limitFor('v')).toBe(24); // not counted yet: alone
    });

    it('counts peers before the first grant, then recounts a stale count in the background', async () => {
      let clock = 0;
      const { peers, asked, counts } = peersOf({ t: 2 });
      const pacer = new Pacer({ peers, peerRefreshMs: 3000, now: () => clock });
      await pacer.acquire('t');
      expect(asked).toEqual(['t']);
      expect(pacer.limitFor('t')).toBe(12);
      clock = 1000;
      await pacer.acquire('t');
      expect(asked).toHaveLength(1); // fresh: not asked again
      counts.t = 4;
      clock = 4000;
      await pacer.acquire('t'); // stale: granted on the old count, recounted meanwhile
      await new Promise((resolve) => setImmediate(resolve));
      expect(asked).toHaveLength(2);
      expect(pacer.limitFor('t')).toBe(6);
      // idle for ten refreshes: the key may have gained peers meanwhile, so the grant waits for the recount
      counts.t = 8;
      clock = 40_000;
      await pacer.acquire('t');
      expect(asked).toHaveLength(3);
      expect(pacer.limitFor('t')).toBe(3);
    });

    it('holds the first grant a window after first use when the first count finds others (a predecessor may have sent)', async () => {
      const { peers, counts } = peersOf({ t: 3, alone: 1 });
      const pacer = new Pacer({ windowMs: 300, safety: { requests: 1, marginMs: 0 }, peerRefreshMs: 10 });
      pacer.countPeersWith(peers);
      // First use of both keys now: the worker's first poll reserves before any count.
      const firstUse = Date.now();
      expect(pacer.tryReserve('t')).toBe(true);
      pacer.release('t');
      expect(pacer.tryReserve('alone')).toBe(true);
      pacer.release('alone');
      await pacer.acquire('alone'); // alone on its queue: no hold
      expect(Date.now() - firstUse).toBeLessThan(250);
      const granted = pacer.acquire('t').then(() => Date.now());
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pacer.tryReserve('t')).toBe(false); // no poll either while held
      expect(await granted).toBeGreaterThanOrEqual(firstUse + 300 - 5);
      // Only the first count holds: a later rise in peers shares the budget, it does not stop the key.
      counts.t = 4;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const before = Date.now();
      await pacer.acquire('t');
      await new Promise((resolve) => setImmediate(resolve));
      await pacer.acquire('t');
      expect(Date.now() - before).toBeLessThan(250);
      expect(pacer.limitFor('t')).toBe(6);
    });

    it('holds nothing when told not to (countPeersWith holdIfShared: false)', async () => {
      const { peers } = peersOf({ t: 3 });
      const pacer = new Pacer();
      pacer.countPeersWith(peers, { holdIfShared: false });
      await pacer.acquire('t');
      expect(pacer.limitFor('t')).toBe(8);
    });

    it('keeps the last count when counting fails or cannot tell, and treats fewer than one as one', async () => {
      let clock = 0;
      let answer: () => Promise<number | undefined> = () => Promise.resolve(3);
      const pacer = new Pacer({ peers: { count: () => answer() }, peerRefreshMs: 10, now: () => clock });
      await pacer.acquire('t');
      expect(pacer.limitFor('t')).toBe(8);
      answer = () => Promise.reject(new Error('server unavailable'));
      clock = 100;
      await pacer.acquire('t');
      await new Promise((resolve) => setImmediate(resolve));
      expect(pacer.limitFor('t')).toBe(8);
      answer = () => Promise.resolve(undefined);
      clock = 200;
      await pacer.acquire('t');
      await new Promise((resolve) => setImmediate(resolve));
      expect(pacer.limitFor('t')).toBe(8);
      answer = () => Promise.resolve(0);
      clock = 300;
      await pacer.acquire('t');
      await new Promise((resolve) => setImmediate(resolve));
      expect(pacer.limitFor('t')).toBe(24);
    });

    it('reserves room for a poll only while grants, callers in line and reservations are under its part', async () => {
      let clock = 0;
      const pacer = new Pacer({ requests: 4, safety: { requests: 1, marginMs: 0 }, windowMs: 1000, now: () => clock });
      // a part of 3: two grants and one reservation fill it
      await pacer.acquire('t');
      await pacer.acquire('t');
      expect(pacer.tryReserve('t')).toBe(true);
      expect(pacer.tryReserve('t')).toBe(false);
      let reserved = false;
      const waiting = pacer.reserve('t').then(() => (reserved = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(reserved).toBe(false);
      // the first reservation's poll ends empty: its room goes to the waiting one at once
      pacer.release('t');
      await waiting;
      expect(reserved).toBe(true);
      expect(pacer.tryReserve('t')).toBe(false);
      // once the grants leave the window there is room again
      clock = 1000;
      expect(pacer.tryReserve('t')).toBe(true);
      expect(pacer.tryReserve('t')).toBe(true);
      expect(pacer.tryReserve('t')).toBe(false);
    });

    it('wakes a waiting reservation when a grant leaves the window', async () => {
      const pacer = new Pacer({ requests: 2, safety: { requests: 1, marginMs: 0 }, windowMs: 80, reserveLeadMs: 0 });
      await pacer.acquire('t');
      const started = Date.now();
      await pacer.reserve('t');
      expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    });

    it('reserves a poll by its lead before a grant leaves the window, and the early task waits in line for it', async () => {
      let clock = 0;
      const pacer = new Pacer({
        requests: 2,
        safety: { requests: 1, marginMs: 0 },
        windowMs: 1000,
        reserveLeadMs: 250,
        now: () => clock,
      });
      await pacer.acquire('t'); // a part of 1, used until 1000
      clock = 749;
      expect(pacer.tryReserve('t')).toBe(false);
      clock = 750; // the grant leaves within the lead: poll now, so the task arrives as the room frees
      expect(pacer.tryReserve('t')).toBe(true);
      expect(pacer.tryReserve('t')).toBe(false); // the freed room is reserved once, not twice
      // the task arrives before the grant has left: it waits in line and is granted only once the window has room
      pacer.release('t');
      let granted = false;
      const next = pacer.acquire('t').then(() => (granted = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(granted).toBe(false);
      clock = 1000;
      await next;
      expect(granted).toBe(true);
    });

    it('holds no reservation while a 429 blocks the key, and drops a reservation whose poll is aborted', async () => {
      const pacer = new Pacer({ requests: 2, safety: { requests: 1, marginMs: 0 }, windowMs: 60_000 });
      pacer.onRateLimited('t', 60_000);
      expect(pacer.tryReserve('t')).toBe(false);
      const controller = new AbortController();
      const reservation = pacer.reserve('t', controller.signal);
      controller.abort(new Error('poll no longer needed'));
      await expect(reservation).rejects.toThrow('poll no longer needed');
      expect(pacer.tryReserve('u')).toBe(true);
    });
  });
});
