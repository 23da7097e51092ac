// The bounded queue in front of the receiver's signals: a fixed number in flight, a bounded number waiting, and a
// signal whose deadline passed while it waited is never sent.
import { describe, expect, it } from 'vitest';
import { SignalDeadlineError, SignalQueue, SignalQueueFullError } from '../../client/signal-queue';

/** A signal that completes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('signal queue', () => {
  it('runs at most `concurrency` signals at once and the rest in turn', async () => {
    const queue = new SignalQueue({ concurrency: 2, maxWaiting: 10 });
    const g = gate();
    let running = 0;
    let most = 0;
    const signal = async () => {
      running += 1;
      most = Math.max(most, running);
      await g.opened;
      running -= 1;
    };
    const all = Array.from({ length: 6 }, () => queue.run(Date.now() + 60_000, signal));
    await expect.poll(() => running).toBe(2);
    expect(queue.waiting).toBe(4);
    g.open();
    await Promise.all(all);
    expect(most).toBe(2);
  });

  it('refuses at once when the waiting line is full, instead of holding the sender', async () => {
    const queue = new SignalQueue({ concurrency: 1, maxWaiting: 2 });
    const g = gate();
    const held = [0, 1, 2].map(() => queue.run(Date.now() + 60_000, () => g.opened));
    await expect.poll(() => queue.waiting).toBe(2);
    await expect(queue.run(Date.now() + 60_000, async () => undefined)).rejects.toBeInstanceOf(SignalQueueFullError);
    g.open();
    await Promise.all(held);
  });

  it('never sends a signal whose deadline passed while it waited', async () => {
    const queue = new SignalQueue({ concurrency: 1 });
    const g = gate();
    const first = queue.run(Date.now() + 60_000, () => g.opened);
    let sent = false;
    const late = queue.run(Date.now() + 1, async () => {
      sent = true;
    });
    await expect.poll(() => queue.waiting).toBe(1);
    const waitUntil = Date.now() + 5;
    await expect.poll(() => Date.now() > waitUntil).toBe(true);
    g.open();
    await first;
    await expect(late).rejects.toBeInstanceOf(SignalDeadlineError);
    expect(sent).toBe(false);
  });
});
