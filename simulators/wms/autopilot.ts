// The autopilot: walks every order one floor step per tick (Open → Released → Allocated → Picked → Sent) for the demo.
import type { WmsSandboxState } from './state';
import { ORDER_STATUS } from './types';

export class Autopilot {
  private timer: NodeJS.Timeout | undefined;
  enabled = false;
  stepMs = 5_000;

  constructor(private readonly state: WmsSandboxState) {}

  configure(options: { enabled: boolean; stepMs?: number }): void {
    this.stop();
    this.enabled = options.enabled;
    if (options.stepMs !== undefined) this.stepMs = options.stepMs;
    if (this.enabled) {
      this.timer = setInterval(() => this.tick(), this.stepMs);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One step for every order still on the floor. Errors are swallowed: the floor keeps walking. */
  tick(): void {
    for (const owner of this.state.goodsOwners.values()) {
      for (const order of owner.orders.values()) {
        try {
          switch (order.statusNumber) {
            case ORDER_STATUS.Open:
              this.state.release(owner, order.orderId);
              break;
            case ORDER_STATUS.Released:
              this.state.allocate(owner, order.orderId);
              break;
            case ORDER_STATUS.Allocated:
              this.state.pick(owner, order.orderId);
              break;
            case ORDER_STATUS.Picked:
              this.state.send(owner, order.orderId, { parcels: 1 });
              break;
          }
        } catch {
          // A concurrent floor action moved the order first; the next tick sees the new status.
        }
      }
    }
  }

  get status() {
    return { enabled: this.enabled, stepMs: this.stepMs };
  }
}
