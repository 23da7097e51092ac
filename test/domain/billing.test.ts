// 3PL invoicing rules: periods, the specification from the WMS's REST sources and the price list, fee mapping,
// references, the 500-row split and the export decision.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  billingPeriod,
  billingPeriodBounds,
  BillingPeriodError,
  billingRows,
  closedBillingPeriod,
  decideBillingExport,
  isClosedBillingPeriod,
  planBillingExport,
  referencesToLookUp,
  splitRows,
  UnknownFeeCodeError,
  versionFromMarker,
  type BillingSpecificationView,
  type ExistingBillingInvoice,
} from '../../domain/billing';
import type { FeeMapping } from '../../domain/fee-mapping';
import { FORTNOX_MAX_INVOICE_ROWS } from '../../domain/fortnox-invoice';
import {
  addCharges,
  basesInUse,
  billingSpecification,
  chargeFeeCode,
  inventoryAdjustmentCount,
  itemsInStock,
  priceListSchema,
  receivedPurchaseOrderLineCount,
  stockDate,
  withinBounds,
  type BillingSources,
  type ChargeGroup,
  type OrderInvoiceCharge,
  type PriceList,
} from '../../domain/billing-sources';

const mapping: FeeMapping = {
  STORAGE: { articleNumber: 'LAGER', description: 'Lagerhållning', unit: 'dag', vat: 25, accountNumber: 3041 },
  ORDER: { description: 'Orderhantering', vat: 25 },
  PICKLINE: {},
};

const spec = (lines: BillingSpecificationView['lines'], version = 'v1'): BillingSpecificationView => ({
  goodsOwnerId: 7,
  periodFrom: '2026-10-01',
  periodTo: '2026-10-31',
  specificationId: '7-2026-10-01-2026-10-31',
  version,
  currency: 'SEK',
  lines,
});

const line = (feeCode: string, quantity: number, unitPrice = 10) => ({
  feeCode,
  description: `${feeCode} from the WMS`,
  quantity,
  unitPrice,
});

const options = { tenantId: 'acme', CustomerNumber: '1001', period: billingPeriod('2026-10'), feeMapping: mapping };

describe('billing periods', () => {
  it('are calendar months with their first and last day', () => {
    expect(billingPeriod('2026-10')).toEqual({ period: '2026-10', from: '2026-10-01', to: '2026-10-31' });
    expect(billingPeriod('2028-02').to).toBe('2028-02-29');
    expect(billingPeriod('2026-02').to).toBe('2026-02-28');
    expect(() => billingPeriod('2026-13')).toThrow(BillingPeriodError);
    expect(() => billingPeriod('2026-1')).toThrow(/expected YYYY-MM/);
  });

  it('closed at period close: the month before, on Stockholm wall-clock time', () => {
    // 1 November 06:00 in Stockholm (CET) is 05:00 UTC: October closes.
    expect(closedBillingPeriod(new Date('2026-11-01T05:00:00Z')).period).toBe('2026-10');
    // 23:30 UTC on 31 October is already 1 November 00:30 in Stockholm.
    expect(closedBillingPeriod(new Date('2026-10-31T23:30:00Z')).period).toBe('2026-10');
    expect(closedBillingPeriod(new Date('2026-10-31T22:30:00Z')).period).toBe('2026-09');
    expect(closedBillingPeriod(new Date('2027-01-01T05:00:00Z')).period).toBe('2026-12');
  });

  it('may be exported only once closed: after its last day has ended in Stockholm, not by the UTC calendar', () => {
    const october = billingPeriod('2026-10');
    // 31 October 23:30 UTC is 1 November 00:30 in Stockholm (CET): October is over there, though not in UTC.
    expect(isClosedBillingPeriod(october, new Date('2026-10-31T23:00:00Z'))).toBe(true);
    expect(isClosedBillingPeriod(october, new Date('2026-10-31T22:59:59Z'))).toBe(false);
    expect(isClosedBillingPeriod(october, new Date('2026-10-15T12:00:00Z'))).toBe(false);
    // A month in the future is not closed; nor is one a summer month ends at CEST's midnight (22:00 UTC).
    expect(isClosedBillingPeriod(billingPeriod('2030-01'), new Date('2026-10-15T12:00:00Z'))).toBe(false);
    expect(isClosedBillingPeriod(billingPeriod('2026-07'), new Date('2026-07-31T21:59:59Z'))).toBe(false);
    expect(isClosedBillingPeriod(billingPeriod('2026-07'), new Date('2026-07-31T22:00:00Z'))).toBe(true);
  });
});

describe('the period as instants for the WMS', () => {
  it('runs from midnight to midnight in Stockholm, in UTC, across daylight saving time', () => {
    // October 2026: CEST (+2) on the 1st, CET (+1) from the 25th.
    expect(billingPeriodBounds(billingPeriod('2026-10'))).toEqual({
      from: '2026-09-30T22:00:00.000Z',
      to: '2026-10-31T23:00:00.000Z',
    });
    // March 2026: CET on the 1st, CEST from the 29th.
    expect(billingPeriodBounds(billingPeriod('2026-03'))).toEqual({
      from: '2026-02-28T23:00:00.000Z',
      to: '2026-03-31T22:00:00.000Z',
    });
    expect(billingPeriodBounds(billingPeriod('2026-12'))).toEqual({
      from: '2026-11-30T23:00:00.000Z',
      to: '2026-12-31T23:00:00.000Z',
    });
    expect(billingPeriodBounds(billingPeriod('2026-10'), 'UTC')).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
    });
  });

  it("reads stock at the period's end, or now while the period is not over", () => {
    const bounds = billingPeriodBounds(billingPeriod('2026-10'));
    expect(stockDate(bounds, new Date('2026-11-01T05:00:00Z'))).toBe('2026-10-31T23:00:00.000Z');
    expect(stockDate(bounds, new Date('2027-05-01T00:00:00Z'))).toBe('2026-10-31T23:00:00.000Z');
    expect(stockDate(bounds, new Date('2026-10-15T12:00:00Z'))).toBe('2026-10-15T12:00:00.000Z');
  });
});

describe("the specification from the WMS's sources", () => {
  const charge = (
    code: string | null,
    price: number,
    numberOfItems: number,
    title: string | null = `${code} title`,
  ): OrderInvoiceCharge => ({
    price,
    numberOfItems,
    invoiceArticle: code === null ? null : { invoiceArticleId: 5, code, title },
  });
  const priceList: PriceList = priceListSchema.parse({
    STORAGE: { basis: 'itemsInStock', unitPrice: 0.1, description: 'Lagerhållning' },
    ADJUSTMENT: { basis: 'inventoryAdjustments', unitPrice: 15 },
    INBOUND: { basis: 'receivedPurchaseOrderLines', unitPrice: 4 },
  });
  const sha256 = (content: string) => createHash('sha256').update(content).digest('hex').slice(0, 16);
  const specOf = (from: BillingSources, list: PriceList) => billingSpecification(from, list, sha256);
  const sources = (
    charges: ChargeGroup[],
    counts: BillingSources['counts'] = { itemsInStock: 1200, inventoryAdjustments: 2, receivedPurchaseOrderLines: 7 },
  ): BillingSources => ({ goodsOwnerId: 7, period: billingPeriod('2026-10'), charges, counts });

  it('groups per-order charges by invoice-article code and price, whatever the number of orders', () => {
    let groups: ChargeGroup[] = [];
    for (let order = 0; order < 1000; order++)
      groups = addCharges(groups, [charge('ORDER', 25, 1), charge('PICKLINE', 4, 3)]);
    groups = addCharges(groups, [charge('ORDER', 30, 1), charge('PICKLINE', 4, 0.5)]);
    expect(groups).toEqual([
      { feeCode: 'ORDER', description: 'ORDER title', unitPrice: 25, quantity: 1000 },
      { feeCode: 'PICKLINE', description: 'PICKLINE title', unitPrice: 4, quantity: 3000.5 },
      { feeCode: 'ORDER', description: 'ORDER title', unitPrice: 30, quantity: 1 },
    ]);
    // Quantities stay what they mean, not what floating point makes of their sum.
    expect(addCharges([], [charge('X', 1, 0.1), charge('X', 1, 0.2)])[0]!.quantity).toBe(0.3);
    // The groups given are not changed.
    const before = structuredClone(groups);
    addCharges(groups, [charge('ORDER', 25, 1)]);
    expect(groups).toEqual(before);
  });

  it("knows a charge by its invoice article's code, else its id, else as having none", () => {
    expect(chargeFeeCode(charge('PARCEL', 12, 1))).toBe('PARCEL');
    expect(chargeFeeCode({ price: 1, numberOfItems: 1, invoiceArticle: { invoiceArticleId: 12, code: null } })).toBe(
      '#12',
    );
    expect(chargeFeeCode(charge(null, 1, 1))).toBe('(no invoice article)');
    // Without a title the code describes the line.
    expect(addCharges([], [charge('PARCEL', 12, 1, null)])[0]!.description).toBe('PARCEL');
  });

  it('counts what the price list prices: stock, adjustments in the period, received purchase-order lines', () => {
    expect(
      itemsInStock([
        { articles: [{ numberOfItems: 120 }, { numberOfItems: -3 }] },
        { articles: [{ numberOfItems: 5.5 }] },
      ]),
    ).toBe(125.5);
    const bounds = billingPeriodBounds(billingPeriod('2026-10'));
    const adjustments = [
      { inventoryAdjustments: [{ inventoryTime: '2026-09-30T21:59:59Z' }, { inventoryTime: '2026-09-30T22:00:00Z' }] },
      { inventoryAdjustments: [{ inventoryTime: '2026-10-31T22:59:59Z' }, { inventoryTime: '2026-10-31T23:00:00Z' }] },
    ];
    expect(inventoryAdjustmentCount(adjustments, bounds)).toBe(2);
    // An order's shippedTime the same way; one the WMS did not report is left to its filter.
    expect(withinBounds('2026-10-31T22:59:59.999Z', bounds)).toBe(true);
    expect(withinBounds('2026-10-31T23:00:00.000Z', bounds)).toBe(false);
    expect(withinBounds(null, bounds)).toBe(true);
    expect(
      receivedPurchaseOrderLineCount([
        { purchaseOrderLines: [{ receivedNumberOfItems: 3 }, { receivedNumberOfItems: 0 }] },
        { purchaseOrderLines: [{ receivedNumberOfItems: 1 }] },
      ]),
    ).toBe(2);
    expect([...basesInUse(priceList)].sort()).toEqual([
      'inventoryAdjustments',
      'itemsInStock',
      'receivedPurchaseOrderLines',
    ]);
    expect(basesInUse({})).toEqual(new Set());
  });

  it('has a line per charge group, then per price-list entry, and the per-period identity', () => {
    const groups = addCharges([], [charge('PICKLINE', 4, 3), charge('ORDER', 25, 1), charge('ORDER', 20, 2)]);
    const spec = specOf(sources(groups), priceList);
    expect(spec).toMatchObject({
      goodsOwnerId: 7,
      periodFrom: '2026-10-01',
      periodTo: '2026-10-31',
      specificationId: '7-2026-10-01-2026-10-31',
    });
    expect(spec.lines).toEqual([
      { feeCode: 'ORDER', description: 'ORDER title', quantity: 2, unitPrice: 20 },
      { feeCode: 'ORDER', description: 'ORDER title', quantity: 1, unitPrice: 25 },
      { feeCode: 'PICKLINE', description: 'PICKLINE title', quantity: 3, unitPrice: 4 },
      { feeCode: 'STORAGE', description: 'Lagerhållning', quantity: 1200, unitPrice: 0.1 },
      { feeCode: 'ADJUSTMENT', description: 'Inventory adjustments', quantity: 2, unitPrice: 15 },
      { feeCode: 'INBOUND', description: 'Received purchase-order lines', quantity: 7, unitPrice: 4 },
    ]);
    // The reference every run of the period looks up: the same whatever the content.
    const plan = planBillingExport(spec, {
      ...options,
      feeMapping: { ORDER: {}, PICKLINE: {}, STORAGE: {}, ADJUSTMENT: {}, INBOUND: {} },
    });
    expect(plan.baseReference).toBe('3PL 7-2026-10-01-2026-10-31');
    expect(plan.invoices[0]!.ExternalInvoiceReference2).toBe(`spec ${spec.version}`);
    expect(plan.net).toBe(2 * 20 + 25 + 3 * 4 + 120 + 30 + 28);
    // Without a price list and without charges: nothing to invoice.
    expect(specOf(sources([], {}), {}).lines).toEqual([]);
  });

  it('versions the lines: the same content gives the same version, any change a new one', () => {
    const groups = addCharges([], [charge('ORDER', 25, 1), charge('PICKLINE', 4, 3)]);
    const spec = specOf(sources(groups), priceList);
    expect(specOf(sources([...groups].reverse()), priceList).version).toBe(spec.version);
    expect(spec.version).toMatch(/^[0-9a-f]{16}$/);
    const oneMoreOrder = addCharges(groups, [charge('ORDER', 25, 1)]);
    expect(specOf(sources(oneMoreOrder), priceList).version).not.toBe(spec.version);
    const moreStock = { itemsInStock: 1201, inventoryAdjustments: 2, receivedPurchaseOrderLines: 7 };
    expect(specOf(sources(groups, moreStock), priceList).version).not.toBe(spec.version);
    expect(
      specOf(sources(groups), { ...priceList, STORAGE: { ...priceList.STORAGE!, unitPrice: 0.2 } }).version,
    ).not.toBe(spec.version);
  });

  it('refuses a price list it has no count for, and a price list entry that is not one', () => {
    expect(() => specOf(sources([], { itemsInStock: 1 }), priceList)).toThrow(
      /No count for basis inventoryAdjustments/,
    );
    expect(
      priceListSchema.safeParse({ STORAGE: { basis: 'pallets', unitPrice: 1 } }).error?.issues[0]?.message,
    ).toMatch(/expected one of itemsInStock, inventoryAdjustments, receivedPurchaseOrderLines/);
    expect(priceListSchema.safeParse({ STORAGE: { basis: 'itemsInStock', unitPrice: -1 } }).success).toBe(false);
    expect(priceListSchema.safeParse({ STORAGE: { basis: 'itemsInStock', unitPrice: 1, price: 2 } }).success).toBe(
      false,
    );
  });
});

describe('fee mapping', () => {
  it('maps each line to a Fortnox row, mapped fields winning and the rest left to Fortnox', () => {
    const rows = billingRows(spec([line('STORAGE', 31, 15), line('ORDER', 3, 25), line('PICKLINE', 2, 4)]), mapping);
    expect(rows[0]).toEqual({
      feeCode: 'STORAGE',
      ArticleNumber: 'LAGER',
      Description: 'Lagerhållning',
      DeliveredQuantity: 31,
      Price: 15,
      Unit: 'dag',
      VAT: 25,
      AccountNumber: 3041,
      net: 465,
    });
    expect(rows[1]).toEqual({
      feeCode: 'ORDER',
      Description: 'Orderhantering',
      DeliveredQuantity: 3,
      Price: 25,
      VAT: 25,
      net: 75,
    });
    // No unit mapped: the WMS's unit is not sent (Fortnox refuses units outside its register).
    expect(rows[2]).toEqual({
      feeCode: 'PICKLINE',
      Description: 'PICKLINE from the WMS',
      DeliveredQuantity: 2,
      Price: 4,
      net: 8,
    });
  });

  it('refuses unknown fee codes, naming all of them, before mapping any row', () => {
    const error = (() => {
      try {
        billingRows(spec([line('STORAGE', 1), line('PARCEL', 2), line('ADJUSTMENT', 1), line('PARCEL', 1)]), mapping);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(UnknownFeeCodeError);
    expect((error as UnknownFeeCodeError).feeCodes).toEqual(['ADJUSTMENT', 'PARCEL']);
    expect((error as Error).message).toMatch(/fee codes ADJUSTMENT, PARCEL with no entry in the billing feeMapping/);
  });

  it('leaves out lines with nothing to charge and keeps credits', () => {
    const rows = billingRows(spec([line('ORDER', 0), line('STORAGE', -2)]), mapping);
    expect(rows.map((r) => [r.feeCode, r.net])).toEqual([['STORAGE', -20]]);
  });
});

describe('planning invoices', () => {
  it('makes one invoice with the specification as reference and its version in ExternalInvoiceReference2', () => {
    const plan = planBillingExport(spec([line('STORAGE', 31, 15), line('ORDER', 3, 25)]), options);
    expect(plan.invoices).toHaveLength(1);
    expect(plan.invoices[0]).toMatchObject({
      CustomerNumber: '1001',
      ExternalInvoiceReference1: '3PL 7-2026-10-01-2026-10-31',
      ExternalInvoiceReference2: 'spec v1',
      Currency: 'SEK',
      part: 1,
      parts: 1,
      net: 540,
      vat: 135,
      total: 675,
    });
    expect(versionFromMarker(plan.invoices[0]!.ExternalInvoiceReference2)).toBe('v1');
  });

  it('splits more than 500 rows into invoices of at most 500, each with its own reference, in order', () => {
    const lines = Array.from({ length: 1201 }, (_, i) => line('ORDER', i + 1, 1));
    const plan = planBillingExport(spec(lines), options);
    expect(plan.invoices.map((i) => i.InvoiceRows.length)).toEqual([500, 500, 201]);
    expect(plan.invoices.map((i) => i.ExternalInvoiceReference1)).toEqual(
      ['1', '2', '3'].map((p) => `3PL 7-2026-10-01-2026-10-31/${p}`),
    );
    expect(plan.invoices[2]!.ExternalInvoiceReference2).toBe('spec v1 part 3/3');
    expect(plan.invoices[1]!.InvoiceRows[0]!.DeliveredQuantity).toBe(501);
    expect(plan.net).toBe((1201 * 1202) / 2);
    expect(plan.net).toBe(plan.invoices.reduce((s, i) => s + i.net, 0));
    // Exactly 500 rows still fit one invoice.
    expect(planBillingExport(spec(lines.slice(0, FORTNOX_MAX_INVOICE_ROWS)), options).invoices).toHaveLength(1);
    expect(() => splitRows([1], 501)).toThrow(RangeError);
  });

  it('looks up the single reference and the first part whatever the split, so any earlier export is found', () => {
    const single = planBillingExport(spec([line('ORDER', 1)]), options);
    expect(referencesToLookUp(single)).toEqual(['3PL 7-2026-10-01-2026-10-31', '3PL 7-2026-10-01-2026-10-31/1']);
    const split = planBillingExport(spec([line('ORDER', 1), line('ORDER', 2), line('ORDER', 3)]), {
      ...options,
      maxRowsPerInvoice: 2,
    });
    expect(referencesToLookUp(split)).toEqual([
      '3PL 7-2026-10-01-2026-10-31',
      '3PL 7-2026-10-01-2026-10-31/1',
      '3PL 7-2026-10-01-2026-10-31/2',
    ]);
  });
});

describe('the export decision', () => {
  const threeParts = planBillingExport(spec([line('ORDER', 1), line('ORDER', 2), line('ORDER', 3)]), {
    ...options,
    maxRowsPerInvoice: 1,
  });
  const existing = (
    ref: string,
    marker: string,
    extra: Partial<ExistingBillingInvoice> = {},
  ): ExistingBillingInvoice => ({
    DocumentNumber: String(ref.length),
    ExternalInvoiceReference1: ref,
    ExternalInvoiceReference2: marker,
    Cancelled: false,
    ...extra,
  });
  const base = threeParts.baseReference;

  it('creates everything when nothing is there', () => {
    expect(decideBillingExport(threeParts, [])).toEqual({
      kind: 'create',
      toCreate: threeParts.invoices,
      existing: [],
    });
  });

  it('changes nothing when every part is there with the same version', () => {
    const found = [1, 2, 3].map((p) => existing(`${base}/${p}`, `spec v1 part ${p}/3`));
    expect(decideBillingExport(threeParts, found).kind).toBe('already-exported');
  });

  it('finishes an export that stopped between parts', () => {
    const decision = decideBillingExport(threeParts, [existing(`${base}/1`, 'spec v1 part 1/3')]);
    expect(decision.kind).toBe('create');
    expect(decision.kind === 'create' && decision.toCreate.map((i) => i.part)).toEqual([2, 3]);
  });

  it('flags a specification that changed after export and creates nothing', () => {
    const changed = planBillingExport(spec([line('ORDER', 5)], 'v2'), options);
    const decision = decideBillingExport(changed, [existing(base, 'spec v1')]);
    expect(decision.kind).toBe('changed-after-export');
    expect(decision.kind === 'changed-after-export' && decision.reason).toMatch(
      /changed after it was invoiced: exported version v1 .* now version v2/,
    );
    // Also when the new version would need a different number of invoices.
    expect(decideBillingExport(threeParts, [existing(base, 'spec v0')]).kind).toBe('changed-after-export');
  });

  it('flags a period split differently than before even at the same version', () => {
    const single = planBillingExport(spec([line('ORDER', 1), line('ORDER', 2), line('ORDER', 3)]), options);
    expect(decideBillingExport(single, [existing(`${base}/1`, 'spec v1 part 1/3')]).kind).toBe('changed-after-export');
  });

  it('ignores cancelled invoices and invoices of other references', () => {
    const found = [
      existing(base, 'spec v0', { Cancelled: true }),
      existing(`${base}-X`, 'spec v0'),
      existing(`${base}/a`, 'spec v0'),
    ];
    expect(decideBillingExport(threeParts, found).kind).toBe('create');
  });

  it('has nothing to invoice for an empty specification', () => {
    expect(decideBillingExport(planBillingExport(spec([line('ORDER', 0)]), options), []).kind).toBe(
      'nothing-to-invoice',
    );
  });
});
