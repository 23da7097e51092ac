// The operator's 3PL invoicing command: export (or dry-run) one goods owner's billing period through the billing
// workflow and describe the result. The operator CLI and `npm run billing:export` call this, so both get the same
// safety: a dry run unless the caller says `--yes`, and only a closed month.
import type { Writable } from 'node:stream';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { envSchema } from '../config';
import {
  billingPeriod,
  BillingPeriodError,
  isClosedBillingPeriod,
  monthAt,
  BILLING_TIME_ZONE,
  type BillingPeriod,
  type BillingSourcesRead,
} from '../domain/billing';
import { billingExportDryRunWorkflowId, billingExportWorkflowId } from '../domain/names';
import { PRICE_BASES, type PriceBasis } from '../domain/billing-sources';
import { billingExportWorkflow, type BillingExportResult } from '../workflows/billing-export';
import { OperatorError } from './operator/context';

export interface RunBillingExportOptions {
  client: Client;
  tenantId: string;
  /** `YYYY-MM`: a closed month (see exportablePeriod). */
  period: string;
  /** Default true: invoices are created only when a caller asks for it in so many words (`dryRun: false`). */
  dryRun?: boolean;
  /** The integration's task queue (default: TASK_QUEUE's default). */
  taskQueue?: string;
  /** The moment the period must be closed at (default: now). Tests move it past the month they filled with charges. */
  now?: Date;
}

export { billingExportWorkflowId };

/**
 * The period an operator may export: a month (`YYYY-MM`) whose last day has ended on a Stockholm wall clock. An open
 * month's charges and stock are still changing, so its invoice would be wrong (and the period close would later find
 * it changed after export); a future month has nothing to invoice. Refused as the operator's mistake (exit 2).
 */
export function exportablePeriod(period: string, now = new Date()): BillingPeriod {
  let parsed: BillingPeriod;
  try {
    parsed = billingPeriod(period);
  } catch (err) {
    if (err instanceof BillingPeriodError) throw new OperatorError(`--period: ${err.message}`, 2);
    throw err;
  }
  if (isClosedBillingPeriod(parsed, now)) return parsed;
  const current = monthAt(now);
  throw new OperatorError(
    parsed.period === current
      ? `period ${parsed.period} is not closed: it is the current month in ${BILLING_TIME_ZONE} time and closes when ` +
          `${parsed.to} ends. Only a closed month can be exported; its billing schedule exports it on the 1st.`
      : `period ${parsed.period} is in the future (the current month in ${BILLING_TIME_ZONE} time is ${current}). ` +
          'Only a closed month can be exported.',
    2,
  );
}

export async function runBillingExport(options: RunBillingExportOptions): Promise<BillingExportResult> {
  const { client, tenantId, period } = options;
  exportablePeriod(period, options.now); // a bad or open period fails here, before anything starts
  const dryRun = options.dryRun ?? true;
  const taskQueue = options.taskQueue ?? envSchema.shape.TASK_QUEUE.parse(undefined);
  try {
    return await client.workflow.execute(billingExportWorkflow, {
      // Dry runs each get their own id, so they never wait behind (or block) a real export of the same period.
      workflowId: dryRun
        ? billingExportDryRunWorkflowId(tenantId, period, Date.now().toString(36))
        : billingExportWorkflowId(tenantId, period),
      workflowIdConflictPolicy: 'USE_EXISTING',
      taskQueue,
      args: [{ tenantId, period, dryRun }],
      staticSummary: `${dryRun ? 'Dry run: ' : ''}3PL invoicing of ${tenantId} for ${period}`,
    });
  } catch (err) {
    // The workflow's own failure (unknown fee code, no billing configured) says more than "workflow failed".
    if (err instanceof WorkflowFailedError && err.cause) throw err.cause;
    throw err;
  }
}

export interface BillingExportCommandOptions {
  tenantId: string;
  period: string;
  /** Invoice for real; without it the export is a dry run. */
  yes?: boolean;
  now?: Date;
  /** How this entry point is invoked, up to its arguments, e.g. `npm run cli -- billing export`: a dry run prints it. */
  commandName: string;
  /** Connects to Temporal (and says where to print): called only once the period is known to be exportable. */
  connect: () => Promise<{ client: Client; taskQueue: string; out: Pick<Writable, 'write'> }>;
}

/** The command both entry points run: check the period, run the export (a dry run unless `yes`), print the outcome. */
export async function billingExportCommand(options: BillingExportCommandOptions): Promise<BillingExportResult> {
  const { tenantId, period } = options;
  exportablePeriod(period, options.now); // before connecting: a refused period touches nothing in Temporal
  const { client, taskQueue, out } = await options.connect();
  const result = await runBillingExport({
    client,
    tenantId,
    period,
    dryRun: !options.yes,
    taskQueue,
    now: options.now,
  });
  const realCommand = `${options.commandName} --tenant ${tenantId} --period ${period} --yes`;
  out.write(`${formatBillingExport(result, { realCommand })}\n`);
  return result;
}

const money = (n: number) => n.toFixed(2);

/** Where the numbers come from: the period's instants, the orders whose charges were read, the price list's counts. */
function describeSources(sources: BillingSourcesRead): string[] {
  const lines = [`Read from the WMS for ${sources.from} – ${sources.to} (UTC):`];
  lines.push(
    sources.ordersShipped === undefined
      ? '  per-order charges: off (billing.orderCharges: false)'
      : `  invoice charges of ${sources.ordersShipped} order(s) shipped in the period`,
  );
  for (const [basis, count] of Object.entries(sources.counts)) {
    // Stock of a period not over yet is today's: a later run of the period will read its end instead.
    const early =
      sources.stockDate && sources.stockDate < sources.to ? `, read ${sources.stockDate}: the period is not over` : '';
    const note = basis === 'itemsInStock' ? early : '';
    lines.push(`  ${PRICE_BASES[basis as PriceBasis] ?? basis}: ${count}${note}`);
  }
  return lines;
}

/**
 * What an operator reads: the outcome, then per invoice its customer, reference, rows and totals. A dry run says so
 * first and last, with what it would create and (given `realCommand`) the command that invoices for real.
 */
export function formatBillingExport(result: BillingExportResult, options: { realCommand?: string } = {}): string {
  const { plan } = result;
  const currency = plan.invoices[0]?.Currency ?? '';
  const status = new Map(result.invoices.map((i) => [i.ExternalInvoiceReference1, i]));
  const lines = [
    ...(result.dryRun ? ['DRY RUN: nothing is created in Fortnox.'] : []),
    `${result.needsAttention ? 'NEEDS ATTENTION: ' : ''}${result.message}`,
    `Goods owner ${plan.tenantId} → customer ${plan.CustomerNumber}, period ${plan.period.from} – ${plan.period.to}, ` +
      `specification ${plan.specificationId} version ${plan.version}`,
    ...(plan.sources ? describeSources(plan.sources) : []),
  ];
  for (const invoice of plan.invoices) {
    const s = status.get(invoice.ExternalInvoiceReference1);
    const state = s ? `${s.status}${s.DocumentNumber ? ` as invoice ${s.DocumentNumber}` : ''}` : 'not created';
    lines.push('', `Invoice ${invoice.ExternalInvoiceReference1} (${invoice.part}/${invoice.parts}, ${state})`);
    for (const row of invoice.InvoiceRows) {
      lines.push(
        `  ${row.feeCode.padEnd(11)} ${(row.ArticleNumber ?? '-').padEnd(8)} ${row.Description.padEnd(36)} ` +
          `${String(row.DeliveredQuantity).padStart(7)} ${(row.Unit ?? '').padEnd(4)} × ${money(row.Price).padStart(9)} = ` +
          `${money(row.net).padStart(11)}${row.VAT === undefined ? '' : `  VAT ${row.VAT}%`}` +
          `${row.AccountNumber === undefined ? '' : `  account ${row.AccountNumber}`}`,
      );
    }
    lines.push(
      `  net ${money(invoice.net)} + VAT ${money(invoice.vat)} = ${money(invoice.total)} ${currency}`.trimEnd(),
    );
  }
  if (plan.invoices.length > 1)
    lines.push(
      '',
      `All invoices: net ${money(plan.net)} + VAT ${money(plan.vat)} = ${money(plan.total)} ${currency}`.trimEnd(),
    );
  if (result.dryRun) lines.push('', ...dryRunSummary(result, currency, options.realCommand));
  return lines.join('\n');
}

/** The last lines of a dry run: what a real run would create (invoices, rows, amounts) and how to run it. */
function dryRunSummary(result: BillingExportResult, currency: string, realCommand: string | undefined): string[] {
  if (result.outcome !== 'would-invoice')
    return [`DRY RUN: nothing was created, and a real run would create nothing either (${result.outcome}).`];
  const wouldCreate = new Set(
    result.invoices.filter((i) => i.status === 'would-create').map((i) => i.ExternalInvoiceReference1),
  );
  const drafts = result.plan.invoices.filter((i) => wouldCreate.has(i.ExternalInvoiceReference1));
  const sum = (pick: (d: (typeof drafts)[number]) => number) => drafts.reduce((total, d) => total + pick(d), 0);
  return [
    `DRY RUN: nothing was created. A real run would create ${drafts.length} invoice(s) with ${sum((d) => d.InvoiceRows.length)} row(s) ` +
      `to customer ${result.plan.CustomerNumber}: net ${money(sum((d) => d.net))} + VAT ${money(sum((d) => d.vat))} = ` +
      `${money(sum((d) => d.total))} ${currency}`.trimEnd() +
      '.',
    ...(realCommand ? [`To invoice for real: ${realCommand}`] : []),
  ];
}
