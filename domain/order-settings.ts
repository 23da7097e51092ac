// What an order workflow carries of its tenant's settings. Apart from domain/settings.ts (the schema) so that the
// workflow bundle carries no schema library (why: test/workers/workflow-bundle.test.ts).
import type { TenantSettings } from './settings';

/**
 * What an order workflow carries of its tenant's settings (the selection rules, when to report, notifications, the
 * reconciliation interval and the history limit). Taken when the order starts and taken again at each continue-as-new,
 * so a changed setting reaches a waiting order within one history's life, never in the middle of a step.
 */
export type OrderWorkflowSettings = Pick<
  TenantSettings,
  'orderSelection' | 'reportOn' | 'notifications' | 'reconciliationInterval'
> & { fulfilmentReporting: boolean; orderHistoryLimit?: number };

export function orderWorkflowSettings(settings: TenantSettings): OrderWorkflowSettings {
  return {
    orderSelection: settings.orderSelection,
    reportOn: settings.reportOn,
    notifications: settings.notifications,
    reconciliationInterval: settings.reconciliationInterval,
    fulfilmentReporting: settings.processes.fulfilmentReporting,
    orderHistoryLimit: settings.orderHistoryLimit,
  };
}
