// Reporting a shipment must never run twice at once: a burst of shipments queues behind Fortnox's rate limit longer
// than an activity used to be allowed to run, and a retry beside a still-running attempt meant a second createinvoice.
// And when Fortnox refuses a createinvoice because the order was invoiced meanwhile, that invoice is the result.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { invoicesFor, orderResult, startHarness, waitFor, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('reporting under pressure', () => {
  it('40 shipments at once behind the rate limit: each order invoiced once, none parked', async () => {
    h = await startHarness();
    const harness = h;
    const numbers: string[] = [];
    for (let i = 0; i < 40; i++)
      numbers.push(
        await h.createOrder([
          { ArticleNumber: 'A100', OrderedQuantity: 1 },
          { ArticleNumber: 'A101', OrderedQuantity: 1 },
        ]),
      );
    await h.syncOrders();
    const wmsIds = await Promise.all(
      numbers.map(
        async (n) =>
          (await harness.waitForStatus(n, (s) => s.stage === 'awaiting-warehouse' && !s.busy, 120_000)).wmsOrderId!,
      ),
    );
    // The warehouse sends them all within a second: some 160 Fortnox calls queue for 24 per 5 seconds (over 30 s).
    await Promise.all(wmsIds.map((id) => harness.floor(id, 'send')));
    const results = await Promise.all(numbers.map((n) => orderResult(harness, n)));
    expect(results.map((r) => r.outcome).filter((o) => o !== 'invoiced' && o !== 'already-invoiced')).toEqual([]);
    for (const n of numbers) expect(await invoicesFor(harness, n), `order ${n}`).toHaveLength(1);
  }, 300_000);

  it('a createinvoice refused because the order was invoiced meanwhile ends with that invoice, not in needs-attention', async () => {
    h = await startHarness();
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 2 }]);
    await h.syncOrders();
    const { wmsOrderId } = await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    const tenant = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}`;
    // Hold the product's createinvoice in the sandbox, and invoice the order by hand while it is held.
    await got.put(`${tenant}/faults`, {
      json: { rules: [{ route: 'PUT /3/orders/:DocumentNumber/createinvoice', latencyMs: 4000 }] },
    });
    const heldBefore =
      (await got(`${tenant}/calls`).json<{ faultsInjected: Record<string, number> }>()).faultsInjected.latency ?? 0;
    await h.floor(wmsOrderId!, 'send');
    await waitFor(
      async () =>
        ((await got(`${tenant}/calls`).json<{ faultsInjected: Record<string, number> }>()).faultsInjected.latency ??
          0) > heldBefore,
      30_000,
      "the product's createinvoice to be held",
    );
    await got.delete(`${tenant}/faults`);
    const byHand = await h.fortnox.createInvoiceFromOrder(documentNumber);

    const result = await orderResult(h, documentNumber);
    expect(result).toMatchObject({ outcome: 'already-invoiced', invoiceNumber: String(byHand.DocumentNumber) });
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
  });

  it('a report slowed past the old 30-second timeout runs once: one createinvoice, one invoice', async () => {
    // With Fortnox Lager a report reads the order, moves it to delivery state, writes the delivered quantities and
    // creates the invoice: four calls.
    h = await startHarness({ lager: true });
    const documentNumber = await h.createOrder([{ ArticleNumber: 'A100', OrderedQuantity: 1 }]);
    await h.syncOrders();
    const { wmsOrderId } = await h.waitForStatus(documentNumber, (s) => s.stage === 'awaiting-warehouse' && !s.busy);
    const tenant = `${h.sandboxes.fortnoxUrl}/_sandbox/tenants/${h.fortnoxTenantId}`;
    // Each takes 8 s (under the client's 10-s request timeout): together over 30 s, the old limit of one attempt.
    await got.put(`${tenant}/faults`, {
      json: {
        rules: [
          { route: 'GET /3/orders/:DocumentNumber', latencyMs: 8000 },
          { route: 'PUT /3/orders/:DocumentNumber', latencyMs: 8000 },
          { route: 'PUT /3/orders/:DocumentNumber/createinvoice', latencyMs: 8000 },
        ],
      },
    });
    await got.delete(`${tenant}/calls`);
    await h.floor(wmsOrderId!, 'send');
    const result = await orderResult(h, documentNumber);
    await got.delete(`${tenant}/faults`);
    expect(result.outcome).toBe('invoiced');
    const calls = await got(`${tenant}/calls`).json<{ byRoute: Record<string, number> }>();
    expect(calls.byRoute['PUT /3/orders/:DocumentNumber/createinvoice']).toBe(1);
    expect(await invoicesFor(h, documentNumber)).toHaveLength(1);
  }, 240_000);
});
