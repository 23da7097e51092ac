// The dev server's SQLite file holds every workflow history (orders, customers, amounts), so only the user running
// the product may read it: its directory is created 0700, the server runs with umask 077 so the file (and SQLite's
// -wal/-shm/-journal companions) is 0600 from its first byte, and a file an older version left 0644 is tightened at
// start. Pre-creating an empty file is no option: the dev server then skips creating its schema and fails.
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const databaseFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/** Creates the database's directory 0700 if missing (an existing one is left as it is) and makes existing files 0600. */
export function prepareDatabaseFile(file: string): void {
  const created = mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  // mode is filtered by the umask; chmod says it exactly.
  if (created !== undefined) chmodSync(dirname(file), PRIVATE_DIR_MODE);
  tightenDatabaseFiles(file);
}

/** Makes the database file and its companions 0600 where they exist. */
export function tightenDatabaseFiles(file: string): void {
  for (const f of databaseFiles(file)) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
}

/** The command and arguments that run `command args` with umask 077 (as is on Windows, which has no file modes). */
export function withPrivateUmask(command: string, args: string[]): { command: string; args: string[] } {
  if (process.platform === 'win32') return { command, args };
  // exec: the shell becomes the server, so the pid the caller keeps is the server's.
  return { command: '/bin/sh', args: ['-c', 'umask 077 && exec "$0" "$@"', command, ...args] };
}
