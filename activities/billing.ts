// 3PL invoicing activities: read what a goods owner's period is charged from the WMS's REST API (the charges on the
// orders shipped in it, and the price list on stock, adjustments and receipts) and plan its invoices (main queue),
// look the period's invoices up in the 3PL's own Fortnox, and create one invoice after looking its reference up again.
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  billingPeriodBounds,
  planBillingExport,
  UnknownFeeCodeError,
  type BillingExportPlan,
  type BillingInvoiceDraft,
  type BillingPeriod,
  type BillingSourcesRead,
  type ExistingBillingInvoice,
} from '../domain/billing';
import {
  addCharges,
  basesInUse,
  billingSpecification,
  inventoryAdjustmentCount,
  itemsInStock,
  receivedPurchaseOrderLineCount,
  stockDate,
  withinBounds,
  type ChargeGroup,
  type PriceBasis,
  type PriceList,
} from '../domain/billing-sources';
import type { FortnoxClient } from './fortnox/client';
import type { FortnoxInvoiceListItem } from './fortnox/schemas';
import type { TenantRegistry } from './tenant-registry';
import { WMS_PAGE_SIZE, type WmsClient } from './wms/client';

export const UNKNOWN_FEE_CODE_FAILURE_TYPE = 'UnknownFeeCode';

/** The specification's version: the first 16 hex digits of the SHA-256 of its lines. */
const fingerprint = (content: string) => createHash('sha256').update(content).digest('hex').slice(0, 16);

/**
 * How far the walk over the period's shipped orders got, sent with every heartbeat: a retried attempt (a worker died,
 * the start-to-close timeout hit) resumes after the last order whose charges were added, not at the first order.
 */
interface ChargesProgress {
  /** The orderId to go on from (Ongoing's orderIdFrom is inclusive). */
  nextOrderId: number;
  orders: number;
  charges: ChargeGroup[];
}

/**
 * The charges booked on every order shipped in the period, grouped by fee code and price, one order at a time
 * (GET /orders?shippedTimeFrom&shippedTimeTo, then GET /orders/{orderId}/invoiceCharges each).
 */
async function readOrderCharges(
  wms: WmsClient,
  bounds: { from: string; to: string },
  context: Context,
): Promise<ChargesProgress> {
  const resumed = context.info.heartbeatDetails as ChargesProgress | undefined;
  let progress: ChargesProgress = resumed ?? { nextOrderId: 0, orders: 0, charges: [] };
  if (resumed)
    context.log.info("resuming the billing period's order charges", {
      nextOrderId: resumed.nextOrderId,
      orders: resumed.orders,
    });
  context.heartbeat(progress);
  const shipped = wms.orderPages(
    { shippedTimeFrom: bounds.from, shippedTimeTo: bounds.to },
    WMS_PAGE_SIZE,
    progress.nextOrderId,
  );
  for await (const page of shipped) {
    for (const order of page) {
      if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason ?? new Error('cancelled');
      const { orderId, shippedTime } = order.orderInfo;
      const charges = withinBounds(shippedTime, bounds) ? await wms.getOrderInvoiceCharges(orderId) : undefined;
      progress = {
        nextOrderId: orderId + 1,
        orders: progress.orders + (charges ? 1 : 0),
        charges: charges ? addCharges(progress.charges, charges) : progress.charges,
      };
      context.heartbeat(progress);
    }
  }
  return progress;
}

/** What each basis the price list uses counted in the period; a source nobody prices is not read. */
async function countPriceBases(
  wms: WmsClient,
  priceList: PriceList,
  bounds: { from: string; to: string },
  beat: () => void,
): Promise<{ counts: Partial<Record<PriceBasis, number>>; stockDate?: string }> {
  const bases = basesInUse(priceList);
  const counts: Partial<Record<PriceBasis, number>> = {};
  let readAt: string | undefined;
  if (bases.has('itemsInStock')) {
    // Stock at the period's end reads the same on every later run; inventoryPerWarehouse would only tell today's.
    readAt = stockDate(bounds, new Date());
    counts.itemsInStock = itemsInStock(await wms.getHistoricalInventory(readAt));
    beat();
  }
  if (bases.has('inventoryAdjustments')) {
    counts.inventoryAdjustments = inventoryAdjustmentCount(
      await wms.listInventoryAdjustments({ from: bounds.from, to: bounds.to }),
      bounds,
    );
    beat();
  }
  if (bases.has('receivedPurchaseOrderLines')) {
    let lines = 0;
    for await (const page of wms.purchaseOrderPages({
      lastReceiveTimeFrom: bounds.from,
      lastReceiveTimeTo: bounds.to,
    })) {
      lines += receivedPurchaseOrderLineCount(page);
      beat();
    }
    counts.receivedPurchaseOrderLines = lines;
  }
  return { counts, ...(readAt ? { stockDate: readAt } : {}) };
}

export interface CreatedBillingInvoice {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
  /** False when the reference was already there (an earlier attempt created it): nothing was created twice. */
  created: boolean;
  ExternalInvoiceReference2: string | null;
}

const toExisting = (i: FortnoxInvoiceListItem): ExistingBillingInvoice => ({
  DocumentNumber: i.DocumentNumber,
  ExternalInvoiceReference1: i.ExternalInvoiceReference1 ?? '',
  ExternalInvoiceReference2: i.ExternalInvoiceReference2 ?? null,
  Cancelled: i.Cancelled,
});

/** Fortnox's filter is documented, not its matching: compare exactly ourselves. */
async function invoicesWithReference(client: FortnoxClient, reference: string): Promise<ExistingBillingInvoice[]> {
  const items = await client.listAllInvoices({ externalInvoiceReference1: reference });
  return items.filter((i) => i.ExternalInvoiceReference1 === reference).map(toExisting);
}

/** Reading the period's billing sources from the WMS, for the main queue. */
export function createBillingReadActivities(registry: TenantRegistry) {
  return {
    /**
     * Reads the period's sources fresh from the WMS, builds the specification, and maps every line before anything is
     * planned, so an unknown fee code fails the export (non-retryable, naming the codes) before a single invoice
     * exists. Long-running (a call per shipped order): heartbeats per order and resumes from its last heartbeat. The
     * result is small: lines are per fee code and price, never per order.
     */
    async prepareBillingExport(tenantId: string, period: BillingPeriod): Promise<BillingExportPlan> {
      const billing = registry.billing(tenantId);
      const wms = registry.wms(tenantId);
      const context = Context.current();
      const bounds = billingPeriodBounds(period);
      const orders = billing.orderCharges ? await readOrderCharges(wms, bounds, context) : undefined;
      const beat = () => context.heartbeat(orders);
      const priced = await countPriceBases(wms, billing.priceList, bounds, beat);
      const spec = billingSpecification(
        { goodsOwnerId: wms.goodsOwnerId, period, charges: orders?.charges ?? [], counts: priced.counts },
        billing.priceList,
        fingerprint,
      );
      const sources: BillingSourcesRead = {
        ...bounds,
        ...(orders ? { ordersShipped: orders.orders } : {}),
        ...(priced.stockDate ? { stockDate: priced.stockDate } : {}),
        counts: priced.counts,
      };
      context.log.info('billing period read', {
        tenantId,
        period: period.period,
        ...sources,
        lines: spec.lines.length,
      });
      try {
        const plan = planBillingExport(spec, {
          tenantId,
          CustomerNumber: billing.customerNumber,
          period,
          feeMapping: billing.feeMapping,
          maxRowsPerInvoice: billing.maxRowsPerInvoice,
        });
        return { ...plan, sources };
      } catch (err) {
        if (err instanceof UnknownFeeCodeError) {
          throw ApplicationFailure.create({
            type: UNKNOWN_FEE_CODE_FAILURE_TYPE,
            message: err.message,
            nonRetryable: true,
            details: [{ feeCodes: err.feeCodes, tenantId, period: period.period }],
          });
        }
        throw err;
      }
    },

    /** Every invoice in the 3PL's Fortnox under one of the given ExternalInvoiceReference1 values (cancelled too). */
  };
}

/** Finding and creating billing invoices in Fortnox, for the tenant's Fortnox queue. */
export function createBillingInvoiceActivities(registry: TenantRegistry) {
  return {
    async findBillingInvoices(tenantId: string, references: string[]): Promise<ExistingBillingInvoice[]> {
      const client = registry.billingFortnox(tenantId);
      const found: ExistingBillingInvoice[] = [];
      for (const reference of references) found.push(...(await invoicesWithReference(client, reference)));
      return found;
    },

    /**
     * Creates one invoice unless its ExternalInvoiceReference1 is already there (Fortnox has no idempotency key, so a
     * retry after a lost answer must find the first attempt's invoice instead of creating a second).
     */
    async createBillingInvoice(tenantId: string, draft: BillingInvoiceDraft): Promise<CreatedBillingInvoice> {
      const client = registry.billingFortnox(tenantId);
      const [already] = (await invoicesWithReference(client, draft.ExternalInvoiceReference1)).filter(
        (i) => !i.Cancelled,
      );
      if (already) return { ...already, created: false };
      const invoice = await client.createInvoice({
        CustomerNumber: draft.CustomerNumber,
        ExternalInvoiceReference1: draft.ExternalInvoiceReference1,
        ExternalInvoiceReference2: draft.ExternalInvoiceReference2,
        ...(draft.Currency ? { Currency: draft.Currency } : {}),
        InvoiceRows: draft.InvoiceRows.map(({ feeCode: _feeCode, net: _net, ...row }) => row),
      });
      return {
        DocumentNumber: invoice.DocumentNumber,
        ExternalInvoiceReference1: draft.ExternalInvoiceReference1,
        ExternalInvoiceReference2: invoice.ExternalInvoiceReference2 ?? null,
        created: true,
      };
    },
  };
}
