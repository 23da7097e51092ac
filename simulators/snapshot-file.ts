// A sandbox's state on disk: read a snapshot file at start (moving a bad one aside), write it atomically when it changed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The file could not be used: not JSON, another snapshot version, or data the sandbox cannot restore. */
export class SnapshotFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Sandbox snapshot ${file} is unusable: ${reason}`);
    this.name = 'SnapshotFileError';
  }
}

export type Warn = (message: string) => void;

const defaultWarn: Warn = (message) => console.warn(message);

/**
 * Restores a sandbox from `file` if it exists. `restore` gets the parsed JSON and throws when it cannot use it; then
 * `discard` must undo any half-done restore, the file is moved aside as `<file>.corrupt-<timestamp>` (kept for a
 * human to look at) and the sandbox starts empty. Returns whether a snapshot was restored.
 */
export function restoreFromFile(
  file: string,
  restore: (data: unknown) => void,
  discard: () => void,
  warn: Warn = defaultWarn,
): boolean {
  if (!existsSync(file)) return false;
  try {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SnapshotFileError(file, `not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    restore(data);
    return true;
  } catch (error) {
    discard();
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, aside);
    const reason =
      error instanceof SnapshotFileError ? error.reason : error instanceof Error ? error.message : String(error);
    warn(`Sandbox snapshot ${file} is unusable (${reason}); moved it to ${aside} and starting empty.`);
    return false;
  }
}

/** Checks the `version` field every snapshot carries; a different version is not migrated, it is set aside. */
export function requireVersion<T extends { version: number }>(file: string, data: unknown, version: number): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new SnapshotFileError(file, 'not a JSON object');
  const found = (data as { version?: unknown }).version;
  if (found !== version) throw new SnapshotFileError(file, `version ${String(found)}, expected ${version}`);
  return data as T;
}

export interface SnapshotWriterOptions {
  file: string;
  /** Produces the current state as plain data; called on every tick, so it should be cheap for demo-sized state. */
  snapshot: () => unknown;
  /** How often to look for changes; default 2000 ms. */
  intervalMs?: number;
  warn?: Warn;
}

/**
 * Writes the snapshot every `intervalMs` when it changed since the last write, and once more on `close()`. Change
 * detection compares a hash of the serialised snapshot: sandbox routes mutate stored objects in many places, and a
 * dirty flag missed in one of them would lose data silently.
 */
export class SnapshotWriter {
  private readonly file: string;
  private readonly snapshot: () => unknown;
  private readonly warn: Warn;
  private readonly timer: NodeJS.Timeout;
  private lastHash: string | undefined;
  /** Writes run one after another, so an older snapshot never lands after a newer one; never rejects. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: SnapshotWriterOptions) {
    this.file = options.file;
    this.snapshot = options.snapshot;
    this.warn = options.warn ?? defaultWarn;
    // The state as restored (or empty) is on disk already, or not worth a file yet: write from the first change on.
    this.lastHash = hash(JSON.stringify(this.snapshot()));
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) =>
        this.warn(`Could not write sandbox snapshot ${this.file}: ${String(error)}`),
      );
    }, options.intervalMs ?? 2000);
    this.timer.unref();
  }

  /** Writes now if the state changed since the last write; rejects if that write fails (the next one tries again). */
  flush(): Promise<void> {
    const text = JSON.stringify(this.snapshot());
    const digest = hash(text);
    if (digest === this.lastHash) return this.queue;
    this.lastHash = digest;
    const write = this.queue.then(() => writeAtomically(this.file, text));
    this.queue = write.catch(() => {
      if (this.lastHash === digest) this.lastHash = undefined;
    });
    return write;
  }

  /** Stops the timer and writes the final state. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

let tmpCounter = 0;

/** Write to a temporary file beside the target, then rename: a crash mid-write leaves the old file intact. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${++tmpCounter}`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
