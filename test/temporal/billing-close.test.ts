// The 3PL invoicing period close over time: a close that runs late still exports the month before its scheduled time,
// missed closes are caught up for a month, and `status` shows an operator every closed period without an export.
import { Writable } from 'node:stream';
import { msToNumber } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBillingExport } from '../../client/billing-command';
import { checkBillingPeriods } from '../../client/operator/billing-periods';
import type { OperatorContext } from '../../client/operator/context';
import { statusCommand } from '../../client/operator/status';
import { scheduleDefinitions, scheduleOptions } from '../../client/schedules';
import { closedBillingPeriod } from '../../domain/billing';
import type { BillingPeriodCloseResult } from '../../workflows/billing-period-close';
import { recordHistory } from './record';
import { scheduledRun, startHarness, type Harness } from './harness';

let h: Harness;
let ctx: OperatorContext;
let output = '';
const out = new Writable({
  write(chunk, _enc, done) {
    output += String(chunk);
    done();
  },
});

beforeAll(async () => {
  h = await startHarness({ billing: {}, settings: { processes: { billing: true } } });
  ctx = {
    client: h.client,
    namespace: 'default',
    taskQueue: h.taskQueue,
    tenants: [h.tenant],
    out,
    uiUrl: 'http://localhost:8233',
  };
  // Only the billing schedule, as start-up makes it.
  const def = scheduleDefinitions(h.tenant).find((d) => d.process === 'billing')!;
  await h.client.schedule.create(scheduleOptions(h.tenant, def, h.taskQueue));
});

afterAll(async () => {
  await h?.client.schedule
    .getHandle(`billing:${h.tenantId}`)
    .delete()
    .catch(() => undefined);
  await h?.close();
});

describe('billing period close', () => {
  it('catches up missed closes for a month, and a late close exports the month before its scheduled time', async () => {
    const handle = h.client.schedule.getHandle(`billing:${h.tenantId}`);
    const description = await handle.describe();
    expect(description.policies).toMatchObject({ overlap: 'BUFFER_ALL', catchupWindow: 31 * 86_400_000 });
    expect(description.action).toMatchObject({
      workflowRunTimeout: msToNumber('7 days'),
      workflowExecutionTimeout: msToNumber('7 days'),
    });

    // The close due on 1 March 2025 at 06:00 Stockholm time runs now, long after: as after an outage, or a backfill.
    await handle.backfill([{ start: new Date('2025-02-28T12:00:00Z'), end: new Date('2025-03-01T12:00:00Z') }]);
    const { workflowId, result } = await scheduledRun<BillingPeriodCloseResult>(h, `billing:${h.tenantId}`, 1);
    expect(result).toMatchObject({ period: '2025-02', outcome: 'exported' });
    expect((await h.client.workflow.getHandle(`billing:${h.tenantId}:2025-02`).describe()).status.name).toBe(
      'COMPLETED',
    );
    await recordHistory(workflowId, 'billingPeriodCloseWorkflow', 'late-close');
  });

  it('status lists a closed period without a completed export until it is exported', async () => {
    // Look from an hour after the schedule's next close: that close has run no export (nothing runs it here).
    const [nextClose] = (await h.client.schedule.getHandle(`billing:${h.tenantId}`).describe()).info.nextActionTimes;
    const now = new Date(nextClose!.getTime() + 3_600_000);
    const { period } = closedBillingPeriod(nextClose!);

    const missing = await checkBillingPeriods(ctx, h.tenantId, { now });
    expect(missing?.periods).toEqual([
      { period, dueAt: nextClose, workflowId: `billing:${h.tenantId}:${period}`, state: 'missing' },
    ]);
    output = '';
    await statusCommand(ctx, { tenant: h.tenantId, now });
    expect(output).toContain(
      `BILLING: 1 closed period(s) without a completed export; export each with: npm run cli -- billing export --tenant ${h.tenantId} --period <YYYY-MM> --yes (without --yes: a dry run)`,
    );
    expect(output).toMatch(
      new RegExp(
        `${period} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:00Z +missing: no export ran +billing:${h.tenantId}:${period}`,
      ),
    );

    // The operator's export (the same id the close uses) settles it.
    // Exported as the operator would then: the month is closed at `now`, and --yes (dryRun: false) invoices it.
    await runBillingExport({
      client: h.client,
      tenantId: h.tenantId,
      period,
      taskQueue: h.taskQueue,
      dryRun: false,
      now,
    });
    expect((await checkBillingPeriods(ctx, h.tenantId, { now }))?.periods).toMatchObject([
      { period, state: 'exported' },
    ]);
    output = '';
    await statusCommand(ctx, { tenant: h.tenantId, now });
    expect(output).not.toContain('BILLING:');
    expect(output).toContain('Billing: every period closed since');
  });
});
