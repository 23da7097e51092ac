// Reporting a shipment to Fortnox, one Fortnox request per activity: read the order, put it in delivery state (Lager),
// write the delivered quantities against that fresh read, create the invoice. Each step runs on the tenant's Fortnox
// queue, whose dispatch limit is then a request limit across every worker process. The decisions between the steps
// are the domain's, made here on each step's fresh answer.
import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import type { FulfilmentReport } from '../../activities/orders';
import {
  deliveredDiscrepancies,
  deliveredRows,
  deliveredRowsPatch,
  RowMatchError,
  type DeliveredRow,
  type OrderSnapshot,
  type PickedLine,
} from '../../domain/order';
import { failureMessage } from '../failures';
import { fortnoxActivities, profiles } from '../proxies';

/** Rounds of read-then-write before the report is put off to the order's next reconciliation check. */
export const MAX_WRITE_ROUNDS = 12;

/** The report's Fortnox steps on the tenant's queue; each makes at most one request. */
export function fulfilmentSteps(tenantId: string) {
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxRequest);
  return {
    fetchFortnoxOrder: fortnox.fetchFortnoxOrder,
    readFortnoxOrderForReport: fortnox.readFortnoxOrderForReport,
    moveFortnoxOrderToDelivery: fortnox.moveFortnoxOrderToDelivery,
    createInvoiceFromOrder: fortnox.createInvoiceFromOrder,
    lagerActive: fortnox.lagerActive,
    // One attempt: a retry of a write whose answer was lost would use RowIds that write renumbered. The round below
    // reads again and builds a new write instead.
    writeDeliveredQuantities: fortnoxActivities(tenantId, profiles.fortnoxWriteOnce).writeDeliveredQuantities,
    /** The wait between rounds: a durable timer. */
    pause: (ms: number) => sleep(ms),
  };
}

/** The steps as plain functions (what the report calls), so a test or a conformance run can supply its own. */
export type FulfilmentSteps = {
  [K in keyof ReturnType<typeof fulfilmentSteps>]: ReturnType<typeof fulfilmentSteps>[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => R
    : never;
};

/**
 * The report stopped between rounds: Fortnox kept failing (the order tries again at its next check), or the run's
 * history reached its limit (`historyFull`: the order continues as new and reports again at once).
 */
export interface PutOff {
  outcome: 'put-off';
  reason: string;
  historyFull?: boolean;
}

/** The warehouse's lines match no rows of the Fortnox order: an operator has to look. */
export interface RowsUnmatched {
  outcome: 'rows-unmatched';
  reason: string;
}

export type StepwiseReport = FulfilmentReport | PutOff | RowsUnmatched;

const isRetryable = (err: unknown) =>
  err instanceof ActivityFailure && !(err.cause instanceof ApplicationFailure && err.cause.nonRetryable);

/** Writes what the warehouse picked to Fortnox and invoices it, exactly once, deciding every step on a fresh read. */
export async function reportFulfilmentStepwise(
  steps: FulfilmentSteps,
  tenantId: string,
  documentNumber: string,
  picked: PickedLine[],
  historyFull: () => boolean = () => false,
): Promise<StepwiseReport> {
  let lastFailure = '';
  for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
    if (round > 0) {
      // Each round adds a dozen events: stop at the run's history limit and let the next run report again.
      if (historyFull())
        return { outcome: 'put-off', reason: `continued as new after: ${lastFailure}`, historyFull: true };
      await steps.pause(Math.min(2_000 * 2 ** (round - 1), 120_000));
    }
    const read = await steps.readFortnoxOrderForReport(tenantId, documentNumber);
    if (!read) return { outcome: 'order-missing' };
    const fresh = read.order;
    let rows: DeliveredRow[];
    try {
      rows = deliveredRows(fresh, picked);
    } catch (err) {
      if (err instanceof RowMatchError) return { outcome: 'rows-unmatched', reason: err.message };
      throw err;
    }
    if (fresh.InvoiceReference) return { outcome: 'already-invoiced', invoiceNumber: fresh.InvoiceReference, rows };
    if (rows.every((row) => row.DeliveredQuantity === 0)) return { outcome: 'nothing-delivered' };

    let current: OrderSnapshot = fresh;
    const needsDeliveryState = fresh.DeliveryState && fresh.DeliveryState !== 'delivery';
    if (needsDeliveryState && (read.lagerActive ?? (await steps.lagerActive(tenantId)))) {
      current = await steps.moveFortnoxOrderToDelivery(tenantId, documentNumber);
    }
    let stored = current;
    if (deliveredDiscrepancies(current, rows).length > 0) {
      try {
        stored = await steps.writeDeliveredQuantities(tenantId, documentNumber, deliveredRowsPatch(current, rows));
      } catch (err) {
        if (!isRetryable(err)) throw err;
        lastFailure = failureMessage(err);
        continue; // read again: the write may have landed and renumbered the rows
      }
    }
    const discrepancies = deliveredDiscrepancies(stored, rows);
    if (discrepancies.length) return { outcome: 'discrepancies', rows, discrepancies };
    if (stored.InvoiceReference) return { outcome: 'already-invoiced', invoiceNumber: stored.InvoiceReference, rows };
    try {
      const { invoiceNumber } = await steps.createInvoiceFromOrder(tenantId, documentNumber);
      return { outcome: 'invoiced', invoiceNumber, rows };
    } catch (err) {
      // Refused: if someone (a person, an earlier attempt whose answer was lost) invoiced the order meanwhile, that
      // invoice is the one; read again rather than report the refusal.
      if (!(err instanceof ActivityFailure)) throw err;
      const again = await steps.fetchFortnoxOrder(tenantId, documentNumber);
      if (again?.InvoiceReference) return { outcome: 'already-invoiced', invoiceNumber: again.InvoiceReference, rows };
      throw err;
    }
  }
  return {
    outcome: 'put-off',
    reason: `Fortnox kept failing while the delivered quantities were written: ${lastFailure}`,
  };
}
