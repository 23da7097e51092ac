// The order rules as plain functions: which Fortnox orders go to the warehouse, how a Fortnox order becomes a WMS
// order, when a change may still reach the WMS, and how what the warehouse sent becomes delivered quantities.
import type { OrderSelection } from './settings';

/** The parts of a Fortnox order (`GET /3/orders/{DocumentNumber}`) the integration uses, with clean types. */
export interface OrderSnapshot {
  DocumentNumber: string;
  CustomerNumber: string;
  CustomerName: string;
  OrderDate?: string;
  DeliveryDate?: string;
  YourOrderNumber?: string;
  YourReference?: string;
  Remarks?: string;
  Cancelled: boolean;
  Sent: boolean;
  /** Invoice number, or null when the order has none (Fortnox sends "0"). */
  InvoiceReference: string | null;
  /** Present only when Fortnox Lager is active for the tenant. */
  DeliveryState?: 'registration' | 'reservation' | 'delivery';
  DeliveryName?: string;
  DeliveryAddress1?: string;
  DeliveryAddress2?: string;
  DeliveryZipCode?: string;
  DeliveryCity?: string;
  DeliveryCountry?: string;
  Phone1?: string;
  EmailAddressTo?: string;
  OrderRows: OrderRowSnapshot[];
}

export interface OrderRowSnapshot {
  /** Changes on every update of the order: valid only for the read it came from. */
  RowId: number;
  ArticleNumber: string | null;
  Description: string;
  OrderedQuantity: number;
  DeliveredQuantity: number;
  Unit?: string;
}

/**
 * The WMS order we keep in step with the Fortnox order: Ongoing's PostOrderModel (`PUT /orders`) without goodsOwnerId,
 * only with fields that model has (a field it lacks is silently dropped by Ongoing).
 */
export interface WmsOrderDraft {
  orderNumber: string;
  /** Required by Ongoing: Fortnox's DeliveryDate, or its OrderDate when the order has none (YYYY-MM-DD). */
  deliveryDate?: string;
  orderRemark?: string;
  /** The customer's own order number (Fortnox YourOrderNumber). */
  consigneeOrderNumber?: string;
  /** Required by Ongoing. It has no e-mail or phone fields: those travel in the notification objects below. */
  consignee: {
    customerNumber: string;
    name: string;
    address1?: string;
    address2?: string;
    postCode?: string;
    city?: string;
    countryCode?: string;
  };
  /**
   * rowNumber is the 1-based position of the Fortnox row as a string (Ongoing's rowNumber is a string), stable across
   * Fortnox's RowId renumbering.
   */
  orderLines: { rowNumber: string; articleNumber: string; numberOfItems: number; comment?: string }[];
  /** Ongoing's notification objects: whether the WMS tells the consignee, and at which e-mail address or phone number. */
  emailNotification: { toBeNotified: boolean; value?: string };
  smsNotification: { toBeNotified: boolean; value?: string };
}

export type SelectionVerdict = { selected: true } | { selected: false; reason: string };

export function checkSelection(
  order: Pick<OrderSnapshot, 'Cancelled' | 'Sent' | 'InvoiceReference'>,
  rules: OrderSelection,
): SelectionVerdict {
  if (rules.excludeCancelled && order.Cancelled)
    return { selected: false, reason: 'the order is cancelled in Fortnox' };
  if (rules.excludeInvoiced && order.InvoiceReference) {
    return { selected: false, reason: `the order is already invoiced (invoice ${order.InvoiceReference})` };
  }
  if (rules.requireConfirmationSent && !order.Sent) {
    return { selected: false, reason: 'the order confirmation has not been sent (Fortnox Sent is false)' };
  }
  return { selected: true };
}

const COUNTRY_CODES: Record<string, string> = {
  sverige: 'SE',
  sweden: 'SE',
  norge: 'NO',
  norway: 'NO',
  danmark: 'DK',
  denmark: 'DK',
  finland: 'FI',
  suomi: 'FI',
  tyskland: 'DE',
  germany: 'DE',
  deutschland: 'DE',
};

/** Fortnox stores the country as a name ("Sverige"); the WMS wants an ISO code. Unknown names pass through. */
export function countryCode(country: string | undefined): string | undefined {
  if (!country) return undefined;
  const trimmed = country.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) return trimmed.toUpperCase();
  return COUNTRY_CODES[trimmed.toLowerCase()] ?? trimmed;
}

/** Rows the warehouse handles: an article and a positive quantity (text rows and zero rows stay in Fortnox). */
export function isWarehouseRow(row: OrderRowSnapshot): row is OrderRowSnapshot & { ArticleNumber: string } {
  return row.ArticleNumber !== null && row.ArticleNumber !== '' && row.OrderedQuantity > 0;
}

export function toWmsOrder(order: OrderSnapshot, notification: { sms: boolean; email: boolean }): WmsOrderDraft {
  return {
    orderNumber: order.DocumentNumber,
    // Ongoing requires a delivery date; a Fortnox order often has none, but always has its order date. (Not "today":
    // the draft must come out the same every time the order is read, or every read would look like a change.)
    deliveryDate: order.DeliveryDate || order.OrderDate || undefined,
    orderRemark: order.Remarks || undefined,
    consigneeOrderNumber: order.YourOrderNumber || undefined,
    consignee: {
      customerNumber: order.CustomerNumber,
      name: order.DeliveryName || order.CustomerName,
      address1: order.DeliveryAddress1 || undefined,
      address2: order.DeliveryAddress2 || undefined,
      postCode: order.DeliveryZipCode || undefined,
      city: order.DeliveryCity || undefined,
      countryCode: countryCode(order.DeliveryCountry),
    },
    orderLines: order.OrderRows.flatMap((row, index) =>
      isWarehouseRow(row)
        ? [
            {
              rowNumber: String(index + 1),
              articleNumber: row.ArticleNumber,
              numberOfItems: row.OrderedQuantity,
              comment: row.Description || undefined,
            },
          ]
        : [],
    ),
    emailNotification: { toBeNotified: notification.email, value: order.EmailAddressTo || undefined },
    smsNotification: { toBeNotified: notification.sms, value: order.Phone1 || undefined },
  };
}

/**
 * A draft as the current model has it. Drafts carried by long-running workflows may come from before the model was
 * aligned with Ongoing's: numeric rowNumbers, fields Ongoing never knew (goodsOwnerOrderReference, consignee e-mail and
 * phone), and no deliveryDate where Fortnox had none. Those differences are not changes of the order.
 */
function comparable(draft: WmsOrderDraft, current?: WmsOrderDraft): WmsOrderDraft {
  const legacy = draft as WmsOrderDraft & {
    goodsOwnerOrderReference?: string;
    consignee: { mobilePhone?: string; email?: string };
  };
  const { goodsOwnerOrderReference: _reference, ...rest } = legacy;
  const { mobilePhone: _phone, email: _email, ...consignee } = legacy.consignee;
  return {
    ...rest,
    deliveryDate: draft.deliveryDate ?? current?.deliveryDate,
    consigneeOrderNumber: draft.consigneeOrderNumber ?? _reference,
    consignee,
    orderLines: draft.orderLines.map((line) => ({ ...line, rowNumber: String(line.rowNumber) })),
  };
}

/** True when the WMS already holds what `after` would send, given that it was last sent `before`. */
export function sameForWms(before: WmsOrderDraft, after: WmsOrderDraft): boolean {
  return wmsFingerprint(comparable(before, after)) === wmsFingerprint(comparable(after));
}

/** A stable text of everything the WMS sees of an order: equal fingerprints mean nothing to send. */
export function wmsFingerprint(draft: WmsOrderDraft): string {
  const sortKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .flatMap((k) => {
            const v = (value as Record<string, unknown>)[k];
            return v === undefined ? [] : [[k, sortKeys(v)]];
          }),
      );
    }
    return value;
  };
  return JSON.stringify(sortKeys(draft));
}

/** Lists what differs between two drafts, for the action log an operator reads. */
export function describeChanges(previous: WmsOrderDraft, next: WmsOrderDraft): string[] {
  const before = comparable(previous, next);
  const after = comparable(next);
  const changes: string[] = [];
  const fields: (keyof WmsOrderDraft)[] = [
    'deliveryDate',
    'orderRemark',
    'consigneeOrderNumber',
    'consignee',
    'emailNotification',
    'smsNotification',
  ];
  for (const field of fields) {
    if (
      wmsFingerprint({ [field]: before[field] } as unknown as WmsOrderDraft) !==
      wmsFingerprint({ [field]: after[field] } as unknown as WmsOrderDraft)
    )
      changes.push(`${field} changed`);
  }
  const lines = (d: WmsOrderDraft) => new Map(d.orderLines.map((l) => [l.rowNumber, l]));
  const a = lines(before);
  const b = lines(after);
  for (const [rowNumber, line] of b) {
    const old = a.get(rowNumber);
    if (!old) changes.push(`row ${rowNumber} added: ${line.numberOfItems} × ${line.articleNumber}`);
    else if (old.articleNumber !== line.articleNumber || old.numberOfItems !== line.numberOfItems) {
      changes.push(
        `row ${rowNumber}: ${old.numberOfItems} × ${old.articleNumber} → ${line.numberOfItems} × ${line.articleNumber}`,
      );
    }
  }
  for (const [rowNumber, line] of a)
    if (!b.has(rowNumber)) changes.push(`row ${rowNumber} removed: ${line.articleNumber}`);
  return changes;
}

/** Ongoing WMS order statuses (texts are localised; the number is the contract). */
export const WmsStatus = {
  Error: 150,
  Open: 200,
  Released: 300,
  Allocated: 320,
  Picked: 400,
  Sent: 450,
  Collected: 500,
  Returned: 800,
  Cancelled: 1000,
} as const;

/** "You may not update or cancel an order after the warehouse has started working on it." */
export function warehouseHasStarted(statusNumber: number): boolean {
  return statusNumber > WmsStatus.Open && statusNumber !== WmsStatus.Cancelled;
}

/** Whether the warehouse has reached the point at which fulfilment is reported to Fortnox. */
export function readyToReport(statusNumber: number, reportOn: 'sent' | 'picked'): boolean {
  if (statusNumber === WmsStatus.Cancelled) return false;
  return statusNumber >= (reportOn === 'sent' ? WmsStatus.Sent : WmsStatus.Picked);
}

/** What the warehouse picked per line, as the WMS reports it. */
export interface PickedLine {
  /** Our rowNumber ("1", "2": the Fortnox row's position); null on a line the warehouse added itself. */
  rowNumber: string | number | null;
  articleNumber: string;
  pickedNumberOfItems: number;
}

/** The Fortnox position a WMS line stands for, when its rowNumber is one of ours. */
function positionOf(line: PickedLine): number | undefined {
  const text = line.rowNumber === null ? '' : String(line.rowNumber);
  return /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
}

export interface DeliveredRow {
  /** 1-based position of the row on the fresh Fortnox order. */
  position: number;
  ArticleNumber: string;
  OrderedQuantity: number;
  DeliveredQuantity: number;
}

export class RowMatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowMatchError';
  }
}

/**
 * Matches the warehouse's picked lines to the rows of a fresh Fortnox read: by position first (our rowNumber), then by
 * article among rows not yet matched, because rows may have moved in Fortnox since the order went to the warehouse.
 */
export function deliveredRows(order: OrderSnapshot, picked: PickedLine[]): DeliveredRow[] {
  const delivered = new Map<number, number>();
  const unmatched: PickedLine[] = [];
  for (const line of picked) {
    const position = positionOf(line);
    const row = position === undefined ? undefined : order.OrderRows[position - 1];
    if (position !== undefined && row && row.ArticleNumber === line.articleNumber && !delivered.has(position)) {
      delivered.set(position, line.pickedNumberOfItems);
    } else unmatched.push(line);
  }
  // Lines that moved in Fortnox, and lines the warehouse added (no rowNumber): matched by article.
  for (const line of unmatched) {
    if (line.pickedNumberOfItems === 0) continue;
    const index = order.OrderRows.findIndex(
      (row, i) => row.ArticleNumber === line.articleNumber && !delivered.has(i + 1),
    );
    if (index < 0) {
      const which = line.rowNumber === null ? 'a line added in the WMS' : `line ${line.rowNumber}`;
      throw new RowMatchError(
        `the warehouse picked ${line.pickedNumberOfItems} × ${line.articleNumber} (${which}), ` +
          `but the Fortnox order has no unmatched row with that article`,
      );
    }
    delivered.set(index + 1, line.pickedNumberOfItems);
  }
  return order.OrderRows.flatMap((row, index) =>
    isWarehouseRow(row)
      ? [
          {
            position: index + 1,
            ArticleNumber: row.ArticleNumber,
            OrderedQuantity: row.OrderedQuantity,
            DeliveredQuantity: delivered.get(index + 1) ?? 0,
          },
        ]
      : [],
  );
}

/**
 * The `OrderRows` of a PUT that sets delivered quantities: every row is sent with its RowId from the same fresh read
 * (a row left out would be removed), with DeliveredQuantity only on the warehouse rows.
 */
export function deliveredRowsPatch(
  order: OrderSnapshot,
  rows: DeliveredRow[],
): { RowId: number; DeliveredQuantity?: number }[] {
  const byPosition = new Map(rows.map((r) => [r.position, r.DeliveredQuantity]));
  return order.OrderRows.map((row, index) => {
    const quantity = byPosition.get(index + 1);
    return quantity === undefined ? { RowId: row.RowId } : { RowId: row.RowId, DeliveredQuantity: quantity };
  });
}

export interface DeliveredDiscrepancy {
  position: number;
  ArticleNumber: string;
  sent: number;
  stored: number;
}

/** Compares what Fortnox stored with what we sent: Lager silently saves 0 for articles without stock. */
export function deliveredDiscrepancies(stored: OrderSnapshot, rows: DeliveredRow[]): DeliveredDiscrepancy[] {
  return rows.flatMap((row) => {
    const storedQuantity = stored.OrderRows[row.position - 1]?.DeliveredQuantity ?? 0;
    return storedQuantity === row.DeliveredQuantity
      ? []
      : [
          {
            position: row.position,
            ArticleNumber: row.ArticleNumber,
            sent: row.DeliveredQuantity,
            stored: storedQuantity,
          },
        ];
  });
}

export interface BackorderRow {
  position: number;
  ArticleNumber: string;
  remaining: number;
}

export function backorder(rows: DeliveredRow[]): BackorderRow[] {
  return rows.flatMap((row) =>
    row.DeliveredQuantity < row.OrderedQuantity
      ? [
          {
            position: row.position,
            ArticleNumber: row.ArticleNumber,
            remaining: row.OrderedQuantity - row.DeliveredQuantity,
          },
        ]
      : [],
  );
}

/**
 * The order workflow's one-glance summary for the Web UI (markdown): order, customer and stage, and why it needs
 * attention when it does. No names or addresses: the Web UI is for operators, not for the customer register.
 */
export function orderSummary(order: {
  documentNumber: string;
  customerNumber: string | undefined;
  stage: string;
  attention: string | null;
}): string {
  const customer = order.customerNumber ? ` · customer ${order.customerNumber}` : '';
  const attention = order.attention ? `\n\nNeeds attention: ${order.attention}` : '';
  return `**Order ${order.documentNumber}**${customer} · ${order.stage}${attention}`;
}

/** Longest order number taken from outside (a webhook, the WMS): Fortnox DocumentNumbers are far shorter. */
export const MAX_ORDER_NUMBER_LENGTH = 50;

/**
 * Why a WMS order number cannot name an order workflow, or undefined when it can. It becomes part of a workflow id, so
 * a huge or control-character value from a webhook must stop at the door rather than travel to Temporal.
 */
export function orderNumberProblem(orderNumber: string): string | undefined {
  if (orderNumber.length === 0) return 'expected a non-empty order number';
  if (orderNumber.length > MAX_ORDER_NUMBER_LENGTH)
    return `expected at most ${MAX_ORDER_NUMBER_LENGTH} characters, got ${orderNumber.length}`;
  if (/\p{C}/u.test(orderNumber)) return 'expected no control or invisible characters';
  return undefined;
}
