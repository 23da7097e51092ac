// Webhook delivery per goods owner: Ongoing's order payload, HTTP Basic as Ongoing sends it (or an HMAC-SHA256 signature
// for receivers that want one), "one day" retries, every attempt logged.
import { createHmac } from 'node:crypto';
import type { WmsSandboxState } from './state';
import {
  ORDER_STATUS,
  type GoodsOwnerState,
  type StoredOrder,
  type WebhookAuthConfig,
  type WebhookEventName,
} from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Ongoing's "one day" policy: after 1, 5, 15 and 30 minutes, then every 2 hours for 24 hours. */
export const ONE_DAY_RETRY_SCHEDULE_MS: readonly number[] = [
  1 * MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  ...Array.from({ length: 12 }, () => 2 * HOUR),
];

const TEMPLATE: Record<WebhookEventName, string> = {
  orderCreated: 'OrderCreated',
  orderPicked: 'OrderPicked',
  orderStatusChanged: 'OrderStatusChanged',
};

/** The headers that authenticate one delivery: Basic credentials, a signature of these exact bytes, or none. */
function authHeaders(auth: WebhookAuthConfig, body: string): Record<string, string> {
  switch (auth.type) {
    case 'basic':
      return { authorization: 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64') };
    case 'hmac':
      return {
        'x-webhook-signature': 'sha256=' + createHmac('sha256', auth.secret).update(body, 'utf8').digest('hex'),
      };
    case 'none':
      return {};
  }
}

interface Delivery {
  webhookEventId: number;
  event: WebhookEventName;
  orderId: number;
  url: string;
  auth: WebhookAuthConfig;
  body: string;
}

export interface WebhookDispatcherOptions {
  retryScheduleMs?: readonly number[];
  timeoutMs?: number;
}

export class WebhookDispatcher {
  private readonly schedule: readonly number[];
  private readonly timeoutMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly state: WmsSandboxState,
    options: WebhookDispatcherOptions = {},
  ) {
    this.schedule = options.retryScheduleMs ?? ONE_DAY_RETRY_SCHEDULE_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    state.onOrderChange((owner, order, change) => {
      if (change.kind === 'created') {
        this.emit(owner, order, 'orderCreated');
        return;
      }
      if (
        change.from < ORDER_STATUS.Picked &&
        change.to >= ORDER_STATUS.Picked &&
        change.to !== ORDER_STATUS.Cancelled
      ) {
        this.emit(owner, order, 'orderPicked');
      }
      const statuses = owner.webhook?.statuses;
      if (!statuses || statuses.length === 0 || statuses.includes(change.to)) {
        this.emit(owner, order, 'orderStatusChanged');
      }
    });
  }

  /** Deliveries waiting for a retry or for an answer; 0 means the queue is quiet. */
  get pending(): number {
    return this.timers.size + this.inFlight.size;
  }

  /** Drops every pending retry (on reset and close). */
  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.inFlight) c.abort();
    this.inFlight.clear();
  }

  close(): void {
    this.closed = true;
    this.cancelAll();
  }

  private emit(owner: GoodsOwnerState, order: StoredOrder, event: WebhookEventName): void {
    const config = owner.webhook;
    if (!config || !config.events.includes(event) || this.closed) return;
    // The counter lives in the state so it survives a restart: receivers deduplicate on webhookEventId.
    const webhookEventId = this.state.nextId.webhookEvent++;
    // The delivery is frozen at the event: every retry sends the same bytes with the same credentials or signature.
    const body = JSON.stringify(this.payload(owner, order, event, webhookEventId));
    void this.attempt(
      owner,
      { webhookEventId, event, orderId: order.orderId, url: config.url, auth: config.auth, body },
      1,
    );
  }

  private payload(owner: GoodsOwnerState, order: StoredOrder, event: WebhookEventName, webhookEventId: number) {
    return {
      webhookOrdersId: webhookEventId,
      webhookEventId,
      system: this.state.warehouse,
      timestamp: this.state.now().toISOString(),
      orderId: order.orderId,
      orderNumber: order.orderNumber,
      goodsOwnerId: owner.goodsOwnerId,
      path: `/${this.state.warehouse}/api/v1/orders/${order.orderId}`,
      byUser: { userId: 1 },
      byComputer: { computerId: 1, computerName: 'SANDBOX-FLOOR' },
      orderStatus: { number: order.statusNumber },
      currentShipmentId: order.currentShipmentId,
      webhookTemplate: TEMPLATE[event],
      goodsOwnerName: owner.name,
      // As Ongoing's order webhook page shows them (developer.ongoingwarehouse.com/webhook-order).
      tracking: order.parcels.map((p) => ({ trackingUrl: p.trackingUrl, waybill: order.wayBill, isReturn: false })),
      parcels: order.parcels.map((p) => ({ id: p.id, parcelNumber: p.parcelNumber })),
    };
  }

  private async attempt(owner: GoodsOwnerState, delivery: Delivery, attempt: number): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    const logged = {
      webhookEventId: delivery.webhookEventId,
      event: delivery.event,
      orderId: delivery.orderId,
      attempt,
      at: this.state.now().toISOString(),
      url: delivery.url,
    };
    let ok = false;
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...authHeaders(delivery.auth, delivery.body),
          'x-webhook-event-id': String(delivery.webhookEventId),
        },
        body: delivery.body,
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      ok = res.status >= 200 && res.status < 300;
      owner.webhookAttempts.push({ ...logged, status: res.status });
    } catch (err) {
      const reason = controller.signal.aborted ? controller.signal.reason : err;
      owner.webhookAttempts.push({ ...logged, error: reason instanceof Error ? reason.message : String(reason) });
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    if (ok || this.closed) return;
    const delay = this.schedule[attempt - 1];
    if (delay === undefined) return; // schedule exhausted: Ongoing gives up after a day
    const retry = setTimeout(() => {
      this.timers.delete(retry);
      void this.attempt(owner, delivery, attempt + 1);
    }, delay);
    this.timers.add(retry);
  }
}
