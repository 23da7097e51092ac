import { describe, expect, it } from 'vitest';
import {
  backorder,
  checkSelection,
  countryCode,
  deliveredDiscrepancies,
  deliveredRows,
  deliveredRowsPatch,
  describeChanges,
  sameForWms,
  readyToReport,
  RowMatchError,
  toWmsOrder,
  warehouseHasStarted,
  wmsFingerprint,
  type OrderSnapshot,
} from '../../domain/order';
import { defaultSettings } from '../../domain/settings';

const order = (overrides: Partial<OrderSnapshot> = {}): OrderSnapshot => ({
  DocumentNumber: '101',
  CustomerNumber: '1',
  CustomerName: 'Kund AB',
  Cancelled: false,
  Sent: true,
  InvoiceReference: null,
  DeliveryName: 'Lager Kund',
  DeliveryAddress1: 'Storgatan 1',
  DeliveryZipCode: '111 22',
  DeliveryCity: 'Stockholm',
  DeliveryCountry: 'Sverige',
  OrderRows: [
    { RowId: 11, ArticleNumber: 'A1', Description: 'Mugg', OrderedQuantity: 5, DeliveredQuantity: 0 },
    { RowId: 12, ArticleNumber: null, Description: 'Text row', OrderedQuantity: 0, DeliveredQuantity: 0 },
    { RowId: 13, ArticleNumber: 'B2', Description: 'Tallrik', OrderedQuantity: 2, DeliveredQuantity: 0 },
  ],
  ...overrides,
});

describe('order selection (seed defaults)', () => {
  const rules = defaultSettings().orderSelection;
  it('takes confirmed, non-invoiced, non-cancelled orders', () => {
    expect(checkSelection(order(), rules)).toEqual({ selected: true });
  });
  it.each([
    [{ Sent: false }, /confirmation has not been sent/],
    [{ Cancelled: true }, /cancelled/],
    [{ InvoiceReference: '55' }, /already invoiced \(invoice 55\)/],
  ])('skips %o with a reason', (change, reason) => {
    const verdict = checkSelection(order(change), rules);
    expect(verdict.selected).toBe(false);
    expect(!verdict.selected && verdict.reason).toMatch(reason);
  });
  it('lets the tenant pull unconfirmed orders when the rule is off', () => {
    expect(checkSelection(order({ Sent: false }), { ...rules, requireConfirmationSent: false }).selected).toBe(true);
  });
});

describe('Fortnox order → WMS order', () => {
  it('maps address, rows by position, and notification flags; text rows stay in Fortnox', () => {
    const draft = toWmsOrder(order(), { sms: false, email: true });
    expect(draft.orderNumber).toBe('101');
    expect(draft.consignee).toMatchObject({
      name: 'Lager Kund',
      address1: 'Storgatan 1',
      postCode: '111 22',
      city: 'Stockholm',
      countryCode: 'SE',
    });
    // Ongoing's rowNumber is a string.
    expect(draft.orderLines).toEqual([
      { rowNumber: '1', articleNumber: 'A1', numberOfItems: 5, comment: 'Mugg' },
      { rowNumber: '3', articleNumber: 'B2', numberOfItems: 2, comment: 'Tallrik' },
    ]);
    expect(draft.emailNotification).toEqual({ toBeNotified: true, value: undefined });
    expect(draft.smsNotification).toEqual({ toBeNotified: false, value: undefined });
  });
  it('ignores RowId renumbering when fingerprinting, but not a quantity change', () => {
    const a = toWmsOrder(order(), { sms: false, email: false });
    const renumbered = order();
    renumbered.OrderRows = renumbered.OrderRows.map((r) => ({ ...r, RowId: r.RowId + 100 }));
    expect(wmsFingerprint(toWmsOrder(renumbered, { sms: false, email: false }))).toBe(wmsFingerprint(a));
    const changed = order();
    changed.OrderRows[0] = { ...changed.OrderRows[0]!, OrderedQuantity: 7 };
    const b = toWmsOrder(changed, { sms: false, email: false });
    expect(wmsFingerprint(b)).not.toBe(wmsFingerprint(a));
    expect(describeChanges(a, b)).toEqual(['row 1: 5 × A1 → 7 × A1']);
  });
  it('describes removed rows and address changes', () => {
    const a = toWmsOrder(order(), { sms: false, email: false });
    const b = toWmsOrder(order({ DeliveryCity: 'Malmö', OrderRows: order().OrderRows.slice(0, 2) }), {
      sms: false,
      email: false,
    });
    expect(describeChanges(a, b)).toEqual(['consignee changed', 'row 3 removed: B2']);
  });
  it('always gives Ongoing its required delivery date: DeliveryDate, else the order date', () => {
    expect(
      toWmsOrder(order({ DeliveryDate: '2030-02-03', OrderDate: '2030-01-01' }), { sms: false, email: false })
        .deliveryDate,
    ).toBe('2030-02-03');
    expect(
      toWmsOrder(order({ DeliveryDate: undefined, OrderDate: '2030-01-01' }), { sms: false, email: false })
        .deliveryDate,
    ).toBe('2030-01-01');
  });
  it("sends only fields of Ongoing's order model: the customer's order number as consigneeOrderNumber, contact details in the notifications", () => {
    const draft = toWmsOrder(
      order({ YourOrderNumber: 'PO-9', Phone1: '0701234567', EmailAddressTo: 'kund@example.com' }),
      { sms: true, email: true },
    );
    expect(draft.consigneeOrderNumber).toBe('PO-9');
    expect(draft).not.toHaveProperty('goodsOwnerOrderReference');
    expect(Object.keys(draft.consignee).sort()).toEqual([
      'address1',
      'address2',
      'city',
      'countryCode',
      'customerNumber',
      'name',
      'postCode',
    ]);
    expect(draft.smsNotification).toEqual({ toBeNotified: true, value: '0701234567' });
    expect(draft.emailNotification).toEqual({ toBeNotified: true, value: 'kund@example.com' });
  });
  it('sees no change between a draft a running workflow carried from before the model change and the same order today', () => {
    const today = toWmsOrder(order({ YourOrderNumber: 'PO-9', Phone1: '070', EmailAddressTo: 'k@e.se' }), {
      sms: false,
      email: false,
    });
    const { consigneeOrderNumber: _c, deliveryDate: _d, ...rest } = today;
    const carried = {
      ...rest,
      goodsOwnerOrderReference: 'PO-9',
      consignee: { ...today.consignee, mobilePhone: '070', email: 'k@e.se' },
      orderLines: today.orderLines.map((l) => ({ ...l, rowNumber: Number(l.rowNumber) })),
    } as unknown as typeof today;
    expect(sameForWms(carried, today)).toBe(true);
    expect(describeChanges(carried, today)).toEqual([]);
    const changed = toWmsOrder(order({ YourOrderNumber: 'PO-10' }), { sms: false, email: false });
    expect(sameForWms(carried, changed)).toBe(false);
  });
  it('normalises country names to ISO codes', () => {
    expect(countryCode('Sverige')).toBe('SE');
    expect(countryCode('no')).toBe('NO');
    expect(countryCode(undefined)).toBeUndefined();
  });
});

describe('warehouse status rules', () => {
  it('counts everything past Open, except Cancelled, as started', () => {
    expect(warehouseHasStarted(200)).toBe(false);
    expect(warehouseHasStarted(150)).toBe(false);
    expect(warehouseHasStarted(300)).toBe(true);
    expect(warehouseHasStarted(450)).toBe(true);
    expect(warehouseHasStarted(1000)).toBe(false);
  });
  it('reports on sent by default, or on picked', () => {
    expect(readyToReport(400, 'sent')).toBe(false);
    expect(readyToReport(450, 'sent')).toBe(true);
    expect(readyToReport(400, 'picked')).toBe(true);
    expect(readyToReport(1000, 'picked')).toBe(false);
  });
});

describe('delivered quantities', () => {
  it('matches picked lines by position on the fresh read and keeps every row in the PUT', () => {
    const fresh = order();
    const rows = deliveredRows(fresh, [
      { rowNumber: 1, articleNumber: 'A1', pickedNumberOfItems: 5 },
      { rowNumber: 3, articleNumber: 'B2', pickedNumberOfItems: 1 },
    ]);
    expect(rows.map((r) => [r.position, r.DeliveredQuantity])).toEqual([
      [1, 5],
      [3, 1],
    ]);
    expect(deliveredRowsPatch(fresh, rows)).toEqual([
      { RowId: 11, DeliveredQuantity: 5 },
      { RowId: 12 },
      { RowId: 13, DeliveredQuantity: 1 },
    ]);
    expect(backorder(rows)).toEqual([{ position: 3, ArticleNumber: 'B2', remaining: 1 }]);
  });
  it('finds a row by article when rows moved in Fortnox since the order went to the warehouse', () => {
    const moved = order({ OrderRows: [order().OrderRows[2]!, order().OrderRows[0]!] });
    const rows = deliveredRows(moved, [
      { rowNumber: 1, articleNumber: 'A1', pickedNumberOfItems: 5 },
      { rowNumber: 3, articleNumber: 'B2', pickedNumberOfItems: 2 },
    ]);
    expect(rows).toEqual([
      { position: 1, ArticleNumber: 'B2', OrderedQuantity: 2, DeliveredQuantity: 2 },
      { position: 2, ArticleNumber: 'A1', OrderedQuantity: 5, DeliveredQuantity: 5 },
    ]);
  });
  it('refuses to guess when an article picked is not on the order', () => {
    expect(() => deliveredRows(order(), [{ rowNumber: 1, articleNumber: 'ZZ', pickedNumberOfItems: 1 }])).toThrow(
      RowMatchError,
    );
    expect(() => deliveredRows(order(), [{ rowNumber: null, articleNumber: 'ZZ', pickedNumberOfItems: 1 }])).toThrow(
      /added in the WMS/,
    );
  });
  it('matches a line the warehouse added (rowNumber null) by article, and ignores one that picked nothing', () => {
    const rows = deliveredRows(order(), [
      { rowNumber: '1', articleNumber: 'A1', pickedNumberOfItems: 5 },
      { rowNumber: null, articleNumber: 'B2', pickedNumberOfItems: 2 },
      { rowNumber: null, articleNumber: 'ZZ', pickedNumberOfItems: 0 },
    ]);
    expect(rows.map((r) => [r.position, r.DeliveredQuantity])).toEqual([
      [1, 5],
      [3, 2],
    ]);
  });
  it('surfaces what Fortnox did not store (the Lager zeroing trap)', () => {
    const rows = deliveredRows(order(), [{ rowNumber: 1, articleNumber: 'A1', pickedNumberOfItems: 5 }]);
    const stored = order();
    expect(deliveredDiscrepancies(stored, rows)).toEqual([{ position: 1, ArticleNumber: 'A1', sent: 5, stored: 0 }]);
    stored.OrderRows[0] = { ...stored.OrderRows[0]!, DeliveredQuantity: 5 };
    expect(deliveredDiscrepancies(stored, rows)).toEqual([]);
  });
});
