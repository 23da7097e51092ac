// 3PL invoicing of one goods owner and period: what the WMS charged (per-order invoice charges) and what the price list
// makes of its stock, adjustments and receipts become invoices in the 3PL's own Fortnox, once. Run by a Schedule at
// period close (the month before) or by an operator for a chosen month; a dry run stops after planning and returns
// exactly what would be invoiced.
import { ActivityFailure, ApplicationFailure, log, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { fortnoxActivities, mainActivities, profiles } from './proxies';
import {
  billingPeriod,
  BillingPeriodError,
  closedBillingPeriod,
  decideBillingExport,
  referencesToLookUp,
  type BillingExportPlan,
  type BillingPeriod,
} from '../domain/billing';
import { NeedsAttentionAttr, TenantAttr } from './search-attributes';

export interface BillingExportInput {
  tenantId: string;
  /** `YYYY-MM`; default: the month before now in Stockholm time (what a period-close schedule means). */
  period?: string;
  /** Plan and look up only: nothing is created. */
  dryRun?: boolean;
}

export type BillingExportOutcome =
  /** Dry run: these invoices would be created. */
  | 'would-invoice'
  | 'invoiced'
  | 'already-invoiced'
  /** What the period is charged changed after its export: nothing created, an operator decides. */
  | 'changed-after-export'
  | 'nothing-to-invoice';

export interface BillingExportInvoiceResult {
  ExternalInvoiceReference1: string;
  /** Set once the invoice exists in the 3PL's Fortnox. */
  DocumentNumber?: string;
  status: 'would-create' | 'created' | 'existing';
}

export interface BillingExportResult {
  tenantId: string;
  period: BillingPeriod;
  dryRun: boolean;
  outcome: BillingExportOutcome;
  needsAttention: boolean;
  /** One line for an operator. */
  message: string;
  /** Everything that is (or would be) invoiced: customer, references, rows, totals. */
  plan: BillingExportPlan;
  invoices: BillingExportInvoiceResult[];
}

const local = mainActivities(profiles.billingStep);

/**
 * Reading a period takes a call per order shipped in it, thousands for a busy goods owner: the activity beats per
 * order, so a dead worker is noticed within a minute, and a retry resumes after the last order it beat for.
 */
const reading = mainActivities(profiles.billingSourcesRead);

function resolvePeriod(period: string | undefined): BillingPeriod {
  try {
    return period ? billingPeriod(period) : closedBillingPeriod(new Date());
  } catch (err) {
    // A bad period is the caller's mistake: fail the workflow, not the workflow task (which would retry forever).
    if (err instanceof BillingPeriodError) throw ApplicationFailure.nonRetryable(err.message, 'InvalidBillingPeriod');
    throw err;
  }
}

/** A business refusal (unknown fee code, no billing configured) becomes the workflow's own failure, readable as is. */
function failWithCause(err: unknown): never {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable) {
    throw ApplicationFailure.create({
      type: err.cause.type ?? undefined,
      message: err.cause.message,
      nonRetryable: true,
      details: err.cause.details ? [...err.cause.details] : undefined,
    });
  }
  throw err;
}

export async function billingExportWorkflow(input: BillingExportInput): Promise<BillingExportResult> {
  const { tenantId } = input;
  const dryRun = input.dryRun ?? false;
  // The 3PL's Fortnox calls run on the goods owner's Fortnox queue: a period close runs one goods owner per queue.
  const fortnox = fortnoxActivities(tenantId, profiles.fortnoxBilling);
  upsertSearchAttributes([{ key: TenantAttr, value: tenantId }]);
  const period = resolvePeriod(input.period);

  // Histories from before the period was read order by order (two minutes, no heartbeat) replay as they ran.
  const prepare = patched('billing-sources-heartbeat') ? reading : local;
  const plan = await prepare.prepareBillingExport(tenantId, period).catch(failWithCause);
  const found = await fortnox.findBillingInvoices(tenantId, referencesToLookUp(plan)).catch(failWithCause);
  const decision = decideBillingExport(plan, found);
  const base = { tenantId, period, dryRun, plan };
  const existingResults = (docs: { ExternalInvoiceReference1: string; DocumentNumber: string }[]) =>
    docs.map((d): BillingExportInvoiceResult => ({
      ExternalInvoiceReference1: d.ExternalInvoiceReference1,
      DocumentNumber: d.DocumentNumber,
      status: 'existing',
    }));

  let result: BillingExportResult;
  switch (decision.kind) {
    case 'nothing-to-invoice':
      result = {
        ...base,
        outcome: 'nothing-to-invoice',
        needsAttention: false,
        invoices: [],
        message: `Nothing to invoice for ${period.period}: nothing was charged in the period.`,
      };
      break;
    case 'already-exported':
      result = {
        ...base,
        outcome: 'already-invoiced',
        needsAttention: false,
        invoices: existingResults(decision.existing),
        message:
          `${period.period} is already invoiced to customer ${plan.CustomerNumber}: ` +
          `${decision.existing.map((e) => e.DocumentNumber).join(', ')}. Nothing changed.`,
      };
      break;
    case 'changed-after-export':
      result = {
        ...base,
        outcome: 'changed-after-export',
        needsAttention: true,
        invoices: existingResults(decision.existing),
        message: decision.reason,
      };
      break;
    case 'create': {
      const invoices = existingResults(decision.existing);
      if (dryRun) {
        invoices.push(
          ...decision.toCreate.map((d): BillingExportInvoiceResult => ({
            ExternalInvoiceReference1: d.ExternalInvoiceReference1,
            status: 'would-create',
          })),
        );
        const currency = plan.invoices[0]?.Currency ? ` ${plan.invoices[0].Currency}` : '';
        result = {
          ...base,
          outcome: 'would-invoice',
          needsAttention: false,
          invoices,
          message:
            `Dry run: would create ${decision.toCreate.length} invoice(s) to customer ${plan.CustomerNumber} for ` +
            `${period.period}, ${plan.net}${currency} excl. VAT. Nothing was created.`,
        };
        break;
      }
      // In reference order, one at a time: a run interrupted between parts is completed by the next, never doubled.
      for (const draft of decision.toCreate) {
        const created = await fortnox.createBillingInvoice(tenantId, draft).catch(failWithCause);
        invoices.push({
          ExternalInvoiceReference1: created.ExternalInvoiceReference1,
          DocumentNumber: created.DocumentNumber,
          status: created.created ? 'created' : 'existing',
        });
      }
      result = {
        ...base,
        outcome: 'invoiced',
        needsAttention: false,
        invoices,
        message:
          `Invoiced ${period.period} to customer ${plan.CustomerNumber}: ` +
          `${invoices.map((i) => `${i.DocumentNumber} (${i.ExternalInvoiceReference1})`).join(', ')}.`,
      };
      break;
    }
  }
  upsertSearchAttributes([{ key: NeedsAttentionAttr, value: result.needsAttention }]);
  (result.needsAttention ? log.warn : log.info)('billing export done', {
    tenantId,
    period: period.period,
    dryRun,
    outcome: result.outcome,
    invoices: result.invoices.length,
  });
  return result;
}
