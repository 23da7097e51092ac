// FileTokenStore: atomic 0600 files, an exclusive lock shared by every store on the directory, stale locks broken,
// fenced writes (a holder whose lease was taken over cannot overwrite newer tokens), crashed temp files cleaned up.
import { mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FileTokenStore,
  MemoryTokenStore,
  TokenStoreLeaseLostError,
  TokenStoreLockTimeoutError,
} from '../../activities/fortnox';
import type { StoredTokens } from '../../activities/fortnox';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fortnox-tokens-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileTokenStore', () => {
  it('writes one 0600 JSON file per key, atomically, and reads it back', async () => {
    const store = new FileTokenStore(dir);
    expect(await store.read('tenant/../a')).toBeUndefined();
    await store.write('tenant/../a', { accessToken: 'a1', accessTokenExpiresAt: 123, refreshToken: 'r1' });
    await store.write('tenant/../a', { accessToken: 'a2', accessTokenExpiresAt: 456, refreshToken: 'r2' });
    expect(await new FileTokenStore(dir).read('tenant/../a')).toEqual({
      accessToken: 'a2',
      accessTokenExpiresAt: 456,
      refreshToken: 'r2',
    });
    const files = await readdir(dir);
    expect(files).toHaveLength(1); // no temp files left behind, and the key could not escape the directory
    expect((await stat(join(dir, files[0] as string))).mode & 0o777).toBe(0o600);
  });

  it('never lets two stores on the same directory hold the lock together', async () => {
    const a = new FileTokenStore(dir, { pollMs: 2 });
    const b = new FileTokenStore(dir, { pollMs: 2 });
    let inside = 0;
    let maxInside = 0;
    const order: string[] = [];
    const section = (store: FileTokenStore, name: string) =>
      store.withLock('t1', async () => {
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        order.push(`${name}:in`);
        await new Promise((resolve) => setImmediate(resolve));
        await store.write('t1', { accessToken: name, accessTokenExpiresAt: 1 });
        order.push(`${name}:out`);
        inside -= 1;
      });
    await Promise.all([section(a, 'a1'), section(b, 'b1'), section(a, 'a2'), section(b, 'b2')]);
    expect(maxInside).toBe(1);
    expect(order).toHaveLength(8);
    expect((await readdir(dir)).sort()).toEqual(['t1.fence', 't1.json']); // lock released; the fencing counter stays
  });

  it('releases the lock when the section throws', async () => {
    const store = new FileTokenStore(dir);
    await expect(
      store.withLock('t1', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.withLock('t1', async () => 'again')).toBe('again');
  });

  it('breaks a stale lock left by a crashed process, and times out on a live one', async () => {
    const lock = join(dir, 't1.lock');
    await writeFile(lock, JSON.stringify({ pid: 999999, at: 0 }));
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    const store = new FileTokenStore(dir, { staleLockMs: 60_000, pollMs: 2 });
    expect(await store.withLock('t1', async () => 'took over')).toBe('took over');

    await writeFile(lock, JSON.stringify({ pid: 999999, at: Date.now() }));
    const impatient = new FileTokenStore(dir, { staleLockMs: 60_000, lockTimeoutMs: 50, pollMs: 5 });
    await expect(impatient.withLock('t1', async () => 'never')).rejects.toBeInstanceOf(TokenStoreLockTimeoutError);
  });
});

describe('FileTokenStore fencing', () => {
  const newer: StoredTokens = {
    accessToken: 'from-the-holder-that-took-over',
    accessTokenExpiresAt: 2,
    refreshToken: 'r-newer',
  };
  const stale: StoredTokens = {
    accessToken: 'from-the-paused-holder',
    accessTokenExpiresAt: 1,
    refreshToken: 'r-stale',
  };
  let otherProcessPath: string;
  let clockMs: number;
  const clock = () => clockMs;

  beforeEach(async () => {
    clockMs = 1_000_000;
    // Another process on the same directory: reached through a symlink, the store does not share this process's
    // in-process queue with it, so only the lock file arbitrates, as between two processes.
    const linkParent = await mkdtemp(join(tmpdir(), 'fortnox-tokens-link-'));
    otherProcessPath = join(linkParent, 'tokens');
    await symlink(dir, otherProcessPath);
  });

  afterEach(async () => {
    await rm(join(otherProcessPath, '..'), { recursive: true, force: true });
  });

  const stores = () => ({
    paused: new FileTokenStore(dir, { now: clock, staleLockMs: 60_000 }),
    // lockTimeoutMs: without lease ages on the injected clock, taking over would wait for real time and fail fast here.
    other: new FileTokenStore(otherProcessPath, { now: clock, staleLockMs: 60_000, lockTimeoutMs: 2_000, pollMs: 1 }),
  });

  it('refuses the write of a holder paused past its lease while the new holder has the lock, and keeps that lock', async () => {
    const { paused, other } = stores();
    let otherEntered!: () => void;
    const entered = new Promise<void>((resolve) => (otherEntered = resolve));
    let letOtherWrite!: () => void;
    const otherMayWrite = new Promise<void>((resolve) => (letOtherWrite = resolve));
    let otherSection: Promise<void> | undefined;

    await paused.withLock('t1', async (lease) => {
      clockMs += 61_000; // paused (GC, frozen VM) past its 60 s lease
      otherSection = other.withLock('t1', async (otherLease) => {
        otherEntered();
        await otherMayWrite;
        await other.write('t1', newer, otherLease);
      });
      await Promise.race([entered, otherSection]); // a failed takeover ends the test at once instead of hanging
      await expect(paused.write('t1', stale, lease)).rejects.toBeInstanceOf(TokenStoreLeaseLostError);
    });
    // The paused holder released only its own (lost) lock: the new holder's is still there.
    expect(await readdir(dir)).toContain('t1.lock');
    letOtherWrite();
    await otherSection;
    expect(await paused.read('t1')).toEqual(newer);
    expect((await readdir(dir)).sort()).toEqual(['t1.fence', 't1.json']); // no temp file of the refused write
  });

  it('refuses the write of a holder paused past its lease after the new holder wrote and left', async () => {
    const { paused, other } = stores();
    const refusal = await paused.withLock('t1', async (lease) => {
      clockMs += 61_000;
      await other.withLock('t1', (otherLease) => other.write('t1', newer, otherLease));
      return paused.write('t1', stale, lease).then(
        () => undefined,
        (err: unknown) => err,
      );
    });
    expect(refusal).toBeInstanceOf(TokenStoreLeaseLostError);
    expect(String(refusal)).not.toContain('r-stale');
    expect(await paused.read('t1')).toEqual(newer);
  });

  it('lets a holder within its lease write, and every later holder gets a higher fence', async () => {
    const { paused } = stores();
    const fences: number[] = [];
    for (const tokens of [stale, newer]) {
      await paused.withLock('t1', async (lease) => {
        fences.push(lease.fence);
        clockMs += 59_000; // slow, but within the lease
        await paused.write('t1', tokens, lease);
      });
    }
    expect(fences[1]).toBeGreaterThan(fences[0] as number);
    expect(await paused.read('t1')).toEqual(newer);
    for (const file of await readdir(dir)) expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);
  });
});

describe('FileTokenStore after a crash', () => {
  it('never reads a temp file a crash left behind, and removes it at the next locked write', async () => {
    const halfWritten = JSON.stringify({ accessToken: 'never-renamed', accessTokenExpiresAt: 1, refreshToken: 'r0' });
    await writeFile(join(dir, 't1.json.4242.5e0c1b1e-crashed.tmp'), halfWritten, { mode: 0o600 });
    await writeFile(join(dir, 't10.json.4242.other-key.tmp'), halfWritten, { mode: 0o600 }); // another key's: not ours to touch
    const store = new FileTokenStore(dir);
    expect(await store.read('t1')).toBeUndefined();

    await store.withLock('t1', (lease) =>
      store.write('t1', { accessToken: 'a1', accessTokenExpiresAt: 1, refreshToken: 'r1' }, lease),
    );
    expect((await readdir(dir)).sort()).toEqual(['t1.fence', 't1.json', 't10.json.4242.other-key.tmp']);
    expect((await store.read('t1'))?.refreshToken).toBe('r1');
  });
});

describe('MemoryTokenStore', () => {
  it('stores copies and serialises locked sections per key', async () => {
    const store = new MemoryTokenStore();
    const tokens = { accessToken: 'a', accessTokenExpiresAt: 1 };
    await store.write('k', tokens);
    tokens.accessToken = 'changed';
    expect((await store.read('k'))?.accessToken).toBe('a');
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        store.withLock('k', async () => {
          order.push(n);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(-n);
        }),
      ),
    );
    expect(order).toEqual([1, -1, 2, -2, 3, -3]);
  });
});
