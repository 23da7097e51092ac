// A bounded queue in front of the receiver's signals. A burst of webhooks would otherwise open as many concurrent
// signal calls as there are requests: the Temporal connection then serves none of them in time and everyone gets a
// 503. Here a fixed number run at once, the rest wait their turn up to the request's deadline, and a queue already
// longer than can drain in time answers "busy" at once instead of holding the sender's connection.
import pLimit, { type LimitFunction } from 'p-limit';

export class SignalQueueFullError extends Error {
  constructor(readonly waiting: number) {
    super(`${waiting} signals are already waiting for Temporal`);
    this.name = 'SignalQueueFullError';
  }
}

export class SignalDeadlineError extends Error {
  constructor() {
    super('the signal did not reach Temporal before the request deadline');
    this.name = 'SignalDeadlineError';
  }
}

export interface SignalQueueOptions {
  /** Signals in flight to Temporal at once. Default 32. */
  concurrency?: number;
  /** Signals allowed to wait beyond those in flight; more are refused at once. Default 5,000. */
  maxWaiting?: number;
}

export class SignalQueue {
  private readonly limit: LimitFunction;
  private readonly maxWaiting: number;

  constructor(options: SignalQueueOptions = {}) {
    this.limit = pLimit(options.concurrency ?? 32);
    this.maxWaiting = options.maxWaiting ?? 5000;
  }

  get waiting(): number {
    return this.limit.pendingCount;
  }

  /**
   * Runs `signal(deadline)` when its turn comes. A signal whose deadline passes while it waits is never sent (the
   * sender has been told 503 and will retry), so a backlog cannot turn into work nobody waits for.
   */
  run(deadline: number, signal: (deadline: number) => Promise<void>): Promise<void> {
    if (this.limit.pendingCount >= this.maxWaiting)
      return Promise.reject(new SignalQueueFullError(this.limit.pendingCount));
    return this.limit(async () => {
      if (Date.now() >= deadline) throw new SignalDeadlineError();
      await signal(deadline);
    });
  }
}
