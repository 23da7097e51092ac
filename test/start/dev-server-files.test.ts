// The dev server's SQLite file holds every workflow history (orders, customers, amounts): only the user running the
// product may read it. A new data directory is 0700 and the file 0600 from its first byte, and a file left 0644 by an
// older version is made 0600 at the next start. Runs the real Temporal CLI (.tools/bin or PATH, as `npm start` does).
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import getPort from 'get-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../../scripts/dev-server';

const mode = (path: string) => statSync(path).mode & 0o777;
let root: string;
let umask: number;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dev-server-files-'));
  // The usual umask, whatever this machine's: with it, files are 0644 and directories 0755 unless the code says otherwise.
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

describe('the dev server database file', () => {
  it('is created 0600 in a directory created 0700, and an existing one opened up to 0644 is made 0600 again', async () => {
    const dataDir = join(root, 'data');
    const dbFilename = join(dataDir, 'temporal.sqlite');
    const first = await startDevServer({ port: await getPort(), dbFilename, log: () => undefined });
    try {
      expect(mode(dataDir).toString(8)).toBe('700');
      expect(mode(dbFilename).toString(8)).toBe('600');
    } finally {
      await first.stop();
    }

    chmodSync(dbFilename, 0o644); // as versions before this one left it
    const second = await startDevServer({ port: await getPort(), dbFilename, log: () => undefined });
    try {
      expect(mode(dbFilename).toString(8)).toBe('600');
    } finally {
      await second.stop();
    }
  });
});
