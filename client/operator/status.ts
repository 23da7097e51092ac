// `status`: per tenant, its schedules (paused? next run), billing periods closed without an export, its open order
// workflows by stage, and the orders that need an operator; then the Fortnox event listener's state and each topic's
// last event. Everything comes from Temporal (schedules, visibility, the offsets workflow's queries), so it works
// without the tenants file.
import type { ScheduleSummary, WorkflowExecutionInfo } from '@temporalio/client';
import { documentNumberOfOrderWorkflowId, tenantOfScheduleId } from '../../domain/names';
import { ORDER_WORKFLOW_TYPE, type OrderStage } from '../../workflows/order/messages';
import { billingProblems, checkBillingPeriods, type BillingCheck } from './billing-periods';
import { OperatorError, println, quote, table, workflowUrl, type OperatorContext } from './context';
import { formatFortnoxEvents, readFortnoxEvents } from './fortnox-events-status';

/** The stages of an order workflow that is still running. */
export const OPEN_STAGES = [
  'starting',
  'awaiting-warehouse',
  'in-warehouse',
  'reporting',
  'needs-attention',
] as const satisfies readonly OrderStage[];

export interface TenantStatus {
  tenantId: string;
  schedules: { scheduleId: string; paused: boolean; note?: string; nextRun?: Date; lastRun?: Date }[];
  openByStage: Record<(typeof OPEN_STAGES)[number], number>;
  openTotal: number;
  attention: { workflowId: string; documentNumber: string; stage: string; running: boolean; url: string }[];
  /** The 3PL invoicing period closes and their exports; absent when the tenant has no billing schedule. */
  billing?: BillingCheck;
}

export interface StatusOptions {
  tenant?: string;
  /** How far back closed workflows flagged NeedsAttention (e.g. cancelled in the WMS) are listed. Default 7 days. */
  closedWithinDays?: number;
  /** At most this many needs-attention orders per tenant. Default 20. */
  attentionLimit?: number;
  /** The time the billing check looks from (default: now). */
  now?: Date;
  /** The Fortnox event offsets workflow to read (tests: one of their own). Default FORTNOX_EVENT_OFFSETS_WORKFLOW_ID. */
  fortnoxEventsWorkflowId?: string;
}

const ORDERS = `WorkflowType="${ORDER_WORKFLOW_TYPE}"`;

async function listSchedules(ctx: OperatorContext): Promise<ScheduleSummary[]> {
  const schedules: ScheduleSummary[] = [];
  for await (const schedule of ctx.client.schedule.list())
    if (schedule.scheduleId.includes(':')) schedules.push(schedule);
  return schedules;
}

async function attentionList(
  ctx: OperatorContext,
  tenantId: string,
  options: StatusOptions,
): Promise<TenantStatus['attention']> {
  const since = new Date(Date.now() - (options.closedWithinDays ?? 7) * 86_400_000).toISOString();
  const query =
    `${ORDERS} AND Tenant=${quote(tenantId)} AND NeedsAttention=true AND ` +
    `(ExecutionStatus="Running" OR CloseTime > ${quote(since)})`;
  const found: TenantStatus['attention'] = [];
  for await (const wf of ctx.client.workflow.list({ query, pageSize: 100 })) {
    found.push(attentionRow(ctx, wf));
    if (found.length >= (options.attentionLimit ?? 20)) break;
  }
  return found;
}

function attentionRow(ctx: OperatorContext, wf: WorkflowExecutionInfo): TenantStatus['attention'][number] {
  const attrs = wf.searchAttributes as Record<string, unknown[] | undefined>;
  return {
    workflowId: wf.workflowId,
    documentNumber: String(attrs.FortnoxOrderNumber?.[0] ?? documentNumberOfOrderWorkflowId(wf.workflowId)),
    stage: String(attrs.OrderStage?.[0] ?? '?'),
    running: wf.status.name === 'RUNNING',
    url: workflowUrl(ctx, wf.workflowId),
  };
}

export async function collectStatus(ctx: OperatorContext, options: StatusOptions = {}): Promise<TenantStatus[]> {
  const schedules = await listSchedules(ctx);
  const tenantIds = options.tenant
    ? [options.tenant]
    : [...new Set([...ctx.tenants.map((t) => t.id), ...schedules.map((s) => tenantOfScheduleId(s.scheduleId))])].sort();
  if (tenantIds.length === 0) throw new OperatorError('no tenants: no tenants file and no schedules on this namespace');
  const result: TenantStatus[] = [];
  for (const tenantId of tenantIds) {
    const openByStage = Object.fromEntries(
      await Promise.all(
        OPEN_STAGES.map(async (stage) => {
          const { count } = await ctx.client.workflow.count(
            `${ORDERS} AND ExecutionStatus="Running" AND Tenant=${quote(tenantId)} AND OrderStage=${quote(stage)}`,
          );
          return [stage, count];
        }),
      ),
    ) as TenantStatus['openByStage'];
    result.push({
      tenantId,
      schedules: schedules
        .filter((s) => tenantOfScheduleId(s.scheduleId) === tenantId)
        .map((s) => ({
          scheduleId: s.scheduleId,
          paused: s.state.paused,
          note: s.state.note,
          nextRun: s.info.nextActionTimes[0],
          lastRun: s.info.recentActions.at(-1)?.takenAt,
        })),
      openByStage,
      openTotal: Object.values(openByStage).reduce((a, b) => a + b, 0),
      attention: await attentionList(ctx, tenantId, options),
      billing: await checkBillingPeriods(ctx, tenantId, { now: options.now }),
    });
  }
  return result;
}

const time = (d?: Date) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '-');

function printBilling(ctx: OperatorContext, s: TenantStatus): void {
  if (!s.billing) return;
  const problems = billingProblems(s.billing);
  if (s.billing.missedCatchupWindow > 0) {
    println(
      ctx,
      `BILLING: the period-close schedule skipped ${s.billing.missedCatchupWindow} close(s): Temporal could not run ` +
        'them within the catch-up window. Check which months lack an invoice and export them by hand.',
    );
  }
  if (problems.length === 0) {
    if (s.billing.periods.length)
      println(ctx, `Billing: every period closed since ${time(s.billing.periods[0]!.dueAt)} is exported.`);
    println(ctx);
    return;
  }
  // The command that fixes it invoices only with --yes: the hint says so, and that a dry run without it shows first.
  println(
    ctx,
    `BILLING: ${problems.length} closed period(s) without a completed export; export each with: ` +
      `npm run cli -- billing export --tenant ${s.tenantId} --period <YYYY-MM> --yes (without --yes: a dry run)`,
  );
  const what = {
    missing: 'missing: no export ran',
    failed: 'export ended',
    'needs-attention': 'exported, needs attention',
  } as const;
  println(
    ctx,
    table(
      ['period', 'close due', 'state', 'workflow'],
      problems.map((p) => [
        p.period,
        time(p.dueAt),
        `${what[p.state as keyof typeof what]}${p.detail ? ` (${p.detail})` : ''}`,
        p.workflowId,
      ]),
    ),
  );
  println(ctx);
}

export async function statusCommand(ctx: OperatorContext, options: StatusOptions = {}): Promise<TenantStatus[]> {
  const statuses = await collectStatus(ctx, options);
  for (const s of statuses) {
    println(ctx, `Tenant ${s.tenantId}`);
    println(
      ctx,
      s.schedules.length
        ? table(
            ['schedule', 'state', 'next run', 'last run'],
            s.schedules.map((x) => [
              x.scheduleId,
              x.paused ? 'PAUSED' : 'active',
              x.paused ? '-' : time(x.nextRun),
              time(x.lastRun),
            ]),
          )
        : '(no schedules)',
    );
    println(ctx);
    printBilling(ctx, s);
    println(
      ctx,
      table(
        ['open orders by stage', 'count'],
        [...OPEN_STAGES.map((stage) => [stage, s.openByStage[stage]]), ['total', s.openTotal]],
      ),
    );
    println(ctx);
    if (s.attention.length === 0) {
      println(ctx, 'No orders need attention.');
    } else {
      println(
        ctx,
        `Orders needing attention (${s.attention.length}); see them with: npm run cli -- order show ${s.tenantId} <order>`,
      );
      println(
        ctx,
        table(
          ['order', 'stage', 'workflow', 'Web UI'],
          s.attention.map((a) => [a.documentNumber, a.stage, a.running ? 'running' : 'closed', a.url]),
        ),
      );
    }
    println(ctx);
  }
  await printFortnoxEvents(ctx, options);
  return statuses;
}

/** One section for the deployment: one listener connection carries every tenant with fortnoxEvents on. */
async function printFortnoxEvents(ctx: OperatorContext, options: StatusOptions): Promise<void> {
  try {
    println(
      ctx,
      formatFortnoxEvents(await readFortnoxEvents(ctx.client, { workflowId: options.fortnoxEventsWorkflowId })),
    );
  } catch (err) {
    println(ctx, `Fortnox events\ncannot tell: ${err instanceof Error ? err.message : String(err)}`);
  }
  println(ctx);
}
