// 3PL invoicing end to end on the dev server: the WMS billing specification of a goods owner becomes invoices in the
// 3PL's own Fortnox (a second sandbox tenant) once per period; re-runs, changes, dry runs and bad mappings.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure, type Client } from '@temporalio/client';
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { FortnoxClient } from '../../activities/fortnox/client';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { formatBillingExport, runBillingExport } from '../../client/billing-command';
import { bootstrapSchedules } from '../../client/schedules';
import { closedBillingPeriod, type FeeMapping } from '../../domain/billing';
import { DEMO_FEE_MAPPING } from '../../scripts/embedded-sandboxes';
import type { BillingExportResult, billingExportWorkflow } from '../../workflows/billing-export';
import { recordHistory } from './record';
import { NeedsAttentionAttr } from '../../workflows/search-attributes';
import { startHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The sandbox stamps floor activity with the real clock in UTC: this month holds what the test does. */
const period = new Date().toISOString().slice(0, 7);

/** The 3PL's own Fortnox, read as its accountant would. */
function threePlFortnox(harness: Harness): FortnoxClient {
  const { fortnox } = harness.tenant.billing!;
  return new FortnoxClient({ ...fortnox, tenantKey: `${harness.tenantId}-3pl-reader`, tokenStore: new MemoryTokenStore() });
}

async function invoicesOfPeriod(fortnox: FortnoxClient, customerNumber: string) {
  const list = await fortnox.listAllInvoices({ customerNumber });
  return Promise.all(list.map((i) => fortnox.getInvoice(i.DocumentNumber)));
}

const exportPeriod = (harness: Harness, dryRun = false, p = period) =>
  runBillingExport({ client: harness.client, tenantId: harness.tenantId, period: p, dryRun, taskQueue: harness.taskQueue });

/** Floor activity after the export: one damaged item is a new ADJUSTMENT line, so the specification changes. */
async function damageOneItem(harness: Harness, articleNumber: string) {
  await got.post(`${harness.sandboxes.wmsUrl}/_sandbox/goods-owners/${harness.tenant.wms.goodsOwnerId}/stock-adjustments`, {
    json: { articleNumber, delta: -1, reason: 'damage' },
  });
}

async function needsAttention(client: Client, workflowId: string): Promise<boolean | undefined> {
  const description = await client.workflow.getHandle(workflowId).describe();
  return description.typedSearchAttributes.get(NeedsAttentionAttr);
}

describe('3PL invoicing', () => {
  it('exports a period once: dry run, export, re-run, then a change after export is flagged, not invoiced', async () => {
    h = await startHarness({ billing: {} });
    const customer = h.tenant.billing!.customerNumber;
    const fortnox3pl = threePlFortnox(h);
    await h.addArticle('BILL-1', 10);

    // Dry run: the exact invoice, and nothing created.
    const dry = await exportPeriod(h, true);
    expect(dry.outcome).toBe('would-invoice');
    expect(dry.invoices).toEqual([{ ExternalInvoiceReference1: dry.plan.baseReference, status: 'would-create' }]);
    const spec = await h.wms.getBillingSpecification({ from: dry.plan.period.from, to: dry.plan.period.to });
    expect(dry.plan.invoices[0]!.InvoiceRows.map((r) => [r.feeCode, r.DeliveredQuantity, r.Price]))
      .toEqual(spec.lines.map((l) => [l.feeCode, l.quantity, l.unitPrice]));
    expect(dry.plan.invoices[0]!.InvoiceRows.map((r) => r.feeCode)).toEqual(expect.arrayContaining(['STORAGE', 'ADJUSTMENT']));
    expect(formatBillingExport(dry)).toMatch(new RegExp(`Dry run: would create 1 invoice\\(s\\) to customer ${customer}`));
    expect(await invoicesOfPeriod(fortnox3pl, customer)).toEqual([]);

    // Export: one invoice in the 3PL's Fortnox, a row per fee as mapped, the specification's version alongside.
    const exported = await exportPeriod(h);
    expect(exported.outcome).toBe('invoiced');
    let invoices = await invoicesOfPeriod(fortnox3pl, customer);
    expect(invoices).toHaveLength(1);
    const [invoice] = invoices;
    expect(exported.invoices).toEqual([{ ExternalInvoiceReference1: dry.plan.baseReference, DocumentNumber: invoice!.DocumentNumber, status: 'created' }]);
    expect(invoice!.ExternalInvoiceReference1).toBe(`3PL ${spec.specificationId}`);
    expect(invoice!.ExternalInvoiceReference2).toBe(`spec ${spec.version}`);
    expect(invoice!.InvoiceRows.map((r) => [r.Description, r.DeliveredQuantity, r.Price, r.Unit, r.VAT, r.AccountNumber])).toEqual(
      spec.lines.map((l) => {
        const fee = DEMO_FEE_MAPPING[l.feeCode]!;
        return [fee.description, l.quantity, l.unitPrice, fee.unit, fee.vat, fee.accountNumber];
      }),
    );
    expect(invoice!.Total).toBe(exported.plan.total);
    // The goods owner's own Fortnox got nothing.
    expect(await h.fortnox.listAllInvoices()).toEqual([]);

    // Re-run: nothing changes.
    const again = await exportPeriod(h);
    expect(again.outcome).toBe('already-invoiced');
    expect(again.needsAttention).toBe(false);
    expect(await invoicesOfPeriod(fortnox3pl, customer)).toHaveLength(1);

    // The warehouse bills more for the period after the export: flagged for an operator, not invoiced again.
    await damageOneItem(h, 'BILL-1');
    const changed = await exportPeriod(h);
    expect(changed.outcome).toBe('changed-after-export');
    expect(changed.needsAttention).toBe(true);
    expect(changed.message).toMatch(new RegExp(`exported version ${spec.version} as invoice ${invoice!.DocumentNumber}.*now version ${changed.plan.version}`));
    expect(changed.plan.version).not.toBe(spec.version);
    expect(await needsAttention(h.client, `billing:${h.tenantId}:${period}`)).toBe(true);
    invoices = await invoicesOfPeriod(fortnox3pl, customer);
    expect(invoices.map((i) => i.DocumentNumber)).toEqual([invoice!.DocumentNumber]);
    // A dry run says so too.
    expect((await exportPeriod(h, true)).outcome).toBe('changed-after-export');

    // A scheduled run (no period) invoices the month before, in Stockholm time.
    const scheduledId = `billing:${h.tenantId}:scheduled-${randomBytes(3).toString('hex')}`;
    const scheduled = await h.client.workflow.execute<typeof billingExportWorkflow>('billingExportWorkflow', {
      workflowId: scheduledId,
      taskQueue: h.taskQueue,
      args: [{ tenantId: h.tenantId, dryRun: true }],
    });
    expect(scheduled.period).toEqual(closedBillingPeriod(new Date()));
    await recordHistory(scheduledId, 'billingExportWorkflow', 'scheduled-dry-run');
  });

  it('an unknown fee code fails the export naming it, and creates nothing', async () => {
    const { ADJUSTMENT: _adjustment, ...withoutAdjustment } = DEMO_FEE_MAPPING;
    // One row per invoice: the STORAGE invoice would come first if rows were not all checked before creating any.
    h = await startHarness({ billing: { feeMapping: withoutAdjustment as FeeMapping, maxRowsPerInvoice: 1 } });
    await h.addArticle('BILL-2', 5);
    const failure = await exportPeriod(h).then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe('UnknownFeeCode');
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    expect((failure as Error).message).toMatch(/fee code ADJUSTMENT with no entry in the billing feeMapping/);
    expect(await invoicesOfPeriod(threePlFortnox(h), h.tenant.billing!.customerNumber)).toEqual([]);
  });

  it('more rows than fit one invoice: parts /1, /2 created in order, an interrupted export finished, never doubled', async () => {
    h = await startHarness({ billing: { maxRowsPerInvoice: 1 } });
    await h.addArticle('BILL-3', 5);
    const customer = h.tenant.billing!.customerNumber;
    const fortnox3pl = threePlFortnox(h);
    const plan = (await exportPeriod(h, true)).plan;
    expect(plan.invoices.length).toBeGreaterThanOrEqual(2);
    // An earlier run created part 1, then stopped.
    const first = plan.invoices[0]!;
    const part1 = await fortnox3pl.createInvoice({
      CustomerNumber: customer, ExternalInvoiceReference1: first.ExternalInvoiceReference1,
      ExternalInvoiceReference2: first.ExternalInvoiceReference2,
      InvoiceRows: first.InvoiceRows.map(({ feeCode: _f, net: _n, ...row }) => row),
    });

    const result: BillingExportResult = await exportPeriod(h);
    expect(result.outcome).toBe('invoiced');
    expect(result.invoices.map((i) => [i.ExternalInvoiceReference1, i.status])).toEqual(
      plan.invoices.map((i, n) => [`${plan.baseReference}/${n + 1}`, n === 0 ? 'existing' : 'created']),
    );
    expect(result.invoices[0]!.DocumentNumber).toBe(part1.DocumentNumber);
    const invoices = await invoicesOfPeriod(fortnox3pl, customer);
    expect(invoices.map((i) => i.ExternalInvoiceReference1).sort()).toEqual(plan.invoices.map((i) => i.ExternalInvoiceReference1).sort());
    expect(invoices.every((i) => i.InvoiceRows.length === 1)).toBe(true);
    expect((await exportPeriod(h)).outcome).toBe('already-invoiced');
    expect(await invoicesOfPeriod(fortnox3pl, customer)).toHaveLength(plan.invoices.length);
  });

  it('schedules the period close in Stockholm time, paused until billing is switched on, not run at deployment', async () => {
    h = await startHarness({ billing: {}, startWorkers: false });
    const queue = `billing-schedule-${h.tenantId}`;
    // Order sync off, so the bootstrap starts nothing on this worker-less queue.
    const tenant = { ...h.tenant, settings: { ...h.tenant.settings, processes: { ...h.tenant.settings.processes, orders: false } } };
    await bootstrapSchedules(h.client, [tenant], queue);
    const handle = h.client.schedule.getHandle(`billing:${h.tenantId}`);
    try {
      let description = await handle.describe();
      expect(description.spec.timezone).toBe('Europe/Stockholm');
      expect(description.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] });
      expect(description.state.paused).toBe(true);
      await bootstrapSchedules(h.client, [{ ...tenant, settings: { ...tenant.settings, processes: { ...tenant.settings.processes, billing: true } } }], queue);
      description = await handle.describe();
      expect(description.state.paused).toBe(false);
      expect(description.info.recentActions).toEqual([]);
      expect(description.info.nextActionTimes[0]!.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await handle.delete();
      await h.client.schedule.getHandle(`orders:${h.tenantId}`).delete();
    }
  });
});
