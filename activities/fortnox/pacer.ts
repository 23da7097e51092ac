// Sliding-window pacing per tenant so that the tenant's requests never exceed Fortnox's 25 per 5 seconds, however many
// worker processes send them: each process takes an equal part of the budget (24 ÷ the processes polling the tenant's
// queue, counted live by `peers`), and polls for a task only when its part has room (`reserve`), so tasks go to the
// processes that can send at once.
import { sleep, untilAborted, WakeUp } from './wake-up';

export interface PacerOptions {
  /** Fortnox's limit per window (25). */
  requests?: number;
  windowMs?: number;
  /**
   * Headroom against clock skew and network jitter: the pacer allows `requests - safety.requests` per
   * `windowMs + safety.marginMs`. Default: one request and 100 ms, i.e. 24 per 5.1 s.
   */
  safety?: { requests?: number; marginMs?: number };
  /** Counts the processes sharing a key's budget; without it this process is alone. */
  peers?: PeerCount;
  /** How old a peer count may be before it is counted again in the background (default 3 s). */
  peerRefreshMs?: number;
  /**
   * How long before a grant leaves the window a reservation may count its room as free (default 250 ms): a poll takes
   * a round trip to the server before its task arrives, and without this lead every slot would idle for that trip.
   */
  reserveLeadMs?: number;
  /** For tests: a clock. */
  now?: () => number;
  /** Called at each grant with the pacer's clock (for metrics and tests). */
  onGrant?: (key: string, at: number) => void;
}

/** How many processes (this one included) send requests for a key; undefined when it cannot tell just now. */
export interface PeerCount {
  count(key: string): Promise<number | undefined>;
}

/** A request let through by the pacer. */
export interface PacerGrant {
  /** The request was answered (or failed): its place in the window counts from now, not from the grant. */
  done(): void;
}

export const DEFAULT_PEER_REFRESH_MS = 3000;
export const DEFAULT_RESERVE_LEAD_MS = 250;
/** A peer count this many refresh intervals old is not used while a recount runs: it is waited for. */
const STALE_PEER_COUNTS = 10;

interface KeyState {
  /**
   * Requests within the current window, each at the later of its grant and its answer: Fortnox counts a request when
   * it arrives, which is after the grant by however long the event loop and the network took, so a request's place
   * in the window lasts until a window after its answer (see PacerGrant.done).
   */
  grants: Array<{ at: number }>;
  /** No grant before this time (set by a 429). */
  blockedUntil: number;
  /** Callers waiting, served first come first served. */
  tail: Promise<void>;
  /** Callers in line for a grant. */
  waiting: number;
  /** Polls reserved (see reserve) whose task has not arrived yet. */
  reserved: number;
  /** Processes sharing this key's budget, this one included. */
  peers: number;
  /** When peers was last counted (-Infinity: never). */
  peersCountedAt: number;
  /** Whether a count has answered yet (the first decides the start-up hold, see countPeersWith). */
  peersAnswered: boolean;
  /** When this process first used the key. */
  createdAt: number;
  peersCounting: Promise<void> | undefined;
  /** Wakes reserve() waiters when room may have appeared. */
  changed: WakeUp;
}

export class Pacer {
  /** This process's budget per window when it is alone. */
  readonly limit: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly onGrant: ((key: string, at: number) => void) | undefined;
  private readonly keys = new Map<string, KeyState>();
  private peers: PeerCount | undefined;
  private readonly peerRefreshMs: number;
  private readonly reserveLeadMs: number;
  private holdIfShared = false;

  constructor(options: PacerOptions = {}) {
    const requests = options.requests ?? 25;
    const safetyRequests = options.safety?.requests ?? 1;
    this.limit = Math.max(1, requests - safetyRequests);
    this.windowMs = (options.windowMs ?? 5000) + (options.safety?.marginMs ?? 100);
    this.now = options.now ?? Date.now;
    this.onGrant = options.onGrant;
    this.peers = options.peers;
    this.peerRefreshMs = options.peerRefreshMs ?? DEFAULT_PEER_REFRESH_MS;
    this.reserveLeadMs = options.reserveLeadMs ?? DEFAULT_RESERVE_LEAD_MS;
  }

  /**
   * Shares each key's budget with the processes `peers` counts (the worker sets it once it knows its identity). With
   * `holdIfShared` (the worker's default), a process whose first count finds others polling the key (or a process
   * killed within the count's memory, which this one may replace) grants nothing until a window after it first used
   * the key: what those sent in the last window before it started is unknown to it, and counts at Fortnox.
   */
  countPeersWith(peers: PeerCount, options: { holdIfShared?: boolean } = {}): void {
    this.peers = peers;
    this.holdIfShared = options.holdIfShared ?? true;
    for (const state of this.keys.values()) state.peersCountedAt = -Infinity;
  }

  /** This process's part of key's budget per window: the limit divided among the processes sharing it. */
  limitFor(key: string): number {
    return this.partOf(this.state(key));
  }

  private partOf(state: KeyState): number {
    return Math.max(1, Math.floor(this.limit / state.peers));
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = {
        grants: [],
        blockedUntil: 0,
        tail: Promise.resolve(),
        waiting: 0,
        reserved: 0,
        peers: 1,
        peersCountedAt: -Infinity,
        peersAnswered: false,
        createdAt: this.now(),
        peersCounting: undefined,
        changed: new WakeUp(),
      };
      this.keys.set(key, state);
    }
    return state;
  }

  /**
   * Resolves when a request for key may be sent now; callers are served in order. An aborted `signal` (a cancelled or
   * timed-out activity) rejects at once, and that caller's turn is skipped without using a slot.
   */
  acquire(key: string, signal?: AbortSignal): Promise<PacerGrant> {
    const state = this.state(key);
    state.waiting += 1;
    const turn = state.tail
      .then(() => this.countPeers(key, state))
      .then(() => {
        signal?.throwIfAborted();
        return this.waitForSlot(key, state, signal);
      })
      .finally(() => {
        state.waiting -= 1;
        state.changed.wake();
      });
    // A failed wait must not poison the chain for later callers.
    state.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return signal ? untilAborted(turn, signal) : turn;
  }

  /**
   * Resolves when this process has room in key's budget for one more task (its grants in the window, callers in line
   * and earlier reservations are fewer than its part), and holds that room until `release`. A worker calls this before
   * it polls for a task, so a process whose part is used up leaves the tasks to processes that can send at once.
   */
  async reserve(key: string, signal?: AbortSignal): Promise<void> {
    // No recount here: a reservation only decides when to poll, and a worker reserves as it starts, before the
    // processes starting beside it poll; the grant (acquire) is what must use a fresh count.
    const state = this.state(key);
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      const waitUntil = this.roomAt(state, now);
      if (waitUntil <= now) {
        state.reserved += 1;
        return;
      }
      await state.changed.wait(waitUntil - now, signal);
    }
  }

  /** reserve without waiting: true if the room was taken. */
  tryReserve(key: string): boolean {
    const state = this.state(key);
    const now = this.now();
    if (this.roomAt(state, now) > now) return false;
    state.reserved += 1;
    return true;
  }

  /** Gives back a reservation: its task arrived (and now waits in line like any request), or its poll ended empty. */
  release(key: string): void {
    const state = this.state(key);
    state.reserved = Math.max(0, state.reserved - 1);
    state.changed.wake();
  }

  /** Fortnox said 429: grant nothing for key until retryAfterMs has passed. */
  onRateLimited(key: string, retryAfterMs: number): void {
    const state = this.state(key);
    state.blockedUntil = Math.max(state.blockedUntil, this.now() + retryAfterMs);
  }

  /**
   * When key has room for a reservation: now, or a time when a grant leaves the window (Infinity: on a release). A
   * grant leaving within reserveLeadMs counts as gone, so the task polled for arrives as its room frees; it then waits
   * in line (acquire) for at most that lead.
   */
  private roomAt(state: KeyState, now: number): number {
    dropExpired(state, now, this.windowMs);
    if (state.blockedUntil > now) return state.blockedUntil;
    const staying = state.grants.filter((grant) => grant.at + this.windowMs > now + this.reserveLeadMs);
    if (staying.length + state.waiting + state.reserved < this.partOf(state)) return now;
    return staying.length > 0
      ? Math.min(...staying.map((grant) => grant.at)) + this.windowMs - this.reserveLeadMs
      : Infinity;
  }

  /**
   * Recounts key's peers: a count younger than peerRefreshMs is used as it is; an older one is used while a recount
   * runs in the background; one that is missing or older than STALE_PEER_COUNTS refreshes is waited for (a key idle
   * for a while may have gained peers since).
   */
  private countPeers(key: string, state: KeyState): Promise<void> {
    const peers = this.peers;
    if (!peers) return Promise.resolve();
    const age = this.now() - state.peersCountedAt;
    if (age < this.peerRefreshMs) return Promise.resolve();
    state.peersCounting ??= peers
      .count(key)
      .then(
        (count) => {
          if (count === undefined) return;
          if (this.holdIfShared && !state.peersAnswered && count > 1)
            state.blockedUntil = Math.max(state.blockedUntil, state.createdAt + this.windowMs);
          state.peersAnswered = true;
          state.peers = Math.max(1, count);
        },
        () => undefined,
      )
      .finally(() => {
        state.peersCountedAt = this.now();
        state.peersCounting = undefined;
        state.changed.wake();
      });
    return age >= this.peerRefreshMs * STALE_PEER_COUNTS ? state.peersCounting : Promise.resolve();
  }

  private async waitForSlot(key: string, state: KeyState, signal?: AbortSignal): Promise<PacerGrant> {
    for (;;) {
      const now = this.now();
      dropExpired(state, now, this.windowMs);
      let waitUntil = state.blockedUntil;
      if (state.grants.length >= this.partOf(state)) {
        waitUntil = Math.max(waitUntil, oldest(state) + this.windowMs);
      }
      if (waitUntil <= now) {
        const grant = { at: now };
        state.grants.push(grant);
        this.onGrant?.(key, now);
        return {
          done: () => {
            grant.at = Math.max(grant.at, this.now());
            state.changed.wake();
          },
        };
      }
      await sleep(waitUntil - now, signal);
    }
  }
}

function dropExpired(state: KeyState, now: number, windowMs: number): void {
  if (state.grants.some((grant) => grant.at <= now - windowMs)) {
    state.grants = state.grants.filter((grant) => grant.at > now - windowMs);
  }
}

function oldest(state: KeyState): number {
  return Math.min(...state.grants.map((grant) => grant.at));
}
