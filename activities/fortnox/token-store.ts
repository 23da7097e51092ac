// Where OAuth tokens live between calls and processes: a pluggable store with a cross-process lock (file-backed or in memory).
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/** Proof of holding a key's lock, handed to the withLock section; pass it to write. */
export interface TokenLease {
  readonly key: string;
  /** Fencing token: higher than that of every earlier holder of the key. */
  readonly fence: number;
  /** Tells this acquisition apart even if the fencing counter was reset (its file deleted). */
  readonly holder: string;
}

export interface TokenStore {
  read(key: string): Promise<StoredTokens | undefined>;
  /**
   * With the lease of the enclosing withLock section, the write is refused (TokenStoreLeaseLostError) if another holder
   * took the lock over meanwhile. Without one it is unfenced: for tools and tests outside any lock.
   */
  write(key: string, tokens: StoredTokens, lease?: TokenLease): Promise<void>;
  /** Runs fn while holding an exclusive lock on key, across every process sharing the store. */
  withLock<T>(key: string, fn: (lease: TokenLease) => Promise<T>): Promise<T>;
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
  private readonly fences = new Map<string, number>();

  async read(key: string): Promise<StoredTokens | undefined> {
    const tokens = this.tokens.get(key);
    return tokens ? copyTokens(tokens) : undefined;
  }

  async write(key: string, tokens: StoredTokens): Promise<void> {
    this.tokens.set(key, copyTokens(tokens));
  }

  withLock<T>(key: string, fn: (lease: TokenLease) => Promise<T>): Promise<T> {
    // One process and no lease expiry: nobody can take a lock over, so the lease only satisfies the interface.
    return this.mutex.run(key, () => {
      const fence = (this.fences.get(key) ?? 0) + 1;
      this.fences.set(key, fence);
      return fn({ key, fence, holder: 'memory' });
    });
  }
}

export interface FileTokenStoreOptions {
  /** A lock file older than this belongs to a crashed holder and is broken. Must exceed the longest refresh (token call timeout). */
  staleLockMs?: number;
  /** Give up waiting for the lock after this long. */
  lockTimeoutMs?: number;
  /** Poll interval while the lock is held elsewhere. */
  pollMs?: number;
  /** Clock for lease ages (epoch ms); tests inject one to age a lease without waiting. */
  now?: () => number;
}

/** A holder's lock was taken over (its lease ran out) before it wrote: its tokens may be older than the new holder's. */
export class TokenStoreLeaseLostError extends Error {
  constructor(
    readonly key: string,
    readonly fence: number,
  ) {
    super(
      `Refused to write the tokens of ${key}: this holder's lock (fence ${fence}) was taken over after its lease ran out, ` +
        'and what the new holder stored must not be overwritten. A retry reads the store again',
    );
    this.name = 'TokenStoreLeaseLostError';
  }
}

export class TokenStoreLockTimeoutError extends Error {
  constructor(
    readonly key: string,
    waitedMs: number,
  ) {
    super(`Timed out after ${waitedMs} ms waiting for the token lock of ${key}`);
    this.name = 'TokenStoreLockTimeoutError';
  }
}

// One process-wide mutex per directory, so two FileTokenStore instances on the same directory in one process
// still queue locally instead of spinning on the lock file.
const directoryMutexes = new Map<string, LocalMutex>();

interface LockRecord {
  pid: number;
  at: number;
  fence?: number;
  holder?: string;
}

/** Directory fsync is not possible on every platform (Windows): there the rename is as durable as it gets. */
const NO_DIRECTORY_FSYNC = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EBADF', 'ENOTSUP']);

/**
 * One JSON file per key in dir, mode 0600, replaced atomically (write a temp file, rename over, fsync the directory).
 * The lock is a `<key>.lock` file created with O_EXCL ('wx'); a lock older than staleLockMs is taken over. Every
 * acquisition gets a higher fence (counted in `<key>.fence`) and a token file records the fence it was written under,
 * so a holder that lost its lock cannot overwrite what the holder after it wrote.
 */
export class FileTokenStore implements TokenStore {
  private readonly staleLockMs: number;
  private readonly lockTimeoutMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly mutex: LocalMutex;

  constructor(
    private readonly dir: string,
    options: FileTokenStoreOptions = {},
  ) {
    this.staleLockMs = options.staleLockMs ?? 60_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 90_000;
    this.pollMs = options.pollMs ?? 25;
    this.now = options.now ?? Date.now;
    let mutex = directoryMutexes.get(dir);
    if (!mutex) directoryMutexes.set(dir, (mutex = new LocalMutex()));
    this.mutex = mutex;
  }

  /** The key as a file name: no dots and nothing that could escape the directory, so `<name>.` prefixes only its files. */
  private fileName(key: string): string {
    return encodeURIComponent(key).replace(/\./g, '%2E');
  }

  private file(key: string, suffix: string): string {
    return join(this.dir, `${this.fileName(key)}${suffix}`);
  }

  private async readJson(file: string): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined; // a lock file whose holder has not written it yet
    }
  }

  async read(key: string): Promise<StoredTokens | undefined> {
    const parsed = (await this.readJson(this.file(key, '.json'))) as Partial<StoredTokens> | undefined;
    if (!parsed || typeof parsed.accessToken !== 'string' || typeof parsed.accessTokenExpiresAt !== 'number')
      return undefined;
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

  async write(key: string, tokens: StoredTokens, lease?: TokenLease): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const record = lease ? { ...tokens, fence: lease.fence } : tokens;
    await this.replaceFile(
      this.file(key, '.json'),
      JSON.stringify(record),
      lease && (() => this.assertLeaseHeld(lease)),
    );
  }

  /** Temp file, fsync, optional last check, rename over, fsync the directory: the file is either old or new, and stays. */
  private async replaceFile(target: string, text: string, beforeRename?: () => Promise<void>): Promise<void> {
    // Unique per writer, so two writers never share a temp file; a crash leaves it to removeCrashedTemps.
    const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    // flush: the rotated refresh token must survive a crash right after the write (it is the only valid one).
    await writeFile(temp, text, { mode: 0o600, flush: true });
    try {
      await beforeRename?.();
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    // The rename is only durable once the directory is: else a crash can bring back the old file and its spent token.
    await this.syncDirectory();
  }

  private async syncDirectory(): Promise<void> {
    let handle;
    try {
      handle = await open(this.dir, 'r');
      await handle.sync();
    } catch (err) {
      if (!NO_DIRECTORY_FSYNC.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    } finally {
      await handle?.close();
    }
  }

  /**
   * Immediately before the rename: the lock must still be this lease's, and the token file not written under a newer
   * fence. Files offer no compare-and-swap, so a window of the few microseconds up to the rename remains, instead of
   * the whole pause of a holder stopped past its lease.
   */
  private async assertLeaseHeld(lease: TokenLease): Promise<void> {
    const lock = await this.readJson(this.file(lease.key, '.lock'));
    const stored = await this.readJson(this.file(lease.key, '.json'));
    const newerWrite = typeof stored?.fence === 'number' && stored.fence > lease.fence;
    if (lock?.fence !== lease.fence || lock.holder !== lease.holder || newerWrite) {
      throw new TokenStoreLeaseLostError(lease.key, lease.fence);
    }
  }

  withLock<T>(key: string, fn: (lease: TokenLease) => Promise<T>): Promise<T> {
    return this.mutex.run(key, async () => {
      const lease = await this.acquire(key);
      try {
        return await fn(lease);
      } finally {
        await this.release(lease);
      }
    });
  }

  /** Removes the lock only if it is still this lease's: a holder that lost it must not free the new holder's lock. */
  private async release(lease: TokenLease): Promise<void> {
    const lockFile = this.file(lease.key, '.lock');
    const lock = await this.readJson(lockFile);
    if (lock?.fence === lease.fence && lock.holder === lease.holder) await rm(lockFile, { force: true });
  }

  /** Higher than every fence issued or written for key, even if the counter file was deleted. */
  private async nextFence(key: string): Promise<number> {
    const counter = Number((await readFile(this.file(key, '.fence'), 'utf8').catch(() => '0')).trim());
    const written = (await this.readJson(this.file(key, '.json')))?.fence;
    return Math.max(Number.isSafeInteger(counter) ? counter : 0, typeof written === 'number' ? written : 0) + 1;
  }

  /** Temp files of key's writers that crashed before their rename (run under the lock: no live writer of key has one). */
  private async removeCrashedTemps(key: string): Promise<void> {
    const prefix = `${this.fileName(key)}.`;
    const names = await readdir(this.dir);
    await Promise.all(
      names
        .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
        .map((name) => rm(join(this.dir, name), { force: true })),
    );
  }

  private async acquire(key: string): Promise<TokenLease> {
    const lockFile = this.file(key, '.lock');
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const started = Date.now();
    for (;;) {
      let handle;
      try {
        handle = await open(lockFile, 'wx', 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      if (handle) {
        try {
          const lease: TokenLease = { key, fence: await this.nextFence(key), holder: randomUUID() };
          await this.replaceFile(this.file(key, '.fence'), String(lease.fence));
          const record: LockRecord = { pid: process.pid, at: this.now(), fence: lease.fence, holder: lease.holder };
          await handle.writeFile(JSON.stringify(record));
          await handle.close();
          await this.removeCrashedTemps(key);
          return lease;
        } catch (err) {
          await handle.close().catch(() => undefined);
          await rm(lockFile, { force: true });
          throw err;
        }
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

  /** By the holder's own record of when it took the lock; by the file's mtime while the holder has not written it yet. */
  private async lockAge(lockFile: string): Promise<number | undefined> {
    const record = await this.readJson(lockFile).catch(() => undefined);
    if (typeof record?.at === 'number') return this.now() - record.at;
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
