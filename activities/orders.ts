// The order workflow's activities: each one small, idempotent (check, then act, on fresh data) and failing with a
// classified ApplicationFailure. Fortnox activities run on the tenant's own rate-limited task queue.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  deliveredDiscrepancies,
  deliveredRows,
  deliveredRowsPatch,
  RowMatchError,
  WmsStatus,
  type DeliveredDiscrepancy,
  type DeliveredRow,
  type OrderSnapshot,
  type PickedLine,
  type WmsOrderDraft,
} from '../domain/order';
import { FortnoxError } from './fortnox/errors';
import type { FortnoxOrder } from './fortnox/schemas';
import { whileHeartbeating } from './heartbeat';
import type { TenantRegistry } from './tenant-registry';
import type { WmsOrder } from './wms/schemas';
import { activityFortnox } from './activity-fortnox';

export function toOrderSnapshot(order: FortnoxOrder): OrderSnapshot {
  return {
    DocumentNumber: order.DocumentNumber,
    CustomerNumber: order.CustomerNumber,
    CustomerName: order.CustomerName ?? '',
    OrderDate: order.OrderDate ?? undefined,
    DeliveryDate: order.DeliveryDate ?? undefined,
    YourOrderNumber: order.YourOrderNumber || undefined,
    YourReference: order.YourReference || undefined,
    Remarks: order.Remarks || undefined,
    Cancelled: order.Cancelled,
    Sent: order.Sent,
    InvoiceReference: order.InvoiceReference,
    DeliveryState: order.DeliveryState ?? undefined,
    DeliveryName: order.DeliveryName || undefined,
    DeliveryAddress1: order.DeliveryAddress1 || undefined,
    DeliveryAddress2: order.DeliveryAddress2 || undefined,
    DeliveryZipCode: order.DeliveryZipCode || undefined,
    DeliveryCity: order.DeliveryCity || undefined,
    DeliveryCountry: order.DeliveryCountry || undefined,
    Phone1: order.Phone1 || undefined,
    EmailAddressTo: order.EmailInformation?.EmailAddressTo || undefined,
    OrderRows: (order.OrderRows ?? []).map((row) => ({
      RowId: row.RowId,
      ArticleNumber: row.ArticleNumber || null,
      Description: row.Description ?? '',
      OrderedQuantity: row.OrderedQuantity,
      DeliveredQuantity: row.DeliveredQuantity,
      Unit: row.Unit || undefined,
    })),
  };
}

/** What the workflow needs to know of a WMS order. */
export interface WmsOrderView {
  orderId: number;
  statusNumber: number;
  pickedLines: PickedLine[];
}

function toWmsOrderView(order: WmsOrder): WmsOrderView {
  return {
    orderId: order.orderInfo.orderId,
    statusNumber: order.orderInfo.orderStatus.number,
    pickedLines: order.orderLines.map((line) => ({
      rowNumber: line.rowNumber,
      articleNumber: line.article.articleNumber,
      pickedNumberOfItems: line.pickedNumberOfItems,
    })),
  };
}

export interface OrderForReport {
  order: OrderSnapshot;
  lagerActive: boolean | null;
}

/** The rows of an order PUT that writes delivered quantities (deliveredRowsPatch of a fresh read). */
export type DeliveredRowsPatch = ReturnType<typeof deliveredRowsPatch>;

export type FulfilmentReport =
  | { outcome: 'invoiced' | 'already-invoiced'; invoiceNumber: string; rows: DeliveredRow[] }
  | { outcome: 'discrepancies'; rows: DeliveredRow[]; discrepancies: DeliveredDiscrepancy[] }
  | { outcome: 'nothing-delivered' | 'order-missing' };

const isNotFound = (err: unknown) => err instanceof FortnoxError && err.status === 404;

/** The order's Fortnox activities, for the tenant's Fortnox queue: each makes at most one request (but reportFulfilment). */
export function createFortnoxOrderActivities(registry: TenantRegistry) {
  return {
    /** A fresh read of the Fortnox order, or null when it no longer exists. */
    async fetchFortnoxOrder(tenantId: string, documentNumber: string): Promise<OrderSnapshot | null> {
      try {
        return toOrderSnapshot(await registry.fortnox(tenantId).getOrder(documentNumber));
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    /**
     * Writes what the warehouse sent as DeliveredQuantity per row, checks what Fortnox stored, and creates the invoice
     * only if the fresh order has none. Safe to run again at any point: every decision is made on a fresh read.
     * Up to five requests in one activity: kept for runs that scheduled it before the report became single requests.
     */
    async reportFulfilment(tenantId: string, documentNumber: string, picked: PickedLine[]): Promise<FulfilmentReport> {
      // Up to five paced calls: beat while working, so a lost worker is noticed in seconds, and stop every wait and
      // request the moment Temporal gives up on this attempt, so a retry never runs beside it.
      const { cancellationSignal } = Context.current();
      const client = registry.fortnox(tenantId).withSignal(cancellationSignal);
      return whileHeartbeating(async () => {
        let fresh: OrderSnapshot;
        try {
          fresh = toOrderSnapshot(await client.getOrder(documentNumber));
        } catch (err) {
          if (isNotFound(err)) return { outcome: 'order-missing' as const };
          throw err;
        }
        let rows: DeliveredRow[];
        try {
          rows = deliveredRows(fresh, picked);
        } catch (err) {
          if (err instanceof RowMatchError) throw ApplicationFailure.nonRetryable(err.message, 'RowMismatch');
          throw err;
        }
        if (fresh.InvoiceReference)
          return { outcome: 'already-invoiced' as const, invoiceNumber: fresh.InvoiceReference, rows };
        if (rows.every((row) => row.DeliveredQuantity === 0)) return { outcome: 'nothing-delivered' as const };

        let current = fresh;
        if (
          fresh.DeliveryState &&
          fresh.DeliveryState !== 'delivery' &&
          (await registry.lagerActive(tenantId, cancellationSignal))
        ) {
          // With Lager, DeliveredQuantity may only be set in delivery state; the PUT renumbers RowIds, so use its answer.
          current = toOrderSnapshot(await client.updateOrder(documentNumber, { DeliveryState: 'delivery' }));
        }
        const alreadyStored = deliveredDiscrepancies(current, rows).length === 0;
        const stored = alreadyStored
          ? current
          : toOrderSnapshot(await client.updateOrder(documentNumber, { OrderRows: deliveredRowsPatch(current, rows) }));
        const discrepancies = deliveredDiscrepancies(stored, rows);
        if (discrepancies.length) return { outcome: 'discrepancies' as const, rows, discrepancies };
        if (stored.InvoiceReference)
          return { outcome: 'already-invoiced' as const, invoiceNumber: stored.InvoiceReference, rows };
        try {
          const invoice = await client.createInvoiceFromOrder(documentNumber);
          return { outcome: 'invoiced' as const, invoiceNumber: String(invoice.DocumentNumber), rows };
        } catch (err) {
          // Refused: if someone (a person, an earlier attempt whose answer was lost) invoiced the order meanwhile,
          // that invoice is the one; read again rather than report the refusal.
          if (!(err instanceof FortnoxError) || err.kind !== 'non-retryable') throw err;
          const again = toOrderSnapshot(await client.getOrder(documentNumber));
          if (again.InvoiceReference)
            return { outcome: 'already-invoiced' as const, invoiceNumber: again.InvoiceReference, rows };
          throw err;
        }
      });
    },

    // ---- The report as single requests: each activity below makes at most one Fortnox request, so the tenant queue's
    // dispatch limit is a request limit however many workers poll it. The order workflow walks them
    // (workflows/order/fulfilment.ts); reportFulfilment above stays for runs that scheduled it before.

    /**
     * The report's fresh read: the order (null when it no longer exists) and whether Lager is on, if this worker knows
     * without asking (null: the workflow asks with lagerActive, which is a request of its own).
     */
    async readFortnoxOrderForReport(tenantId: string, documentNumber: string): Promise<OrderForReport | null> {
      const client = activityFortnox(registry, tenantId);
      try {
        const order = toOrderSnapshot(await client.getOrder(documentNumber));
        return { order, lagerActive: registry.knownLagerActive(tenantId) ?? null };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    /**
     * Puts the order in Lager's delivery state, where DeliveredQuantity may be set. Setting it twice is harmless. The
     * PUT renumbers the RowIds, so the workflow writes against the order this returns.
     */
    async moveFortnoxOrderToDelivery(tenantId: string, documentNumber: string): Promise<OrderSnapshot> {
      const client = activityFortnox(registry, tenantId);
      return toOrderSnapshot(await client.updateOrder(documentNumber, { DeliveryState: 'delivery' }));
    },

    /**
     * Writes DeliveredQuantity per row, from a read made just before (RowIds renumber on every update), and returns
     * what Fortnox stored. Never retried as it is: after a lost answer its RowIds may be stale, so the workflow reads
     * again and builds a new write.
     */
    async writeDeliveredQuantities(
      tenantId: string,
      documentNumber: string,
      rows: DeliveredRowsPatch,
    ): Promise<OrderSnapshot> {
      const client = activityFortnox(registry, tenantId);
      return toOrderSnapshot(await client.updateOrder(documentNumber, { OrderRows: rows }));
    },

    /**
     * Creates the invoice from the order. Fortnox refuses a second invoice of an order, so a retry after a lost answer
     * is refused, and the workflow then reads the order to find the invoice the first attempt made.
     */
    async createInvoiceFromOrder(tenantId: string, documentNumber: string): Promise<{ invoiceNumber: string }> {
      const client = activityFortnox(registry, tenantId);
      const invoice = await client.createInvoiceFromOrder(documentNumber);
      return { invoiceNumber: String(invoice.DocumentNumber) };
    },
  };
}

/** The order's WMS activities, for the main queue. */
export function createWmsOrderActivities(registry: TenantRegistry) {
  return {
    async findWmsOrder(tenantId: string, orderNumber: string): Promise<WmsOrderView | null> {
      const order = await registry.wms(tenantId).findOrderByNumber(orderNumber);
      return order ? toWmsOrderView(order) : null;
    },

    async getWmsOrder(tenantId: string, orderId: number): Promise<WmsOrderView> {
      return toWmsOrderView(await registry.wms(tenantId).getOrder(orderId));
    },

    /** PUT by orderNumber creates or updates: running it twice leaves one order. */
    async upsertWmsOrder(tenantId: string, draft: WmsOrderDraft): Promise<{ orderId: number }> {
      const { orderId } = await registry
        .wms(tenantId)
        .upsertOrder({ ...draft, goodsOwnerId: registry.get(tenantId).wms.goodsOwnerId });
      return { orderId };
    },

    async cancelWmsOrder(tenantId: string, orderId: number): Promise<void> {
      const client = registry.wms(tenantId);
      const current = await client.getOrder(orderId);
      if (current.orderInfo.orderStatus.number === WmsStatus.Cancelled) return;
      await client.cancelOrder(orderId);
    },

    async markWmsOrderReported(tenantId: string, orderId: number): Promise<void> {
      return registry.wms(tenantId).markOrderReported(orderId);
    },
  };
}
