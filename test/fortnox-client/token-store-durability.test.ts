// FileTokenStore durability: after the rename the directory is fsynced, or a crash can bring back the spent token.
import { mkdtemp, rm } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { FileTokenStore } from '../../activities/fortnox';

/** What the store did to the file system, in order: renames and fsyncs, by file name. */
const fsLog = vi.hoisted(() => ({ entries: [] as string[] }));

// Pass-through fs that records renames and fsyncs: the only honest view of "synced after the rename" without a crash.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      await actual.rename(from, to);
      fsLog.entries.push(`rename to ${basename(to)}`);
    },
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        await sync();
        fsLog.entries.push(`fsync ${basename(String(args[0]))}`);
      };
      return handle;
    },
  };
});

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fortnox-tokens-sync-'));
  fsLog.entries = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('fsyncs the directory after renaming the new token file into place', async () => {
  const store = new FileTokenStore(dir);
  await store.withLock('t1', (lease) =>
    store.write('t1', { accessToken: 'a', accessTokenExpiresAt: 1, refreshToken: 'r' }, lease),
  );
  const renamed = fsLog.entries.indexOf('rename to t1.json');
  expect(renamed).toBeGreaterThanOrEqual(0);
  expect(fsLog.entries.slice(renamed + 1)).toContain(`fsync ${basename(dir)}`);
});
