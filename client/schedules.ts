// Creates or updates each tenant's schedules from its settings at start-up, idempotently: a schedule that exists is
// updated, one whose process is switched off is paused. Each carries a note saying what it does, shown in the Web UI,
// and a timeout per run. Every "run now" (start-up's first run, the console, the CLI) goes through triggerScheduleNow.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Tenant } from '../config/tenants';
import { orderSyncInterval, type TenantSettings } from '../domain/settings';
import { durationMs } from '../domain/duration';
import { stockSyncOffsetMs } from '../domain/stock';
import {
  articlesScheduleId,
  billingCloseWorkflowId,
  billingScheduleId,
  ordersScheduleId,
  pollWmsStatusWorkflowId,
  purchaseOrdersScheduleId,
  stockLevelsScheduleId,
  suppliersScheduleId,
  syncArticlesWorkflowId,
  syncOrdersWorkflowId,
  syncPurchaseOrdersWorkflowId,
  syncStockWorkflowId,
  syncSuppliersWorkflowId,
  wmsStatusScheduleId,
} from '../domain/names';
import {
  billingPeriodCloseWorkflow,
  pollWmsStatusWorkflow,
  syncArticlesWorkflow,
  syncOrdersWorkflow,
  syncPurchaseOrdersWorkflow,
  syncStockWorkflow,
  syncSuppliersWorkflow,
} from '../workflows';

/** A scheduled workflow: each takes the tenant (`args: [{ tenantId }]`) and nothing else it needs. */
type ScheduledWorkflow = (input: { tenantId: string }) => Promise<unknown>;

export interface ScheduleDefinition {
  scheduleId: string;
  /** The workflow function itself (its name is the workflow type), so a renamed workflow fails to compile here. */
  workflowType: ScheduledWorkflow;
  workflowId: string;
  /** Which process switch turns it on. */
  process: keyof TenantSettings['processes'];
  note: string;
  spec: ScheduleOptions['spec'];
  /**
   * The longest one run may take, end to end (continue-as-new included); then Temporal times it out and the schedule's
   * next run starts. Without it a stuck run (Fortnox down, a worker that never comes) blocks its schedule for good: the
   * overlap policy SKIP starts nothing beside a running run. Sized well above the run's legitimate worst case: a run
   * timed out loses nothing (the next one starts from the last completed run's cursor) but is work done again.
   */
  runTimeout: Duration;
  /** What a start does while a run is still running (default SKIP) and how late a missed start may still run (default 1 hour). */
  policies?: { overlap: ScheduleOverlapPolicy; catchupWindow: Duration };
  /** Run once at creation too (default). Off for period closes: a deployment is no period close. */
  runAtCreation?: boolean;
}

/** Syncs: a start missed while Temporal was down runs if it is at most an hour late; later ones are the next run's. */
const SYNC_POLICIES = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' } as const;

/**
 * Period closes: a close missed while Temporal was down still runs up to 31 days late (the longest month; Temporal sets
 * no upper limit, its default is a year), and several missed closes run one after the other (BUFFER_ALL), each
 * exporting the month before its own scheduled time. A close missed by longer is counted by the schedule
 * (numActionsMissedCatchupWindow) and `status` lists the period without an export.
 */
const PERIOD_CLOSE_POLICIES = { overlap: ScheduleOverlapPolicy.BUFFER_ALL, catchupWindow: '31 days' } as const;

export function scheduleDefinitions(tenant: Tenant): ScheduleDefinition[] {
  const { settings } = tenant;
  return [
    {
      scheduleId: ordersScheduleId(tenant.id),
      workflowType: syncOrdersWorkflow,
      workflowId: syncOrdersWorkflowId(tenant.id),
      process: 'orders',
      note:
        `Every ${orderSyncInterval(settings)}: pulls Fortnox orders changed since the last run (overlap ${settings.syncOverlap}) ` +
        'and starts or signals one order workflow per order' +
        (settings.fortnoxEvents === 'on' ? ' (the safety net: Fortnox events bring changed orders in seconds).' : '.'),
      spec: { intervals: [{ every: orderSyncInterval(settings) }] },
      // Listing and signalling a 30,000-order backfill takes minutes; its listing activity alone may take 30 minutes.
      runTimeout: '2 hours',
    },
    {
      scheduleId: wmsStatusScheduleId(tenant.id),
      workflowType: pollWmsStatusWorkflow,
      workflowId: pollWmsStatusWorkflowId(tenant.id),
      process: 'wmsStatusPoll',
      note:
        `Every ${settings.wmsStatusPollInterval}: asks the WMS which orders changed status since the last poll (overlap ` +
        `${settings.syncOverlap}) and tells their workflows, so shipments reach Fortnox even when webhooks are off or lost.`,
      spec: { intervals: [{ every: settings.wmsStatusPollInterval }] },
      // Three times its one activity's 10-minute bound; it runs every few minutes, so a stuck poll costs a few polls.
      runTimeout: '30 minutes',
    },
    {
      scheduleId: articlesScheduleId(tenant.id),
      workflowType: syncArticlesWorkflow,
      workflowId: syncArticlesWorkflowId(tenant.id),
      process: 'articles',
      note:
        `Every ${settings.syncInterval}: copies Fortnox stock goods changed since the last run (the first run: all) to the ` +
        'WMS article registry; articles no longer stock goods or inactive become non-stock articles there (docs/syncs.md).',
      spec: { intervals: [{ every: settings.syncInterval }] },
      // A first sync of tens of thousands of articles at Fortnox's pace takes hours (its activity may run 12).
      runTimeout: '24 hours',
    },
    {
      scheduleId: suppliersScheduleId(tenant.id),
      workflowType: syncSuppliersWorkflow,
      workflowId: syncSuppliersWorkflowId(tenant.id),
      process: 'suppliers',
      note: `Every ${settings.syncInterval}: copies new and changed Fortnox suppliers to the WMS supplier registry.`,
      spec: { intervals: [{ every: settings.syncInterval }] },
      // Three times its activity's one-hour bound (a first sync rewrites the supplierInfo of every article).
      runTimeout: '3 hours',
    },
    {
      scheduleId: stockLevelsScheduleId(tenant.id),
      workflowType: syncStockWorkflow,
      workflowId: syncStockWorkflowId(tenant.id),
      process: 'stockLevels',
      note:
        `At the end of each ${settings.syncInterval} interval: makes Fortnox stock equal the WMS stock (without Lager: ` +
        'QuantityInStock per article; with Lager: released WMS-SYNC-IN/OUT documents per article and stock point).',
      // Offset to the end of the interval, after that interval's order and article syncs have run.
      spec: {
        intervals: [
          { every: settings.syncInterval, offset: `${stockSyncOffsetMs(durationMs(settings.syncInterval)) / 1000}s` },
        ],
      },
      // Four times its activity's 30-minute bound.
      runTimeout: '2 hours',
      runAtCreation: false,
    },
    {
      scheduleId: purchaseOrdersScheduleId(tenant.id),
      workflowType: syncPurchaseOrdersWorkflow,
      workflowId: syncPurchaseOrdersWorkflowId(tenant.id),
      // Inbound goods have no switch of their own in the settings: they follow the article registry's.
      process: 'purchaseOrders',
      note:
        `Every ${settings.syncInterval}, with Fortnox Lager only: Fortnox purchase orders → WMS purchase orders, and ` +
        'goods received in the warehouse → released WMS-RECEIPT inbound deliveries in Fortnox.',
      spec: { intervals: [{ every: settings.syncInterval }] },
      // Four times its activity's 30-minute bound.
      runTimeout: '2 hours',
    },
    // 3PL invoicing: only for goods owners the tenants file lists under billing (docs/billing.md).
    ...(tenant.billing
      ? [
          {
            scheduleId: billingScheduleId(tenant.id),
            // A thin run that starts the closed period's export under the period's own id (billing:<tenant>:<YYYY-MM>).
            workflowType: billingPeriodCloseWorkflow,
            workflowId: billingCloseWorkflowId(tenant.id),
            process: 'billing' as const,
            note:
              `At period close ("${settings.billingCron}", Europe/Stockholm): invoices the previous month's WMS billing ` +
              `specification to customer ${tenant.billing.customerNumber} in the 3PL's Fortnox, once per month.`,
            spec: { cronExpressions: [settings.billingCron], timezone: 'Europe/Stockholm' },
            // Reading a busy month takes about an hour. A week lets a close wait out a worker outage and still export its
            // month, and is shorter than any month, so a stuck close never blocks the next one.
            runTimeout: '7 days',
            policies: PERIOD_CLOSE_POLICIES,
            runAtCreation: false,
          },
        ]
      : []),
  ];
}

/** The note the operator CLI writes when it pauses a schedule; start-up leaves such a schedule paused. */
export const OPERATOR_PAUSE_NOTE = 'Paused by an operator';

/** Whether a paused schedule was paused by an operator (CLI `pause`), not switched off in the settings. */
export const pausedByOperator = (state: { paused: boolean; note?: string }) =>
  state.paused && (state.note ?? '').startsWith(OPERATOR_PAUSE_NOTE);

export interface BootstrapResult {
  created: string[];
  updated: string[];
  paused: string[];
}

/**
 * Starts a run of the schedule now, as one of its own runs: with the overlap policy SKIP, so nothing starts beside a
 * run still running, and the run receives the previous completed run's result (its cursor) as its last completion
 * result and leaves its own for the next. `trigger()` without a policy uses ALLOW_ALL, whose runs the scheduler neither
 * hands a result to nor takes one from: the run after it would fall back to looking the cursor up, or sync in full.
 * A schedule that is paused still runs: a trigger is an operator's (or start-up's) explicit request.
 */
export async function triggerScheduleNow(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
}

/**
 * A run that starts after now, even if one is running (BUFFER_ONE: it waits for that run): for "something may have
 * been missed up to now" (the event listener's gaps), which a run that had already listed cannot cover. Like SKIP it
 * is one of the schedule's own runs, cursor in and out; several such requests while one run goes make one more run.
 */
export async function triggerScheduleAfterRunning(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.BUFFER_ONE);
}

/** The schedule as bootstrap creates it (and re-applies on update): spec, action with its run timeout, policies, state. */
export function scheduleOptions(tenant: Tenant, def: ScheduleDefinition, taskQueue: string): ScheduleOptions {
  const enabled = tenant.settings.processes[def.process];
  return {
    scheduleId: def.scheduleId,
    spec: def.spec,
    action: {
      type: 'startWorkflow',
      workflowType: def.workflowType,
      workflowId: def.workflowId,
      taskQueue,
      args: [{ tenantId: tenant.id }],
      staticSummary: def.note,
      // The execution timeout bounds the whole run, continue-as-new included; the run timeout each run of it.
      workflowExecutionTimeout: def.runTimeout,
      workflowRunTimeout: def.runTimeout,
    },
    policies: { ...(def.policies ?? SYNC_POLICIES) },
    state: {
      paused: !enabled,
      note: enabled ? def.note : `Switched off in the settings of tenant ${tenant.id}. ${def.note}`,
    },
  };
}

export async function bootstrapSchedules(
  client: Client,
  tenants: Tenant[],
  taskQueue: string,
): Promise<BootstrapResult> {
  const result: BootstrapResult = { created: [], updated: [], paused: [] };
  for (const tenant of tenants) {
    for (const def of scheduleDefinitions(tenant)) {
      const enabled = tenant.settings.processes[def.process];
      const options = scheduleOptions(tenant, def, taskQueue);
      try {
        await client.schedule.create(options);
        result.created.push(def.scheduleId);
        // The first run starts at once, so a new deployment does not wait a whole interval; started as a regular run
        // (not the create call's triggerImmediately, which is ALLOW_ALL), so its result is the next run's cursor.
        if (enabled && def.runAtCreation !== false) await triggerScheduleNow(client, def.scheduleId);
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        const handle = client.schedule.getHandle(def.scheduleId);
        await handle.update((previous) => ({
          ...previous,
          spec: def.spec,
          action: options.action,
          policies: options.policies,
          // An operator's pause (CLI `pause`) outlives restarts until the operator resumes; the settings decide the rest.
          state: pausedByOperator(previous.state)
            ? previous.state
            : { ...previous.state, paused: !enabled, note: options.state?.note },
        }));
        result.updated.push(def.scheduleId);
      }
      if (!enabled) result.paused.push(def.scheduleId);
    }
  }
  return result;
}
