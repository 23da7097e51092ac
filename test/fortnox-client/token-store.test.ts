// FileTokenStore: atomic 0600 files, an exclusive lock shared by every store on the directory, stale locks broken.
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenStore, MemoryTokenStore, TokenStoreLockTimeoutError } from '../../activities/fortnox';

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
    expect(await new FileTokenStore(dir).read('tenant/../a')).toEqual({ accessToken: 'a2', accessTokenExpiresAt: 456, refreshToken: 'r2' });
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
    expect(await readdir(dir)).toEqual(['t1.json']); // lock released
  });

  it('releases the lock when the section throws', async () => {
    const store = new FileTokenStore(dir);
    await expect(store.withLock('t1', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
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

describe('MemoryTokenStore', () => {
  it('stores copies and serialises locked sections per key', async () => {
    const store = new MemoryTokenStore();
    const tokens = { accessToken: 'a', accessTokenExpiresAt: 1 };
    await store.write('k', tokens);
    tokens.accessToken = 'changed';
    expect((await store.read('k'))?.accessToken).toBe('a');
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => store.withLock('k', async () => {
      order.push(n);
      await new Promise((resolve) => setImmediate(resolve));
      order.push(-n);
    })));
    expect(order).toEqual([1, -1, 2, -2, 3, -3]);
  });
});
