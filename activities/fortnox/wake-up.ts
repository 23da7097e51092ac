// A place where callers wait for "something changed" (a slot freed, room in the pacer), woken all at once by whoever
// changed it; each waiter then checks again. Waits end early on an abort signal, with its reason.

export class WakeUp {
  private readonly waiters = new Set<() => void>();

  /** Wakes every caller waiting now. */
  wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiters) resolve();
  }

  /** Waits until the next wake(), or ms have passed (ms may be Infinity); rejects with the signal's reason on abort. */
  wait(ms = Infinity, signal?: AbortSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let resolveWait: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => {
      resolveWait = resolve;
      this.waiters.add(resolve);
      if (Number.isFinite(ms)) timer = setTimeout(resolve, ms);
    });
    return untilAborted(woken, signal).finally(() => {
      clearTimeout(timer);
      this.waiters.delete(resolveWait);
    });
  }
}

/** Waits ms, or rejects with the signal's reason as soon as it is aborted (and stops the timer). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  let timer: NodeJS.Timeout | undefined;
  return untilAborted(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal).finally(() =>
    clearTimeout(timer),
  );
}

/** The promise, or a rejection with the signal's reason once the signal is aborted, whichever comes first. */
export function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
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
