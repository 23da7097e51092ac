// 3PL invoicing end to end on the dev server: what the WMS charged a goods owner's shipped orders (invoice charges)
// and the price list on its stock, adjustments and receipts become invoices in the 3PL's own Fortnox (a second
// sandbox tenant) once per period; re-runs, changes, dry runs, bad mappings and a missing WMS permission; the CLI's and
// `npm run billing:export`'s safety: a dry run unless --yes, and only a closed month.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApplicationFailure, WorkflowNotFoundError, type Client } from '@temporalio/client';
import got from 'got';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { FortnoxClient } from '../../activities/fortnox/client';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { billingExportWorkflowId, formatBillingExport, runBillingExport } from '../../client/billing-command';
import { buildProgram } from '../../client/cli';
import { OperatorError, type OperatorContext } from '../../client/operator/context';
import { bootstrapSchedules } from '../../client/schedules';
import { billingPeriod, billingPeriodBounds, closedBillingPeriod, monthAt } from '../../domain/billing';
import { registry as metrics } from '../../observability/metrics';
import { DEMO_FEE_MAPPING, DEMO_PRICE_LIST } from '../../scripts/embedded-sandboxes';
import { billingExportWorkflow, type BillingExportResult } from '../../workflows/billing-export';
import { recordHistory } from './record';
import { NeedsAttentionAttr } from '../../workflows/search-attributes';
import { startHarness, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Periods are months on a Stockholm wall clock: this one holds what the test does. */
const period = monthAt(new Date());
/**
 * The moment this month closes: only a closed month may be exported, so the tests export this month (the one their
 * charges are in) as if it were now over. The workflows run on the real clock.
 */
const periodClosed = new Date(billingPeriodBounds(billingPeriod(period)).to);

/** The 3PL's own Fortnox, read as its accountant would. */
function threePlFortnox(harness: Harness): FortnoxClient {
  const { fortnox } = harness.tenant.billing!;
  return new FortnoxClient({
    ...fortnox,
    tenantKey: `${harness.tenantId}-3pl-reader`,
    tokenStore: new MemoryTokenStore(),
  });
}

async function invoicesOfPeriod(fortnox: FortnoxClient, customerNumber: string) {
  const list = await fortnox.listAllInvoices({ customerNumber });
  return Promise.all(list.map((i) => fortnox.getInvoice(i.DocumentNumber)));
}

const exportPeriod = (harness: Harness, dryRun = false, p = period) =>
  runBillingExport({
    client: harness.client,
    tenantId: harness.tenantId,
    period: p,
    dryRun,
    taskQueue: harness.taskQueue,
    now: periodClosed,
  });

/** Whether a workflow with this id exists (ran or runs) on the server. */
async function exists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** `npm run billing:export -- <args>` as a process against the shared dev server and the harness's worker. */
function billingExportScript(
  harness: Harness,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = join(import.meta.dirname, '..', '..', 'scripts', 'billing-export.ts');
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TASK_QUEUE: harness.taskQueue,
    CODEC_KEYS: harness.codecKeys,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A sandbox control of the harness's goods owner. */
const control = (harness: Harness, method: 'post' | 'put', path: string, json: unknown = {}) =>
  got[method](`${harness.sandboxes.wmsUrl}/_sandbox/goods-owners/${harness.tenant.wms.goodsOwnerId}${path}`, {
    json,
  }).json();

/** Floor activity after the export: one damaged item is one more adjustment and one item less in stock. */
async function damageOneItem(harness: Harness, articleNumber: string) {
  await control(harness, 'post', '/stock-adjustments', { articleNumber, delta: -1, reason: 'damage' });
}

/** An order the warehouse ships this month (made in the WMS directly: it is what the 3PL charges, not a Fortnox order). */
async function shipOrder(harness: Harness, orderNumber: string, articleNumber: string, parcels = 1): Promise<number> {
  const { orderId } = await harness.wms.upsertOrder({
    orderNumber,
    deliveryDate: '2030-01-01',
    consignee: { name: 'Testkunden AB' },
    orderLines: [{ rowNumber: '1', articleNumber, numberOfItems: 2 }],
  });
  await harness.floor(orderId, 'send', { parcels });
  return orderId;
}

async function receivePurchaseOrder(harness: Harness, articleNumber: string, numberOfItems: number) {
  const { purchaseOrderId } = await harness.wms.upsertPurchaseOrder({
    purchaseOrderNumber: `PO-${randomBytes(3).toString('hex')}`,
    purchaseOrderLines: [{ rowNumber: '1', articleNumber, numberOfItems }],
  });
  await control(harness, 'post', `/purchase-orders/${purchaseOrderId}/receive`);
}

/** What the WMS holds now (the harness seeds articles with stock): items in stock, and adjustments made so far. */
async function wmsNow(harness: Harness) {
  const stock = (await harness.wms.getInventoryPerWarehouse())
    .flatMap((a) => a.inventoryPerWarehouse)
    .reduce((sum, w) => sum + Math.max(0, w.numberOfItems), 0);
  const adjustments = (await harness.wms.listInventoryAdjustments()).flatMap((l) => l.inventoryAdjustments).length;
  return { stock, adjustments };
}

async function needsAttention(client: Client, workflowId: string): Promise<boolean | undefined> {
  const description = await client.workflow.getHandle(workflowId).describe();
  return description.typedSearchAttributes.get(NeedsAttentionAttr);
}

/** The WMS routes this process's product code has called (from its Prometheus counters). */
async function wmsRoutesCalled(): Promise<string[]> {
  const counter = await metrics.getSingleMetric('wms_fortnox_api_calls_total')!.get();
  return [
    ...new Set(
      counter.values.filter((v) => v.labels.system === 'wms').map((v) => `${v.labels.method} ${v.labels.route}`),
    ),
  ];
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const failure = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  return failure as ApplicationFailure;
}

describe('3PL invoicing', () => {
  it('exports a period once: dry run, export, re-run, then a change after export is flagged, not invoiced', async () => {
    h = await startHarness({ billing: {} });
    const customer = h.tenant.billing!.customerNumber;
    const fortnox3pl = threePlFortnox(h);
    const seeded = await wmsNow(h);
    await h.addArticle('BILL-1', 10); // a stock count: one adjustment
    const orderId = await shipOrder(h, 'B-1', 'BILL-1', 2); // 2 items leave
    await receivePurchaseOrder(h, 'BILL-1', 3); // one line received, 3 items come in

    // Dry run: the exact invoice, and nothing created. Per-order charges as the WMS booked them, grouped by invoice
    // article; period charges from the price list on what the WMS reports.
    const dry = await exportPeriod(h, true);
    expect(dry.outcome).toBe('would-invoice');
    expect(dry.invoices).toEqual([{ ExternalInvoiceReference1: dry.plan.baseReference, status: 'would-create' }]);
    const charges = await h.wms.getOrderInvoiceCharges(orderId);
    expect(charges.map((c) => [c.invoiceArticle?.code, c.numberOfItems, c.price])).toEqual([
      ['ORDER', 1, 25],
      ['PICKLINE', 1, 4],
      ['PARCEL', 2, 12],
    ]);
    const rows = dry.plan.invoices[0]!.InvoiceRows;
    expect(rows.map((r) => [r.feeCode, r.DeliveredQuantity, r.Price])).toEqual([
      ['ORDER', 1, 25],
      ['PARCEL', 2, 12],
      ['PICKLINE', 1, 4],
      ['STORAGE', seeded.stock + 10 - 2 + 3, DEMO_PRICE_LIST.STORAGE!.unitPrice],
      ['INBOUND', 1, DEMO_PRICE_LIST.INBOUND!.unitPrice],
      ['ADJUSTMENT', seeded.adjustments + 1, DEMO_PRICE_LIST.ADJUSTMENT!.unitPrice],
    ]);
    expect(await wmsNow(h)).toEqual({ stock: seeded.stock + 11, adjustments: seeded.adjustments + 1 });
    expect(dry.plan.sources).toMatchObject({ ordersShipped: 1, counts: { receivedPurchaseOrderLines: 1 } });
    const text = formatBillingExport(dry);
    expect(text).toMatch(new RegExp(`Dry run: would create 1 invoice\\(s\\) to customer ${customer}`));
    expect(text).toMatch(/invoice charges of 1 order\(s\) shipped in the period/);
    // This month is not over: its stock is today's, and the dry run says so.
    expect(text).toMatch(
      new RegExp(`Items in stock at period end: ${seeded.stock + 11}, read \\S+: the period is not over`),
    );
    expect(await invoicesOfPeriod(fortnox3pl, customer)).toEqual([]);

    // Export: one invoice in the 3PL's Fortnox, a row per fee as mapped, the version of what was billed alongside.
    const exported = await exportPeriod(h);
    expect(exported.outcome).toBe('invoiced');
    let invoices = await invoicesOfPeriod(fortnox3pl, customer);
    expect(invoices).toHaveLength(1);
    const [invoice] = invoices;
    expect(exported.invoices).toEqual([
      { ExternalInvoiceReference1: dry.plan.baseReference, DocumentNumber: invoice!.DocumentNumber, status: 'created' },
    ]);
    const { from, to } = exported.plan.period;
    expect(invoice!.ExternalInvoiceReference1).toBe(`3PL ${h.tenant.wms.goodsOwnerId}-${from}-${to}`);
    expect(invoice!.ExternalInvoiceReference2).toBe(`spec ${dry.plan.version}`);
    expect(
      invoice!.InvoiceRows.map((r) => [r.Description, r.DeliveredQuantity, r.Price, r.Unit, r.VAT, r.AccountNumber]),
    ).toEqual(
      rows.map((r) => {
        const fee = DEMO_FEE_MAPPING[r.feeCode]!;
        return [fee.description, r.DeliveredQuantity, r.Price, fee.unit, fee.vat, fee.accountNumber];
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
    expect(changed.message).toMatch(
      new RegExp(
        `exported version ${dry.plan.version} as invoice ${invoice!.DocumentNumber}.*now version ${changed.plan.version}`,
      ),
    );
    expect(changed.plan.version).not.toBe(dry.plan.version);
    expect(await needsAttention(h.client, `billing:${h.tenantId}:${period}`)).toBe(true);
    invoices = await invoicesOfPeriod(fortnox3pl, customer);
    expect(invoices.map((i) => i.DocumentNumber)).toEqual([invoice!.DocumentNumber]);
    // A dry run says so too.
    expect((await exportPeriod(h, true)).outcome).toBe('changed-after-export');

    // Every charge came from Ongoing's REST v1: invoice charges per order, nothing from an invoicing endpoint.
    const routes = await wmsRoutesCalled();
    expect(routes).toEqual(
      expect.arrayContaining(['GET /orders/:id/invoiceCharges', 'GET /articles/historicalInventory']),
    );
    expect(routes.filter((r) => r.includes('invoicing'))).toEqual([]);

    // A scheduled run (no period) invoices the month before, in Stockholm time.
    const scheduledId = `billing:${h.tenantId}:scheduled-${randomBytes(3).toString('hex')}`;
    const scheduled = await h.client.workflow.execute(billingExportWorkflow, {
      workflowId: scheduledId,
      taskQueue: h.taskQueue,
      args: [{ tenantId: h.tenantId, dryRun: true }],
    });
    expect(scheduled.period).toEqual(closedBillingPeriod(new Date()));
    // Nothing of this test happened then: no orders shipped, and no stock yet at that period's end.
    expect(scheduled.plan.sources).toMatchObject({
      ordersShipped: 0,
      counts: { itemsInStock: 0, inventoryAdjustments: 0 },
    });
    await recordHistory(scheduledId, 'billingExportWorkflow', 'scheduled-dry-run-from-sources');
  });

  it('a withdrawn invoicing permission fails the export at once, saying where to grant it; nothing is invoiced', async () => {
    h = await startHarness({ billing: {} });
    await h.addArticle('BILL-P', 5);
    await shipOrder(h, 'P-1', 'BILL-P');
    await control(h, 'put', '/permissions', { invoiceCharges: false });

    const failure = await failureOf(exportPeriod(h));
    expect(failure.type).toBe('WmsInvoiceChargesNotPermitted');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(
      /may not read invoice charges .*answered 403.*Administration → Integration → API for goods owners/,
    );
    // Non-retryable: the activity ran once, and the workflow failed on it.
    const { events } = await h.client.workflow.getHandle(billingExportWorkflowId(h.tenantId, period)).fetchHistory();
    expect(
      events!
        .filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes!.attempt),
    ).toEqual([1]);
    expect(events!.some((e) => e.workflowExecutionFailedEventAttributes)).toBe(true);
    // The dry run says the same.
    expect((await failureOf(exportPeriod(h, true))).type).toBe('WmsInvoiceChargesNotPermitted');
    expect(await invoicesOfPeriod(threePlFortnox(h), h.tenant.billing!.customerNumber)).toEqual([]);
    expect((await wmsRoutesCalled()).filter((r) => r.includes('invoicing'))).toEqual([]);
  });

  it('without per-order charges the price list alone is invoiced, and no invoicing permission is needed', async () => {
    h = await startHarness({ billing: { orderCharges: false } });
    const seeded = await wmsNow(h);
    await h.addArticle('BILL-N', 5);
    await shipOrder(h, 'N-1', 'BILL-N');
    await control(h, 'put', '/permissions', { invoiceCharges: false });
    const dry = await exportPeriod(h, true);
    expect(dry.outcome).toBe('would-invoice');
    expect(dry.plan.invoices[0]!.InvoiceRows.map((r) => [r.feeCode, r.DeliveredQuantity])).toEqual([
      ['STORAGE', seeded.stock + 5 - 2],
      ['ADJUSTMENT', seeded.adjustments + 1],
    ]);
    expect(dry.plan.sources?.ordersShipped).toBeUndefined();
    expect(formatBillingExport(dry)).toMatch(/per-order charges: off/);
  });

  it('an unknown fee code fails the export naming it, and creates nothing', async () => {
    // One row per invoice: the first invoice would come first if rows were not all checked before creating any.
    h = await startHarness({ billing: { maxRowsPerInvoice: 1 } });
    await h.addArticle('BILL-2', 5);
    // The warehouse charges for labels, an invoice article the 3PL has not mapped to a Fortnox row.
    await control(h, 'put', '/invoice-articles', {
      articles: [
        { code: 'ORDER', title: 'Order handling', price: 25, per: 'order' },
        { code: 'LABEL', title: 'Labels', price: 2, per: 'parcel' },
      ],
    });
    await shipOrder(h, 'U-1', 'BILL-2');
    const failure = await failureOf(exportPeriod(h));
    expect(failure.type).toBe('UnknownFeeCode');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/fee code LABEL with no entry in the billing feeMapping/);
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
      CustomerNumber: customer,
      ExternalInvoiceReference1: first.ExternalInvoiceReference1,
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
    expect(invoices.map((i) => i.ExternalInvoiceReference1).sort()).toEqual(
      plan.invoices.map((i) => i.ExternalInvoiceReference1).sort(),
    );
    expect(invoices.every((i) => i.InvoiceRows.length === 1)).toBe(true);
    expect((await exportPeriod(h)).outcome).toBe('already-invoiced');
    expect(await invoicesOfPeriod(fortnox3pl, customer)).toHaveLength(plan.invoices.length);
  });

  it('billing export (CLI) is a dry run unless --yes, and refuses an open or future month before touching Temporal', async () => {
    h = await startHarness({ billing: {} });
    const harness = h;
    const customer = harness.tenant.billing!.customerNumber;
    const fortnox3pl = threePlFortnox(harness);
    await harness.addArticle('BILL-C', 5);
    await shipOrder(harness, 'C-1', 'BILL-C');
    let output = '';
    let connections = 0;
    const ctx: OperatorContext = {
      client: harness.client,
      namespace: 'default',
      taskQueue: harness.taskQueue,
      tenants: [],
      uiUrl: 'http://localhost:8233',
      out: new Writable({
        write(chunk, _enc, done) {
          output += String(chunk);
          done();
        },
      }),
    };
    const context = async () => {
      connections++;
      return ctx;
    };
    const cli = (args: string[], now?: Date) =>
      buildProgram(context, context, { now: now && (() => now) }).parseAsync([
        'node',
        'cli',
        'billing',
        'export',
        ...args,
      ]);
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (err: unknown) => err as OperatorError,
      );

    // On the real clock this month is open, even with --yes; 2030 is in the future, dry run or not; a typo is no month.
    for (const [args, message] of [
      [['--period', period, '--yes'], /is not closed: it is the current month in Europe\/Stockholm time/],
      [['--period', period], /is not closed/],
      [['--period', '2030-01'], /2030-01 is in the future/],
      [['--period', '2030-01', '--yes'], /2030-01 is in the future/],
      [['--period', '2026-13', '--yes'], /expected YYYY-MM/],
    ] as const) {
      const err = await refusal(cli(['--tenant', harness.tenantId, ...args]));
      expect(err).toBeInstanceOf(OperatorError);
      expect(err!.exitCode).toBe(2);
      expect(err!.message).toMatch(message);
    }
    expect(connections).toBe(0);
    expect(await exists(harness.client, billingExportWorkflowId(harness.tenantId, period))).toBe(false);
    expect(await exists(harness.client, billingExportWorkflowId(harness.tenantId, '2030-01'))).toBe(false);

    // Once the month is over: without --yes, a dry run that says what it would invoice and how to invoice it.
    await cli(['--tenant', harness.tenantId, '--period', period], periodClosed);
    expect(output).toMatch(/^DRY RUN: nothing is created in Fortnox\./);
    expect(output).toMatch(
      new RegExp(
        `DRY RUN: nothing was created\\. A real run would create 1 invoice\\(s\\) with \\d+ row\\(s\\) to customer ${customer}: net [\\d.]+ \\+ VAT [\\d.]+ = [\\d.]+`,
      ),
    );
    expect(output).toContain(
      `To invoice for real: npm run cli -- billing export --tenant ${harness.tenantId} --period ${period} --yes`,
    );
    expect(await invoicesOfPeriod(fortnox3pl, customer)).toEqual([]);
    expect(await exists(harness.client, billingExportWorkflowId(harness.tenantId, period))).toBe(false);

    // --yes invoices, under the period's own id.
    output = '';
    await cli(['--tenant', harness.tenantId, '--period', period, '--yes'], periodClosed);
    expect(output).not.toMatch(/DRY RUN/);
    expect(output).toMatch(new RegExp(`^Invoiced ${period} to customer ${customer}`));
    expect(await invoicesOfPeriod(fortnox3pl, customer)).toHaveLength(1);
    expect(await exists(harness.client, billingExportWorkflowId(harness.tenantId, period))).toBe(true);
  });

  it('npm run billing:export has the same safety: a dry run unless --yes, an open or future month refused (exit 2)', async () => {
    h = await startHarness({ billing: {} });
    const closed = closedBillingPeriod(new Date()).period; // last month: closed, though nothing happened in it
    const open = await billingExportScript(h, ['--tenant', h.tenantId, '--period', period, '--yes']);
    expect(open).toMatchObject({ code: 2, stderr: expect.stringMatching(/refused: period \S+ is not closed/) });
    const future = await billingExportScript(h, ['--tenant', h.tenantId, '--period', '2030-01']);
    expect(future).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/refused: period 2030-01 is in the future/),
    });
    expect(await exists(h.client, billingExportWorkflowId(h.tenantId, period))).toBe(false);
    expect(await exists(h.client, billingExportWorkflowId(h.tenantId, '2030-01'))).toBe(false);

    // A closed month without --yes: a dry run (its own workflow id), never the period's export.
    const dry = await billingExportScript(h, ['--tenant', h.tenantId, '--period', closed]);
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringMatching(/^DRY RUN: nothing is created in Fortnox\./) });
    expect(await exists(h.client, billingExportWorkflowId(h.tenantId, closed))).toBe(false);
    const real = await billingExportScript(h, ['--tenant', h.tenantId, '--period', closed, '--yes']);
    expect(real.code).toBe(0);
    expect(real.stdout).not.toMatch(/DRY RUN/);
    expect(await exists(h.client, billingExportWorkflowId(h.tenantId, closed))).toBe(true);
  });

  it('schedules the period close in Stockholm time, paused until billing is switched on, not run at deployment', async () => {
    h = await startHarness({ billing: {}, startWorkers: false });
    const queue = `billing-schedule-${h.tenantId}`;
    // Order sync off, so the bootstrap starts nothing on this worker-less queue.
    const tenant = {
      ...h.tenant,
      settings: { ...h.tenant.settings, processes: { ...h.tenant.settings.processes, orders: false } },
    };
    await bootstrapSchedules(h.client, [tenant], queue);
    const handle = h.client.schedule.getHandle(`billing:${h.tenantId}`);
    try {
      let description = await handle.describe();
      expect(description.spec.timezone).toBe('Europe/Stockholm');
      expect(description.spec.calendars?.[0]).toMatchObject({
        dayOfMonth: [{ start: 1, end: 1, step: 1 }],
        hour: [{ start: 6, end: 6, step: 1 }],
      });
      expect(description.state.paused).toBe(true);
      await bootstrapSchedules(
        h.client,
        [{ ...tenant, settings: { ...tenant.settings, processes: { ...tenant.settings.processes, billing: true } } }],
        queue,
      );
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
