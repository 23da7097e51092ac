// Sliding-window pacing per tenant so one process never exceeds Fortnox's 25 requests per 5 seconds.
// Across processes the per-tenant Temporal task queues (maxTaskQueueActivitiesPerSecond) keep the total under it.

export interface PacerOptions {
  /** Fortnox's limit per window (25). */
  requests?: number;
  windowMs?: number;
  /**
   * Headroom against clock skew and network jitter: the pacer allows `requests - safety.requests` per
   * `windowMs + safety.marginMs`. Default: one request and 100 ms, i.e. 24 per 5.1 s.
   */
  safety?: { requests?: number; marginMs?: number };
  /** For tests: a clock. */
  now?: () => number;
  /** Called at each grant with the pacer's clock (for metrics and tests). */
  onGrant?: (key: string, at: number) => void;
}

interface KeyState {
  /** Grant times within the current window, oldest first. */
  grants: number[];
  /** No grant before this time (set by a 429). */
  blockedUntil: number;
  /** Callers waiting, served first come first served. */
  tail: Promise<void>;
}

export class Pacer {
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly onGrant: ((key: string, at: number) => void) | undefined;
  private readonly keys = new Map<string, KeyState>();

  constructor(options: PacerOptions = {}) {
    const requests = options.requests ?? 25;
    const safetyRequests = options.safety?.requests ?? 1;
    this.limit = Math.max(1, requests - safetyRequests);
    this.windowMs = (options.windowMs ?? 5000) + (options.safety?.marginMs ?? 100);
    this.now = options.now ?? Date.now;
    this.onGrant = options.onGrant;
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { grants: [], blockedUntil: 0, tail: Promise.resolve() }));
    return state;
  }

  /**
   * Resolves when a request for key may be sent now; callers are served in order. An aborted `signal` (a cancelled or
   * timed-out activity) rejects at once, and that caller's turn is skipped without using a slot.
   */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    const state = this.state(key);
    const turn = state.tail.then(() => {
      signal?.throwIfAborted();
      return this.waitForSlot(key, state, signal);
    });
    // A failed wait must not poison the chain for later callers.
    state.tail = turn.catch(() => undefined);
    return signal ? untilAborted(turn, signal) : turn;
  }

  /** Fortnox said 429: grant nothing for key until retryAfterMs has passed. */
  onRateLimited(key: string, retryAfterMs: number): void {
    const state = this.state(key);
    state.blockedUntil = Math.max(state.blockedUntil, this.now() + retryAfterMs);
  }

  private async waitForSlot(key: string, state: KeyState, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      while (state.grants.length > 0 && (state.grants[0] as number) <= now - this.windowMs) state.grants.shift();
      let waitUntil = state.blockedUntil;
      if (state.grants.length >= this.limit) {
        waitUntil = Math.max(waitUntil, (state.grants[0] as number) + this.windowMs);
      }
      if (waitUntil <= now) {
        state.grants.push(now);
        this.onGrant?.(key, now);
        return;
      }
      await sleep(waitUntil - now, signal);
    }
  }
}

/** Waits ms, or rejects with the signal's reason as soon as it is aborted (and stops the timer). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  let timer: NodeJS.Timeout | undefined;
  return untilAborted(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal).finally(() =>
    clearTimeout(timer),
  );
}

/** The promise, or a rejection with the signal's reason once the signal is aborted, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
