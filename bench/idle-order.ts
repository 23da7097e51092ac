// One order at a time on an otherwise idle system, Fortnox's rate limit on: "sent" pressed in the WMS → invoice in
// Fortnox. Every order is in the warehouse first (pulled by the product's own order sync); then, one by one, the floor
// releases and picks it, waits for the system to settle, presses "sent" and waits for the invoice. What it measures
// is the report's own path: the webhook, the WMS read, and the report's single-request Fortnox activities.
import got from 'got';
import { bootstrapSchedules } from '../client/schedules';
import { orderRows, seededRandom } from './lifecycle';
import { startRig } from './rig';
import { distribution, type Distribution } from './stats';

export interface IdleOrderResult {
  orders: number;
  sentToInvoicedMs: Distribution;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`idle order bench: timed out waiting for ${what}`);
    await pause(5);
  }
}

export async function runIdleOrders(options: { orders: number; seed: number }): Promise<IdleOrderResult> {
  const random = seededRandom(options.seed);
  const rig = await startRig({ fortnoxRateLimit: true });
  try {
    await rig.spawnWorker('product');
    const numbers = rig.seedOrders(Array.from({ length: options.orders }, () => orderRows(random, rig.articles)));
    await bootstrapSchedules(rig.client, [rig.tenant], rig.taskQueue);
    const inWms = () => numbers.map((n) => [...rig.goodsOwner.orders.values()].find((o) => o.orderNumber === n));
    await until(
      () => (inWms().every((o) => o?.statusNumber === 200) ? true : undefined),
      120_000,
      'every order in the WMS',
    );
    await pause(5_000); // the "created" webhooks handled, the sync done
    const control = (orderId: number, action: string) =>
      got.post(`${rig.wms.url}/_sandbox/goods-owners/${rig.goodsOwner.goodsOwnerId}/orders/${orderId}/${action}`, {
        json: {},
      });
    const latencies: number[] = [];
    for (const order of inWms()) {
      await control(order!.orderId, 'release');
      await control(order!.orderId, 'pick');
      await pause(2_000); // their webhooks handled: the system is idle again
      const sentAt = Date.now();
      await control(order!.orderId, 'send');
      const invoice = await until(
        () => [...rig.fortnoxTenant.invoices.values()].find((i) => String(i.OrderReference) === order!.orderNumber),
        60_000,
        `the invoice of order ${order!.orderNumber}`,
      );
      latencies.push(invoice.lastModified - sentAt);
    }
    return { orders: options.orders, sentToInvoicedMs: distribution(latencies) };
  } finally {
    await rig.close();
  }
}
