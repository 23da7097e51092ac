// What a goods owner's billing period amounts to, from what Ongoing's REST API reports: the charges the warehouse
// booked on the orders shipped in the period (GET /orders/{orderId}/invoiceCharges), and the tenant's price list
// applied to stock at the period's end, inventory adjustments and received purchase-order lines. Pure functions; the
// activity (activities/billing.ts) does the reading, and the hashing (the domain uses no Node built-ins).
import { z } from 'zod';
import type { BillingPeriod, BillingSpecificationView } from './billing';
import { FORTNOX_ROW_DESCRIPTION_MAX } from './fortnox-invoice';

// ---- the price list (tenant config) ----

/** What a price-list entry counts in the period. Each is read from one REST v1 endpoint. */
export const PRICE_BASES = {
  /** Items in stock at the period's end, summed over articles (GET /articles/historicalInventory). */
  itemsInStock: 'Items in stock at period end',
  /** Inventory adjustments made in the period (GET /inventoryAdjustments, one per adjustment). */
  inventoryAdjustments: 'Inventory adjustments',
  /** Lines with received items on purchase orders last received in the period (GET /purchaseOrders). */
  receivedPurchaseOrderLines: 'Received purchase-order lines',
} as const;
export type PriceBasis = keyof typeof PRICE_BASES;

const bases = Object.keys(PRICE_BASES) as [PriceBasis, ...PriceBasis[]];

export const priceListEntrySchema = z.strictObject({
  basis: z.enum(bases, { error: `expected one of ${bases.join(', ')}` }),
  /** Per counted unit, excl. VAT, in the invoice's currency (the customer's in Fortnox). */
  unitPrice: z.number().nonnegative(),
  /** The line's text when the fee mapping gives none; default: what the basis counts. */
  description: z.string().min(1).max(FORTNOX_ROW_DESCRIPTION_MAX).optional(),
});
export type PriceListEntry = z.infer<typeof priceListEntrySchema>;

/** Fee code → how the period charge is priced. Its codes need feeMapping entries like the WMS's own codes. */
export const priceListSchema = z.record(z.string().min(1), priceListEntrySchema);
export type PriceList = z.infer<typeof priceListSchema>;

/** The bases a price list needs read: a source nobody prices is not read at all. */
export function basesInUse(priceList: PriceList): Set<PriceBasis> {
  return new Set(Object.values(priceList).map((entry) => entry.basis));
}

// ---- per-order charges ----

/** GetOrderInvoiceChargeModel as far as billing reads it. */
export interface OrderInvoiceCharge {
  price: number;
  numberOfItems: number;
  invoiceArticle?: { invoiceArticleId?: number | null; code?: string | null; title?: string | null } | null;
}

/** Charges summed per fee code and price: a few lines however many orders were shipped. */
export interface ChargeGroup {
  feeCode: string;
  description: string;
  unitPrice: number;
  quantity: number;
}

/** Sums of floats (0.1 + 0.2) kept to what a quantity or price can mean. */
const tidy = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * The fee code of a charge: its invoice article's code. An article without a code is known by its id ("#12"), a charge
 * without an article as "(no invoice article)": either stops the export as an unknown fee code until it is mapped.
 */
export function chargeFeeCode(charge: OrderInvoiceCharge): string {
  const article = charge.invoiceArticle;
  if (article?.code) return article.code;
  if (article?.invoiceArticleId !== undefined && article.invoiceArticleId !== null)
    return `#${article.invoiceArticleId}`;
  return '(no invoice article)';
}

/** Adds one order's charges to the groups (a new array; the groups are JSON, so they can travel in a heartbeat). */
export function addCharges(groups: readonly ChargeGroup[], charges: readonly OrderInvoiceCharge[]): ChargeGroup[] {
  const next = groups.map((g) => ({ ...g }));
  for (const charge of charges) {
    const feeCode = chargeFeeCode(charge);
    const group = next.find((g) => g.feeCode === feeCode && g.unitPrice === charge.price);
    if (group) group.quantity = tidy(group.quantity + charge.numberOfItems);
    else
      next.push({
        feeCode,
        description: charge.invoiceArticle?.title || feeCode,
        unitPrice: charge.price,
        quantity: charge.numberOfItems,
      });
  }
  return next;
}

// ---- what the price list's bases count ----

/** Items in stock over every article (a negative balance counts as none). */
export function itemsInStock(inventory: readonly { articles: readonly { numberOfItems: number }[] }[]): number {
  return tidy(inventory.flatMap((entry) => entry.articles).reduce((sum, a) => sum + Math.max(0, a.numberOfItems), 0));
}

/**
 * Whether a moment the WMS reported lies in [from, to). The WMS is asked for exactly that, but Ongoing documents its
 * time filters as "after" and "before" in words only, so the boundaries are checked here too. A moment not reported
 * (null) is left to the WMS's filter.
 */
export function withinBounds(time: string | null | undefined, bounds: { from: string; to: string }): boolean {
  if (!time) return true;
  const t = Date.parse(time);
  return t >= Date.parse(bounds.from) && t < Date.parse(bounds.to);
}

/** Adjustments made in [from, to). */
export function inventoryAdjustmentCount(
  lines: readonly { inventoryAdjustments: readonly { inventoryTime: string }[] }[],
  bounds: { from: string; to: string },
): number {
  return lines.flatMap((l) => l.inventoryAdjustments).filter((a) => withinBounds(a.inventoryTime, bounds)).length;
}

/** Purchase-order lines with something received (the purchase orders listed are those last received in the period). */
export function receivedPurchaseOrderLineCount(
  purchaseOrders: readonly { purchaseOrderLines: readonly { receivedNumberOfItems: number }[] }[],
): number {
  return purchaseOrders.flatMap((po) => po.purchaseOrderLines).filter((l) => l.receivedNumberOfItems > 0).length;
}

/**
 * When stock is read for the period: at its end, so a later run reads the same; for a period not yet over (a dry run
 * of this month), now.
 */
export function stockDate(bounds: { to: string }, now: Date): string {
  return new Date(Math.min(Date.parse(bounds.to), now.getTime())).toISOString();
}

// ---- the specification ----

export interface BillingSources {
  goodsOwnerId: number;
  period: BillingPeriod;
  /** The per-order charges of the orders shipped in the period, grouped (addCharges). */
  charges: readonly ChargeGroup[];
  /** What each basis the price list uses counted in the period. */
  counts: Partial<Record<PriceBasis, number>>;
}

/** A hash of a text, e.g. the first 16 hex digits of its SHA-256 (activities/billing.ts). */
export type Fingerprint = (content: string) => string;

/**
 * The lines as one text, independent of their order: its fingerprint is the specification's version, which changes
 * exactly when what is billed changes.
 */
export function specificationContent(lines: BillingSpecificationView['lines']): string {
  return JSON.stringify(lines.map((l) => JSON.stringify([l.feeCode, l.unitPrice, l.quantity, l.description])).sort());
}

/**
 * The period's specification: one line per charge group (by fee code, then price), then one per price-list entry in
 * the price list's order, quantity from its basis and price from the list. Its id is `<goodsOwnerId>-<from>-<to>`, so
 * every run of the period has the same invoice reference.
 */
export function billingSpecification(
  sources: BillingSources,
  priceList: PriceList,
  fingerprint: Fingerprint,
): BillingSpecificationView {
  const chargeLines = [...sources.charges]
    .sort((a, b) => (a.feeCode < b.feeCode ? -1 : a.feeCode > b.feeCode ? 1 : a.unitPrice - b.unitPrice))
    .map((g) => ({ feeCode: g.feeCode, description: g.description, quantity: g.quantity, unitPrice: g.unitPrice }));
  const periodLines = Object.entries(priceList).map(([feeCode, entry]) => {
    const quantity = sources.counts[entry.basis];
    // The activity reads every basis in use: a missing count is a bug, never a zero.
    if (quantity === undefined) throw new Error(`No count for basis ${entry.basis} (price list entry ${feeCode})`);
    return {
      feeCode,
      description: entry.description ?? PRICE_BASES[entry.basis],
      quantity,
      unitPrice: entry.unitPrice,
    };
  });
  const lines = [...chargeLines, ...periodLines];
  const { goodsOwnerId, period } = sources;
  return {
    goodsOwnerId,
    periodFrom: period.from,
    periodTo: period.to,
    specificationId: `${goodsOwnerId}-${period.from}-${period.to}`,
    version: fingerprint(specificationContent(lines)),
    lines,
  };
}
