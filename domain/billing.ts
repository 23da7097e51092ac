// 3PL invoicing as pure rules: the billing period, a goods owner's billing specification turned into Fortnox invoice
// rows by the fee mapping, each invoice's ExternalInvoiceReference1, splitting at Fortnox's 500-row limit, and the
// decision whether a period is still to invoice, already invoiced, or changed after it was exported. What the
// specification is built from (the WMS's REST data and the price list) is domain/billing-sources.ts.
import type { FeeMapping } from './fee-mapping';
import { FORTNOX_MAX_INVOICE_ROWS, FORTNOX_ROW_DESCRIPTION_MAX } from './fortnox-invoice';

export const BILLING_TIME_ZONE = 'Europe/Stockholm';

// ---- periods ----

/** A calendar month, the billing period: `period` is `YYYY-MM`, from/to are its first and last day (inclusive). */
export interface BillingPeriod {
  period: string;
  from: string;
  to: string;
}

export class BillingPeriodError extends Error {
  constructor(readonly input: string) {
    super(`Billing period "${input}" is not a month: expected YYYY-MM, e.g. 2026-10`);
    this.name = 'BillingPeriodError';
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

export function billingPeriod(period: string): BillingPeriod {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new BillingPeriodError(period);
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { period, from: `${period}-01`, to: `${period}-${pad(lastDay)}` };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant` (ms). */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows 00:00 on `date` (YYYY-MM-DD). */
function zonedMidnight(date: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  // The offset at the wall time read as UTC is off by the hours between; the offset at the first guess is right, as
  // no zone used here changes its offset at midnight.
  const guess = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(guess, timeZone));
}

/**
 * The period as instants for the WMS's time filters (Ongoing takes and gives UTC): from the first day's midnight up to,
 * not including, the midnight after the last day, both on the wall clock in `timeZone` (the period close's).
 */
export function billingPeriodBounds(period: BillingPeriod, timeZone = BILLING_TIME_ZONE): { from: string; to: string } {
  const [year, month] = period.period.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  return { from: zonedMidnight(period.from, timeZone).toISOString(), to: zonedMidnight(next, timeZone).toISOString() };
}

/** The month `instant` falls in, as read on a wall clock in `timeZone`. */
export function monthAt(instant: Date, timeZone = BILLING_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(
    instant,
  );
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/**
 * Whether a period is over: its last day has ended on a wall clock in `timeZone` (Stockholm, the period close's).
 * Only a closed period may be exported: an open month's charges and stock are still changing, so its invoice would be
 * wrong, and the scheduled close would later find it "changed after export".
 */
export function isClosedBillingPeriod(period: BillingPeriod, now: Date, timeZone = BILLING_TIME_ZONE): boolean {
  return now.getTime() >= Date.parse(billingPeriodBounds(period, timeZone).to);
}

/** The period a period-close run at `instant` invoices: the last full month before it, in Stockholm time. */
export function closedBillingPeriod(instant: Date, timeZone = BILLING_TIME_ZONE): BillingPeriod {
  const [year, month] = monthAt(instant, timeZone).split('-').map(Number) as [number, number];
  const previous = month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
  return billingPeriod(previous);
}

// ---- specification → invoices ----

/** What is billed to one goods owner for one period, line by line (built by domain/billing-sources.ts). */
export interface BillingSpecificationView {
  goodsOwnerId: number;
  periodFrom: string;
  periodTo: string;
  specificationId?: string | null;
  /** Changes whenever the specification's content changes. */
  version: string;
  currency?: string | null;
  lines: { feeCode: string; description: string; quantity: number; unitPrice: number }[];
}

/** One Fortnox invoice row (field names as in Fortnox), with the fee code it came from and its amount excl. VAT. */
export interface BillingInvoiceRow {
  feeCode: string;
  ArticleNumber?: string;
  Description: string;
  DeliveredQuantity: number;
  Price: number;
  Unit?: string;
  VAT?: number;
  AccountNumber?: number;
  net: number;
}

export interface BillingInvoiceDraft {
  CustomerNumber: string;
  /** The idempotency key: looked up in Fortnox before the invoice is created. */
  ExternalInvoiceReference1: string;
  /** Carries the specification's version, so a later run sees whether the specification changed since. */
  ExternalInvoiceReference2: string;
  Currency?: string;
  /** 1-based; `parts` > 1 only when the specification needed more than one invoice. */
  part: number;
  parts: number;
  InvoiceRows: BillingInvoiceRow[];
  /** Excl. VAT. */
  net: number;
  /** Of the rows with a mapped VAT; rows without one get the article's or Fortnox's default VAT. */
  vat: number;
  total: number;
}

/** What the WMS was read for (the dry run prints it): the period as instants, and what each source counted. */
export interface BillingSourcesRead {
  from: string;
  to: string;
  /** Orders shipped in the period whose invoice charges were read; absent when per-order charges are off. */
  ordersShipped?: number;
  /** When stock was read, if the price list prices it. */
  stockDate?: string;
  /** Per price basis in use, what it counted. */
  counts: Record<string, number>;
}

/** Everything that would be invoiced for one goods owner and period: what the dry run prints. */
export interface BillingExportPlan {
  tenantId: string;
  CustomerNumber: string;
  period: BillingPeriod;
  specificationId: string;
  version: string;
  /** ExternalInvoiceReference1 of a single invoice; parts add `/1`, `/2`, ... */
  baseReference: string;
  invoices: BillingInvoiceDraft[];
  net: number;
  vat: number;
  total: number;
  /** Absent in plans made before the specification was read from REST sources. */
  sources?: BillingSourcesRead;
}

export class UnknownFeeCodeError extends Error {
  constructor(readonly feeCodes: string[]) {
    super(
      `The billing specification has fee code${feeCodes.length > 1 ? 's' : ''} ${feeCodes.join(', ')} with no entry ` +
        'in the billing feeMapping: add a mapping (article number or description, unit, VAT, account) and run the period again. ' +
        'Nothing was invoiced.',
    );
    this.name = 'UnknownFeeCodeError';
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Every line mapped, or an UnknownFeeCodeError naming all unmapped codes; lines with quantity 0 are not invoiced. */
export function billingRows(spec: BillingSpecificationView, mapping: FeeMapping): BillingInvoiceRow[] {
  const unknown = [...new Set(spec.lines.map((l) => l.feeCode).filter((code) => !Object.hasOwn(mapping, code)))];
  if (unknown.length) throw new UnknownFeeCodeError(unknown.sort());
  return spec.lines
    .filter((line) => line.quantity !== 0)
    .map((line) => {
      const fee = mapping[line.feeCode]!;
      return {
        feeCode: line.feeCode,
        ...(fee.articleNumber ? { ArticleNumber: fee.articleNumber } : {}),
        Description: (fee.description ?? line.description).slice(0, FORTNOX_ROW_DESCRIPTION_MAX),
        DeliveredQuantity: line.quantity,
        Price: line.unitPrice,
        ...(fee.unit ? { Unit: fee.unit } : {}),
        ...(fee.vat !== undefined ? { VAT: fee.vat } : {}),
        ...(fee.accountNumber !== undefined ? { AccountNumber: fee.accountNumber } : {}),
        net: round2(line.quantity * line.unitPrice),
      };
    });
}

/** ExternalInvoiceReference1 of the period's invoice: "3PL <specificationId>", e.g. "3PL 7-2026-10-01-2026-10-31". */
export function billingReference(spec: BillingSpecificationView): string {
  return `3PL ${specificationIdOf(spec)}`;
}

function specificationIdOf(spec: BillingSpecificationView): string {
  return spec.specificationId || `${spec.goodsOwnerId}-${spec.periodFrom}-${spec.periodTo}`;
}

export function partReference(baseReference: string, part: number, parts: number): string {
  return parts === 1 ? baseReference : `${baseReference}/${part}`;
}

/** ExternalInvoiceReference2: "spec <version>", plus "part i/n" on split invoices. */
export function versionMarker(version: string, part = 1, parts = 1): string {
  return parts === 1 ? `spec ${version}` : `spec ${version} part ${part}/${parts}`;
}

export function versionFromMarker(marker: string | null | undefined): string | undefined {
  return /^spec (\S+)/.exec(marker ?? '')?.[1];
}

/** Splits rows into chunks of at most maxRows (Fortnox's limit by default), keeping the specification's order. */
export function splitRows<T>(rows: T[], maxRows = FORTNOX_MAX_INVOICE_ROWS): T[][] {
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > FORTNOX_MAX_INVOICE_ROWS) {
    throw new RangeError(`maxRows must be a whole number from 1 to ${FORTNOX_MAX_INVOICE_ROWS}, got ${maxRows}`);
  }
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += maxRows) chunks.push(rows.slice(i, i + maxRows));
  return chunks;
}

export interface BillingPlanOptions {
  tenantId: string;
  CustomerNumber: string;
  period: BillingPeriod;
  feeMapping: FeeMapping;
  /** Default 500 (Fortnox's limit). */
  maxRowsPerInvoice?: number;
}

function sums(rows: { net: number; VAT?: number }[]) {
  const net = round2(rows.reduce((s, r) => s + r.net, 0));
  const vat = round2(rows.reduce((s, r) => s + (r.VAT === undefined ? 0 : (r.net * r.VAT) / 100), 0));
  return { net, vat, total: round2(net + vat) };
}

/**
 * The invoices for a specification: all rows mapped first (an unknown fee code throws before anything is planned),
 * then split into invoices of at most maxRowsPerInvoice rows with references `<base>/1`, `<base>/2`, ...
 */
export function planBillingExport(spec: BillingSpecificationView, options: BillingPlanOptions): BillingExportPlan {
  const rows = billingRows(spec, options.feeMapping);
  const baseReference = billingReference(spec);
  const chunks = splitRows(rows, options.maxRowsPerInvoice);
  const invoices = chunks.map((chunk, i): BillingInvoiceDraft => ({
    CustomerNumber: options.CustomerNumber,
    ExternalInvoiceReference1: partReference(baseReference, i + 1, chunks.length),
    ExternalInvoiceReference2: versionMarker(spec.version, i + 1, chunks.length),
    ...(spec.currency ? { Currency: spec.currency } : {}),
    part: i + 1,
    parts: chunks.length,
    InvoiceRows: chunk,
    ...sums(chunk),
  }));
  return {
    tenantId: options.tenantId,
    CustomerNumber: options.CustomerNumber,
    period: options.period,
    specificationId: specificationIdOf(spec),
    version: spec.version,
    baseReference,
    invoices,
    ...sums(rows),
  };
}

/**
 * The references to look up before creating anything: the single-invoice reference and every planned part's. Any
 * earlier export of the period has one of `<base>` or `<base>/1`, whatever the number of parts was then.
 */
export function referencesToLookUp(plan: Pick<BillingExportPlan, 'baseReference' | 'invoices'>): string[] {
  return [
    ...new Set([
      plan.baseReference,
      `${plan.baseReference}/1`,
      ...plan.invoices.map((i) => i.ExternalInvoiceReference1),
    ]),
  ];
}

/** An invoice found in the 3PL's Fortnox under one of the period's references. */
export interface ExistingBillingInvoice {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
  ExternalInvoiceReference2: string | null;
  Cancelled: boolean;
}

export function belongsToPeriod(baseReference: string, ref: string): boolean {
  return (
    ref === baseReference || (ref.startsWith(`${baseReference}/`) && /^\d+$/.test(ref.slice(baseReference.length + 1)))
  );
}

export type BillingExportDecision =
  | { kind: 'nothing-to-invoice' }
  /** `existing` is non-empty when an earlier run stopped between parts: it is finished, not repeated. */
  | { kind: 'create'; toCreate: BillingInvoiceDraft[]; existing: ExistingBillingInvoice[] }
  | { kind: 'already-exported'; existing: ExistingBillingInvoice[] }
  | { kind: 'changed-after-export'; existing: ExistingBillingInvoice[]; exportedVersions: string[]; reason: string };

/**
 * Compares the plan with what the 3PL's Fortnox already holds for the period. Cancelled invoices do not count (an
 * operator cancels one to have the period invoiced again). An export of another specification version is never
 * invoiced again: it is reported so an operator decides (credit, correct, or invoice the difference by hand).
 */
export function decideBillingExport(plan: BillingExportPlan, found: ExistingBillingInvoice[]): BillingExportDecision {
  const existing = found.filter(
    (i) => !i.Cancelled && belongsToPeriod(plan.baseReference, i.ExternalInvoiceReference1),
  );
  if (existing.length === 0) {
    return plan.invoices.length
      ? { kind: 'create', toCreate: plan.invoices, existing: [] }
      : { kind: 'nothing-to-invoice' };
  }
  const exportedVersions = [
    ...new Set(existing.map((i) => versionFromMarker(i.ExternalInvoiceReference2) ?? '(unknown)')),
  ];
  const documents = existing.map((i) => `${i.DocumentNumber} (${i.ExternalInvoiceReference1})`).join(', ');
  if (exportedVersions.some((v) => v !== plan.version)) {
    return {
      kind: 'changed-after-export',
      existing,
      exportedVersions,
      reason:
        `The billing specification ${plan.specificationId} changed after it was invoiced: exported version ` +
        `${exportedVersions.join(', ')} as invoice ${documents}, now version ${plan.version}. Not invoiced again.`,
    };
  }
  const planned = new Set(plan.invoices.map((i) => i.ExternalInvoiceReference1));
  const stray = existing.filter((i) => !planned.has(i.ExternalInvoiceReference1));
  if (stray.length) {
    return {
      kind: 'changed-after-export',
      existing,
      exportedVersions,
      reason:
        `The period ${plan.period.period} was invoiced as ${documents}, split differently than now ` +
        `(${plan.invoices.length} invoice(s)): the row limit per invoice changed. Not invoiced again.`,
    };
  }
  const done = new Set(existing.map((i) => i.ExternalInvoiceReference1));
  const toCreate = plan.invoices.filter((i) => !done.has(i.ExternalInvoiceReference1));
  return toCreate.length ? { kind: 'create', toCreate, existing } : { kind: 'already-exported', existing };
}
