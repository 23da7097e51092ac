// The receiver's memory of events Temporal already holds: a sender's replay of the same event (Ongoing retries, or
// someone resending a captured request) is answered without a second signal, which would only grow the workflow's
// history. Per process and bounded: a repeat this memory has forgotten just signals again, which the workflow
// tolerates, so nothing depends on it being shared or complete.
import QuickLRU from 'quick-lru';

export interface RecentWebhookEventsOptions {
  /** How many events to remember. Default 100,000 (a few MB). */
  maxSize?: number;
  /** How long to remember one. Default 24 h, longer than a WMS's retry schedule. */
  maxAgeMs?: number;
}

export class RecentWebhookEvents {
  private readonly delivered: QuickLRU<string, true>;
  /** Events being signalled now: a repeat that arrives meanwhile waits for the same signal instead of sending its own. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(options: RecentWebhookEventsOptions = {}) {
    this.delivered = new QuickLRU({ maxSize: options.maxSize ?? 100_000, maxAge: options.maxAgeMs ?? 24 * 3_600_000 });
  }

  /**
   * Runs `deliver` for an event not delivered before and remembers it once it succeeds; 'repeat' when it was (or is
   * being) delivered. A failed delivery is forgotten, so the sender's retry delivers again.
   */
  async deliverOnce(key: string, deliver: () => Promise<void>): Promise<'delivered' | 'repeat'> {
    if (this.delivered.has(key)) return 'repeat';
    const pending = this.inFlight.get(key);
    if (pending) {
      await pending;
      return 'repeat';
    }
    const delivery = deliver()
      .then(() => void this.delivered.set(key, true))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, delivery);
    await delivery;
    return 'delivered';
  }
}
