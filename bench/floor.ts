// The warehouse floor, driven by a script: it watches the WMS sandbox for new orders and releases, picks and sends
// them through the sandbox's floor controls (which fire the WMS's webhooks), remembering what the order looked like
// when the warehouse started and what it picked, so invariants can be checked afterwards.
import got from 'got';
import type { StoredOrder } from '../simulators/wms/types';
import type { Rig } from './rig';

export interface FloorPlan {
  /** Share of orders picked short on some line (never all lines at zero: an empty shipment is not invoiced). */
  partialPickRate?: number;
  /** Share of orders the floor cancels before starting them. */
  cancelRate?: number;
  /** Wait this long (random up to it) after an order appears before starting it. */
  maxHoldMs?: number;
  /** Orders the floor must leave alone (e.g. cancelled in Fortnox by the script). */
  skip?: (orderNumber: string) => boolean;
  /** Per-order hold before starting (overrides maxHoldMs), e.g. to give a Fortnox-side change time to arrive. */
  holdMs?: (orderNumber: string) => number | undefined;
  /** Called when an order first appears in the WMS. */
  onSeen?: (orderNumber: string) => void;
  /** Called once an order has been released: Fortnox-side changes after start hook in here. */
  onReleased?: (orderNumber: string) => void | Promise<void>;
  random?: () => number;
  concurrency?: number;
}

export interface FloorLine {
  rowNumber: string;
  articleNumber: string;
  ordered: number;
}

export interface FloorRecord {
  orderId: number;
  orderNumber: string;
  seenAt: number;
  /** WMS order lines at the moment the warehouse started (release). */
  linesAtStart?: FloorLine[];
  picked?: Map<string, number>;
  sentAt?: number;
  cancelledByFloor?: boolean;
}

/** The goods owner's lines (the product numbers every line it sends; lines added on the floor have no rowNumber). */
const linesOf = (order: StoredOrder): FloorLine[] =>
  order.lines.flatMap((l) =>
    l.rowNumber === null
      ? []
      : [{ rowNumber: l.rowNumber, articleNumber: l.articleNumber, ordered: l.orderedNumberOfItems }],
  );

export class Floor {
  readonly records = new Map<string, FloorRecord>();
  private timer: NodeJS.Timeout | undefined;
  private active = 0;
  private readonly queue: FloorRecord[] = [];
  private readonly random: () => number;
  private stopped = false;
  errors = 0;

  constructor(
    private readonly rig: Rig,
    private readonly plan: FloorPlan = {},
  ) {
    this.random = plan.random ?? Math.random;
  }

  start(): void {
    this.timer = setInterval(() => this.scan(), 100);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** True when every order seen so far has been handled (started, sent, cancelled or skipped). */
  idle(): boolean {
    return this.queue.length === 0 && this.active === 0;
  }

  sentCount(): number {
    let n = 0;
    for (const r of this.records.values()) if (r.sentAt !== undefined) n++;
    return n;
  }

  private scan(): void {
    for (const order of this.rig.goodsOwner.orders.values()) {
      if (this.records.has(order.orderNumber)) continue;
      const record: FloorRecord = { orderId: order.orderId, orderNumber: order.orderNumber, seenAt: Date.now() };
      this.records.set(order.orderNumber, record);
      this.plan.onSeen?.(order.orderNumber);
      this.queue.push(record);
    }
    while (this.active < (this.plan.concurrency ?? 8) && this.queue.length > 0) {
      const record = this.queue.shift()!;
      this.active++;
      void this.work(record)
        .catch(() => {
          this.errors++;
        })
        .finally(() => {
          this.active--;
        });
    }
  }

  private async control(orderId: number, action: string, body: unknown = {}): Promise<void> {
    const url = `${this.rig.wms.url}/_sandbox/goods-owners/${this.rig.goodsOwner.goodsOwnerId}/orders/${orderId}/${action}`;
    await got.post(url, { json: body });
  }

  private async work(record: FloorRecord): Promise<void> {
    const hold =
      this.plan.holdMs?.(record.orderNumber) ?? (this.plan.maxHoldMs ? this.random() * this.plan.maxHoldMs : 0);
    if (hold > 0) await new Promise((r) => setTimeout(r, hold));
    if (this.stopped || this.plan.skip?.(record.orderNumber)) return;
    const order = this.rig.goodsOwner.orders.get(record.orderId);
    if (!order || order.statusNumber !== 200) return; // cancelled meanwhile (e.g. from Fortnox)
    if (this.random() < (this.plan.cancelRate ?? 0)) {
      await this.control(record.orderId, 'cancel');
      record.cancelledByFloor = true;
      return;
    }
    await this.control(record.orderId, 'release');
    // Read after the release: from here on the WMS must refuse changes, so this is what the warehouse works from.
    record.linesAtStart = linesOf(this.rig.goodsOwner.orders.get(record.orderId)!);
    await this.plan.onReleased?.(record.orderNumber);
    const lines = record.linesAtStart;
    let pick: { rowNumber: string; pickedNumberOfItems: number }[] | undefined;
    if (this.random() < (this.plan.partialPickRate ?? 0)) {
      pick = lines.map((l) => ({
        rowNumber: l.rowNumber,
        pickedNumberOfItems: Math.floor(this.random() * (l.ordered + 1)),
      }));
      if (pick.every((p) => p.pickedNumberOfItems === 0))
        pick[0]!.pickedNumberOfItems = Math.max(1, lines[0]!.ordered - 1);
    }
    await this.control(record.orderId, 'pick', pick ? { lines: pick } : {});
    record.picked = new Map(
      lines.map((l) => [l.rowNumber, pick?.find((p) => p.rowNumber === l.rowNumber)?.pickedNumberOfItems ?? l.ordered]),
    );
    record.sentAt = Date.now();
    await this.control(record.orderId, 'send', { parcels: 1 });
  }
}
