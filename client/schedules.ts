// Creates or updates each tenant's schedules from its settings at start-up, idempotently: a schedule that exists is
// updated, one whose process is switched off is paused. Each carries a note saying what it does, shown in the Web UI.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Tenant } from '../config/tenants';
import type { TenantSettings } from '../domain/settings';

export interface ScheduleDefinition {
  scheduleId: string;
  workflowType: string;
  workflowId: string;
  /** Which process switch turns it on. */
  process: keyof TenantSettings['processes'];
  note: string;
  spec: ScheduleOptions['spec'];
}

export function scheduleDefinitions(tenant: Tenant): ScheduleDefinition[] {
  const { settings } = tenant;
  return [
    {
      scheduleId: `orders:${tenant.id}`,
      workflowType: 'syncOrdersWorkflow',
      workflowId: `sync-orders:${tenant.id}`,
      process: 'orders',
      note: `Every ${settings.syncInterval}: pulls Fortnox orders changed since the last run (overlap ${settings.syncOverlap}) ` +
        'and starts or signals one order workflow per order.',
      spec: { intervals: [{ every: settings.syncInterval }] },
    },
  ];
}

export interface BootstrapResult {
  created: string[];
  updated: string[];
  paused: string[];
}

export async function bootstrapSchedules(client: Client, tenants: Tenant[], taskQueue: string): Promise<BootstrapResult> {
  const result: BootstrapResult = { created: [], updated: [], paused: [] };
  for (const tenant of tenants) {
    for (const def of scheduleDefinitions(tenant)) {
      const enabled = tenant.settings.processes[def.process];
      const options: ScheduleOptions = {
        scheduleId: def.scheduleId,
        spec: def.spec,
        action: {
          type: 'startWorkflow',
          workflowType: def.workflowType,
          workflowId: def.workflowId,
          taskQueue,
          args: [{ tenantId: tenant.id }],
          staticSummary: def.note,
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
        state: { paused: !enabled, note: enabled ? def.note : `Switched off in the settings of tenant ${tenant.id}. ${def.note}` },
      };
      try {
        // The first run starts at once, so a new deployment does not wait a whole interval.
        await client.schedule.create({ ...options, state: { ...options.state, triggerImmediately: enabled } });
        result.created.push(def.scheduleId);
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        const handle = client.schedule.getHandle(def.scheduleId);
        await handle.update((previous) => ({
          ...previous,
          spec: def.spec,
          action: options.action,
          policies: options.policies,
          state: { ...previous.state, paused: !enabled, note: options.state?.note },
        }));
        result.updated.push(def.scheduleId);
      }
      if (!enabled) result.paused.push(def.scheduleId);
    }
  }
  return result;
}
