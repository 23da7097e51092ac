// Where OAuth tokens live between calls and processes: a pluggable store with a cross-process lock (file-backed or in memory).
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredTokens {
  accessToken: string;
  /** Epoch milliseconds. */
  accessTokenExpiresAt: number;
  /** Present in refresh_token mode. Single use: the one stored here is the only valid one. */
  refreshToken?: string;
  /** The scopes Fortnox granted with these tokens (space separated), when its answer said. */
  scope?: string;
  /**
   * Fingerprint (refreshTokenFingerprint) of the configured initialRefreshToken this chain started from: a different
   * configured token is a new one from the operator. Absent in files written before it existed.
   */
  seedFingerprint?: string;
  /** Fingerprints of configured tokens that started earlier chains or that Fortnox refused: never spent again. */
  retiredFingerprints?: string[];
}

export interface TokenStore {
  read(key: string): Promise<StoredTokens | undefined>;
  write(key: string, tokens: StoredTokens): Promise<void>;
  /** Runs fn while holding an exclusive lock on key, across every process sharing the store. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Serialises callers in this process per key (a promise chain): the cross-process lock then only arbitrates between processes. */
class LocalMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

function copyTokens(tokens: StoredTokens): StoredTokens {
  return { ...tokens, ...(tokens.retiredFingerprints ? { retiredFingerprints: [...tokens.retiredFingerprints] } : {}) };
}

/** For tests and single-process use. */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredTokens>();
  private readonly mutex = new LocalMutex();

  async read(key: string): Promise<StoredTokens | undefined> {
    const tokens = this.tokens.get(key);
    return tokens ? copyTokens(tokens) : undefined;
  }

  async write(key: string, tokens: StoredTokens): Promise<void> {
    this.tokens.set(key, copyTokens(tokens));
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, fn);
  }
}

export interface FileTokenStoreOptions {
  /** A lock file older than this belongs to a crashed holder and is broken. Must exceed the longest refresh (token call timeout). */
  staleLockMs?: number;
  /** Give up waiting for the lock after this long. */
  lockTimeoutMs?: number;
  /** Poll interval while the lock is held elsewhere. */
  pollMs?: number;
}

export class TokenStoreLockTimeoutError extends Error {
  constructor(readonly key: string, waitedMs: number) {
    super(`Timed out after ${waitedMs} ms waiting for the token lock of ${key}`);
    this.name = 'TokenStoreLockTimeoutError';
  }
}

// One process-wide mutex per directory, so two FileTokenStore instances on the same directory in one process
// still queue locally instead of spinning on the lock file.
const directoryMutexes = new Map<string, LocalMutex>();

/**
 * One JSON file per key in dir, mode 0600, replaced atomically (write a temp file, rename over). The lock is a
 * `<key>.lock` file created with O_EXCL ('wx'); a lock older than staleLockMs is taken over.
 */
export class FileTokenStore implements TokenStore {
  private readonly staleLockMs: number;
  private readonly lockTimeoutMs: number;
  private readonly pollMs: number;
  private readonly mutex: LocalMutex;

  constructor(private readonly dir: string, options: FileTokenStoreOptions = {}) {
    this.staleLockMs = options.staleLockMs ?? 60_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 90_000;
    this.pollMs = options.pollMs ?? 25;
    let mutex = directoryMutexes.get(dir);
    if (!mutex) directoryMutexes.set(dir, (mutex = new LocalMutex()));
    this.mutex = mutex;
  }

  private file(key: string, suffix: string): string {
    // Keys are our tenant ids; encode anything that could escape the directory.
    const safe = encodeURIComponent(key).replace(/\./g, '%2E');
    return join(this.dir, `${safe}${suffix}`);
  }

  async read(key: string): Promise<StoredTokens | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(key, '.json'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = JSON.parse(text) as Partial<StoredTokens>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.accessTokenExpiresAt !== 'number') return undefined;
    return {
      accessToken: parsed.accessToken,
      accessTokenExpiresAt: parsed.accessTokenExpiresAt,
      ...(typeof parsed.refreshToken === 'string' ? { refreshToken: parsed.refreshToken } : {}),
      ...(typeof parsed.scope === 'string' ? { scope: parsed.scope } : {}),
      ...(typeof parsed.seedFingerprint === 'string' ? { seedFingerprint: parsed.seedFingerprint } : {}),
      ...(Array.isArray(parsed.retiredFingerprints)
        ? { retiredFingerprints: parsed.retiredFingerprints.filter((f): f is string => typeof f === 'string') }
        : {}),
    };
  }

  async write(key: string, tokens: StoredTokens): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(key, '.json');
    const temp = this.file(key, `.${process.pid}.${randomUUID()}.tmp`);
    // flush: the rotated refresh token must survive a crash right after the write (it is the only valid one).
    await writeFile(temp, JSON.stringify(tokens), { mode: 0o600, flush: true });
    await rename(temp, target);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, async () => {
      const lockFile = this.file(key, '.lock');
      await this.acquire(key, lockFile);
      try {
        return await fn();
      } finally {
        await rm(lockFile, { force: true });
      }
    });
  }

  private async acquire(key: string, lockFile: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const started = Date.now();
    for (;;) {
      try {
        const handle = await open(lockFile, 'wx', 0o600);
        await handle.writeFile(JSON.stringify({ pid: process.pid, at: Date.now() }));
        await handle.close();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const age = await this.lockAge(lockFile);
      if (age !== undefined && age > this.staleLockMs) {
        // Break a stale lock by renaming it away first: only one breaker wins the rename, so two waiters
        // cannot both delete-and-recreate and end up holding it together.
        const grave = `${lockFile}.${randomUUID()}.stale`;
        try {
          await rename(lockFile, grave);
        } catch {
          continue; // someone else broke it first
        }
        // Between our stat and rename another waiter may have broken the stale lock and taken a fresh one:
        // if what we moved is fresh, put it back (link fails if a lock exists again, which is then theirs anyway).
        const movedAge = await this.lockAge(grave);
        if (movedAge !== undefined && movedAge <= this.staleLockMs) await link(grave, lockFile).catch(() => undefined);
        await rm(grave, { force: true });
        continue;
      }
      const waited = Date.now() - started;
      if (waited > this.lockTimeoutMs) throw new TokenStoreLockTimeoutError(key, waited);
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  private async lockAge(lockFile: string): Promise<number | undefined> {
    try {
      const info = await stat(lockFile);
      return Date.now() - info.mtimeMs;
    } catch {
      return undefined;
    }
  }
}

/** Where tokens live when no store is given: FORTNOX_TOKEN_DIR, else `.data/fortnox-tokens` under the working directory. */
export function defaultTokenStore(): TokenStore {
  return new FileTokenStore(process.env.FORTNOX_TOKEN_DIR ?? join(process.cwd(), '.data', 'fortnox-tokens'));
}
