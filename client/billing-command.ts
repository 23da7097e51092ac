// The operator's 3PL invoicing command: export (or dry-run) one goods owner's billing period through the billing
// workflow and describe the result. The operator CLI and `npm run billing:export` call this.
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { envSchema } from '../config';
import { billingExportWorkflowId, billingPeriod, type BillingSourcesRead } from '../domain/billing';
import { PRICE_BASES, type PriceBasis } from '../domain/billing-sources';
import type { BillingExportResult, billingExportWorkflow } from '../workflows/billing-export';

export interface RunBillingExportOptions {
  client: Client;
  tenantId: string;
  /** `YYYY-MM`. */
  period: string;
  dryRun?: boolean;
  /** The integration's task queue (default: TASK_QUEUE's default). */
  taskQueue?: string;
}

export { billingExportWorkflowId };

export async function runBillingExport(options: RunBillingExportOptions): Promise<BillingExportResult> {
  const { client, tenantId, period } = options;
  billingPeriod(period); // a bad period fails here, before anything starts
  const dryRun = options.dryRun ?? false;
  const taskQueue = options.taskQueue ?? envSchema.shape.TASK_QUEUE.parse(undefined);
  try {
    return await client.workflow.execute<typeof billingExportWorkflow>('billingExportWorkflow', {
      // Dry runs each get their own id, so they never wait behind (or block) a real export of the same period.
      workflowId: dryRun ? `${billingExportWorkflowId(tenantId, period)}:dry-run:${Date.now().toString(36)}` : billingExportWorkflowId(tenantId, period),
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

const money = (n: number) => n.toFixed(2);

/** Where the numbers come from: the period's instants, the orders whose charges were read, the price list's counts. */
function describeSources(sources: BillingSourcesRead): string[] {
  const lines = [`Read from the WMS for ${sources.from} – ${sources.to} (UTC):`];
  lines.push(sources.ordersShipped === undefined
    ? '  per-order charges: off (billing.orderCharges: false)'
    : `  invoice charges of ${sources.ordersShipped} order(s) shipped in the period`);
  for (const [basis, count] of Object.entries(sources.counts)) {
    // Stock of a period not over yet is today's: a later run of the period will read its end instead.
    const early = sources.stockDate && sources.stockDate < sources.to ? `, read ${sources.stockDate}: the period is not over` : '';
    const note = basis === 'itemsInStock' ? early : '';
    lines.push(`  ${PRICE_BASES[basis as PriceBasis] ?? basis}: ${count}${note}`);
  }
  return lines;
}

/** What an operator reads: the outcome, then per invoice its customer, reference, rows and totals. */
export function formatBillingExport(result: BillingExportResult): string {
  const { plan } = result;
  const currency = plan.invoices[0]?.Currency ?? '';
  const status = new Map(result.invoices.map((i) => [i.ExternalInvoiceReference1, i]));
  const lines = [
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
      lines.push(`  ${row.feeCode.padEnd(11)} ${(row.ArticleNumber ?? '-').padEnd(8)} ${row.Description.padEnd(36)} ` +
        `${String(row.DeliveredQuantity).padStart(7)} ${(row.Unit ?? '').padEnd(4)} × ${money(row.Price).padStart(9)} = ` +
        `${money(row.net).padStart(11)}${row.VAT === undefined ? '' : `  VAT ${row.VAT}%`}` +
        `${row.AccountNumber === undefined ? '' : `  account ${row.AccountNumber}`}`);
    }
    lines.push(`  net ${money(invoice.net)} + VAT ${money(invoice.vat)} = ${money(invoice.total)} ${currency}`.trimEnd());
  }
  if (plan.invoices.length > 1) lines.push('', `All invoices: net ${money(plan.net)} + VAT ${money(plan.vat)} = ${money(plan.total)} ${currency}`.trimEnd());
  return lines.join('\n');
}
