// The report's decisions between its single-request steps (workflows/order/fulfilment.ts), driven by a scripted
// Fortnox: which step runs after which answer, and that a write is never repeated on the RowIds of an old read.
// The steps against the real sandbox and server are in test/temporal/order-report-steps.test.ts.
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { OrderForReport } from '../../activities/orders';
import type { OrderSnapshot, PickedLine } from '../../domain/order';
import { MAX_WRITE_ROUNDS, reportFulfilmentStepwise, type FulfilmentSteps } from '../../workflows/order/fulfilment';

function order(rowIds: number[], delivered: number[], extra: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    DocumentNumber: '7',
    CustomerNumber: 'C1',
    CustomerName: 'Kund',
    Cancelled: false,
    Sent: true,
    InvoiceReference: null,
    OrderRows: rowIds.map((RowId, i) => ({
      RowId,
      ArticleNumber: `A${i}`,
      Description: '',
      OrderedQuantity: 2,
      DeliveredQuantity: delivered[i] ?? 0,
    })),
    ...extra,
  } as OrderSnapshot;
}

const picked: PickedLine[] = [
  { rowNumber: '1', articleNumber: 'A0', pickedNumberOfItems: 2 },
  { rowNumber: '2', articleNumber: 'A1', pickedNumberOfItems: 1 },
];

const failure = (message: string, nonRetryable: boolean) =>
  new ActivityFailure(
    'activity failed',
    'step',
    '1',
    RetryState.MAXIMUM_ATTEMPTS_REACHED,
    'test',
    ApplicationFailure.create({
      message,
      type: nonRetryable ? 'FortnoxBadRequest' : 'FortnoxUnavailable',
      nonRetryable,
    }),
  );

/** A scripted Fortnox: each step answers from its queue (a value, or an error to throw); every call is logged. */
function scripted(script: {
  reads: Array<OrderForReport | null>;
  writes?: Array<OrderSnapshot | Error>;
  moves?: OrderSnapshot[];
  invoices?: Array<{ invoiceNumber: string } | Error>;
  lager?: boolean[];
}) {
  const calls: string[] = [];
  const pauses: number[] = [];
  const next = <T>(queue: T[] | undefined, name: string): T => {
    const value = queue?.shift();
    if (value === undefined) throw new Error(`unexpected ${name}`);
    if (value instanceof Error) throw value;
    return value;
  };
  const steps = {
    readFortnoxOrderForReport: async () => (calls.push('read'), next(script.reads, 'read')),
    fetchFortnoxOrder: async () => (calls.push('fetch'), next(script.reads, 'fetch')?.order ?? null),
    lagerActive: async () => (calls.push('lager'), next(script.lager, 'lager')),
    moveFortnoxOrderToDelivery: async () => (calls.push('move'), next(script.moves, 'move')),
    writeDeliveredQuantities: async (_t: string, _d: string, rows: unknown) => (
      calls.push(`write ${JSON.stringify(rows)}`),
      next(script.writes, 'write')
    ),
    createInvoiceFromOrder: async () => (calls.push('invoice'), next(script.invoices, 'invoice')),
    pause: async (ms: number) => void pauses.push(ms),
  } as unknown as FulfilmentSteps;
  return { steps, calls, pauses };
}

const run = (steps: FulfilmentSteps) => reportFulfilmentStepwise(steps, 't', '7', picked);

describe('reporting a shipment one Fortnox request at a time', () => {
  it('reads, writes against that read, and invoices: three requests', async () => {
    const { steps, calls } = scripted({
      reads: [{ order: order([10, 11], [0, 0]), lagerActive: false }],
      writes: [order([20, 21], [2, 1])],
      invoices: [{ invoiceNumber: '900' }],
    });
    expect(await run(steps)).toMatchObject({ outcome: 'invoiced', invoiceNumber: '900' });
    expect(calls).toEqual([
      'read',
      'write [{"RowId":10,"DeliveredQuantity":2},{"RowId":11,"DeliveredQuantity":1}]',
      'invoice',
    ]);
  });

  it('after a write whose answer was lost, reads again and writes nothing twice: the stored rows are already right', async () => {
    const { steps, calls, pauses } = scripted({
      reads: [
        { order: order([10, 11], [0, 0]), lagerActive: false },
        { order: order([20, 21], [2, 1]), lagerActive: false },
      ],
      writes: [failure('socket hang up', false)],
      invoices: [{ invoiceNumber: '900' }],
    });
    expect(await run(steps)).toMatchObject({ outcome: 'invoiced', invoiceNumber: '900' });
    expect(calls.filter((c) => c.startsWith('write'))).toHaveLength(1);
    expect(calls).toEqual(['read', expect.stringMatching(/^write /), 'read', 'invoice']);
    expect(pauses).toEqual([2_000]);
  });

  it("a lost write that did not land is written again on the new read's RowIds", async () => {
    const { steps, calls } = scripted({
      reads: [
        { order: order([10, 11], [0, 0]), lagerActive: false },
        { order: order([30, 31], [0, 0]), lagerActive: false },
      ],
      writes: [failure('timeout', false), order([40, 41], [2, 1])],
      invoices: [{ invoiceNumber: '900' }],
    });
    expect(await run(steps)).toMatchObject({ outcome: 'invoiced' });
    expect(calls.filter((c) => c.startsWith('write'))[1]).toContain('"RowId":30');
  });

  it('a refused write is not tried again: it goes to the operator', async () => {
    const { steps } = scripted({
      reads: [{ order: order([10, 11], [0, 0]), lagerActive: false }],
      writes: [failure('Raden med RowId 10 finns inte', true)],
    });
    await expect(run(steps)).rejects.toBeInstanceOf(ActivityFailure);
  });

  it('puts the report off, with the reason, when Fortnox keeps failing, waiting longer each round up to 2 minutes', async () => {
    const reads = Array.from({ length: MAX_WRITE_ROUNDS }, () => ({
      order: order([10, 11], [0, 0]),
      lagerActive: false,
    }));
    const { steps, pauses } = scripted({ reads, writes: reads.map(() => failure('503 from Fortnox', false)) });
    expect(await run(steps)).toEqual({ outcome: 'put-off', reason: expect.stringContaining('503 from Fortnox') });
    expect(pauses).toHaveLength(MAX_WRITE_ROUNDS - 1);
    expect(pauses.slice(0, 3)).toEqual([2_000, 4_000, 8_000]);
    expect(Math.max(...pauses)).toBe(120_000);
  });

  it("stops between rounds when the run's history is full, so the order continues as new and reports again at once", async () => {
    const reads = Array.from({ length: 3 }, () => ({ order: order([10, 11], [0, 0]), lagerActive: false }));
    const { steps, calls, pauses } = scripted({ reads, writes: reads.map(() => failure('503 from Fortnox', false)) });
    const report = await reportFulfilmentStepwise(steps, 't', '7', picked, () => true);
    expect(report).toEqual({
      outcome: 'put-off',
      historyFull: true,
      reason: expect.stringContaining('503 from Fortnox'),
    });
    expect(calls.filter((c) => c === 'read')).toHaveLength(1);
    expect(pauses).toEqual([]);
  });

  it('with Lager on, moves the order to delivery first and writes on the RowIds the move returned', async () => {
    const { steps, calls } = scripted({
      reads: [{ order: order([10, 11], [0, 0], { DeliveryState: 'reservation' }), lagerActive: null }],
      lager: [true],
      moves: [order([50, 51], [0, 0], { DeliveryState: 'delivery' })],
      writes: [order([60, 61], [2, 1])],
      invoices: [{ invoiceNumber: '900' }],
    });
    expect(await run(steps)).toMatchObject({ outcome: 'invoiced' });
    expect(calls.slice(0, 3)).toEqual(['read', 'lager', 'move']);
    expect(calls[3]).toContain('"RowId":50');
  });

  it('asks whether Lager is on only when the read could not say', async () => {
    const { steps, calls } = scripted({
      reads: [{ order: order([10, 11], [0, 0], { DeliveryState: 'registration' }), lagerActive: false }],
      writes: [order([20, 21], [2, 1])],
      invoices: [{ invoiceNumber: '900' }],
    });
    await run(steps);
    expect(calls).not.toContain('lager');
    expect(calls).not.toContain('move');
  });

  it('an invoice refused because an earlier attempt made it is found on a fresh read', async () => {
    const { steps, calls } = scripted({
      reads: [
        { order: order([10, 11], [2, 1]), lagerActive: false },
        { order: order([10, 11], [2, 1], { InvoiceReference: '901' }), lagerActive: false },
      ],
      invoices: [failure('already invoiced', true)],
    });
    expect(await run(steps)).toMatchObject({ outcome: 'already-invoiced', invoiceNumber: '901' });
    expect(calls).toEqual(['read', 'invoice', 'fetch']);
  });

  it('stops at what Fortnox says: missing, already invoiced, nothing delivered, rows it did not store, lines it cannot match', async () => {
    expect(await run(scripted({ reads: [null] }).steps)).toEqual({ outcome: 'order-missing' });
    expect(
      await run(
        scripted({ reads: [{ order: order([10, 11], [0, 0], { InvoiceReference: '5' }), lagerActive: false }] }).steps,
      ),
    ).toMatchObject({ outcome: 'already-invoiced', invoiceNumber: '5' });
    const none = scripted({ reads: [{ order: order([10, 11], [0, 0]), lagerActive: false }] });
    expect(
      await reportFulfilmentStepwise(
        none.steps,
        't',
        '7',
        picked.map((p) => ({ ...p, pickedNumberOfItems: 0 })),
      ),
    ).toEqual({ outcome: 'nothing-delivered' });
    const zeroed = scripted({
      reads: [{ order: order([10, 11], [0, 0]), lagerActive: false }],
      writes: [order([20, 21], [0, 1])],
    });
    expect(await run(zeroed.steps)).toMatchObject({
      outcome: 'discrepancies',
      discrepancies: [{ position: 1, sent: 2, stored: 0 }],
    });
    expect(zeroed.calls).not.toContain('invoice');
    const unmatched = scripted({ reads: [{ order: order([10], [0]), lagerActive: false }] });
    expect(
      await reportFulfilmentStepwise(unmatched.steps, 't', '7', [
        { rowNumber: '1', articleNumber: 'ZZZ', pickedNumberOfItems: 1 },
      ]),
    ).toMatchObject({ outcome: 'rows-unmatched' });
  });
});
