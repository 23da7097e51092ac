// The one way workflows reach activities: `mainActivities(profile)` for the main queue's set and
// `fortnoxActivities(tenantId, profile)` for the tenant's Fortnox queue's set, each typed by its own set
// (activities/index.ts). A Fortnox activity called through the main queue does not compile, and a Fortnox proxy cannot
// name another queue. Option profiles are named for what the activities do, in the style of
// temporalio/samples-typescript's `proxyActivities<typeof activities>({ ... })`.
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { FortnoxActivities, MainActivities } from '../activities';
import { fortnoxTaskQueue } from '../domain/names';

/** Options a profile may set: never the task queue, which the proxy decides. */
export type ActivityProfile = Omit<ActivityOptions, 'taskQueue'>;

const quickRetry = { initialInterval: '1 second', maximumInterval: '1 minute' } as const;
const fortnoxRetry = { initialInterval: '2 seconds', maximumInterval: '2 minutes', backoffCoefficient: 2 } as const;

export const profiles = {
  // ---- main queue ----
  /** One WMS request: answers in seconds. */
  wmsCall: { startToCloseTimeout: '30 seconds', retry: { ...quickRetry, backoffCoefficient: 2 } },
  /** The worker's own settings: a few tries, then the caller keeps what it has. */
  settingsRead: { startToCloseTimeout: '10 seconds', retry: { initialInterval: '1 second', maximumAttempts: 3 } },
  /** A short Temporal or WMS step of a sync (a cursor, a batch of starts). */
  syncStep: { startToCloseTimeout: '1 minute', retry: quickRetry },
  /** Starting or signalling a list of order workflows: beats per order. */
  orderStarts: { startToCloseTimeout: '5 minutes', heartbeatTimeout: '20 seconds', retry: quickRetry },
  /** The WMS status-change poll: pages through changed orders, beating. */
  wmsStatusPoll: { startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry: quickRetry },
  /** A billing step that only plans or records. */
  billingStep: { startToCloseTimeout: '2 minutes', retry: fortnoxRetry },
  /** Reading a month of billing sources from the WMS: a call per shipped order, beating, resuming from its beat. */
  billingSourcesRead: { startToCloseTimeout: '1 hour', heartbeatTimeout: '1 minute', retry: fortnoxRetry },

  // ---- a tenant's Fortnox queue ----
  /** One Fortnox request: 30 s covers a paced wait and a slow answer. */
  fortnoxRequest: { startToCloseTimeout: '30 seconds', retry: fortnoxRetry },
  /** One Fortnox write that must not be repeated as it is (its retry is a new read and a new write, by the workflow). */
  fortnoxWriteOnce: { startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 1 } },
  /** The whole report in one activity, for runs from before it was split: up to five paced calls, beating. */
  fortnoxWholeReport: { startToCloseTimeout: '10 minutes', heartbeatTimeout: '20 seconds', retry: fortnoxRetry },
  /** Billing invoices: a lookup or one invoice. */
  fortnoxBilling: { startToCloseTimeout: '2 minutes', retry: fortnoxRetry },
  /** A page of the order sync: a list request, then a start or signal per order, beating. */
  fortnoxOrderPage: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '20 seconds', retry: fortnoxRetry },
  /** Changed articles to the WMS: tens of thousands at Fortnox's pace take hours; the heartbeat detects a crash. */
  fortnoxArticleSync: { startToCloseTimeout: '12 hours', heartbeatTimeout: '30 seconds', retry: quickRetry },
  /** Changed suppliers to the WMS. */
  fortnoxSupplierSync: { startToCloseTimeout: '1 hour', heartbeatTimeout: '1 minute', retry: fortnoxRetry },
  /** Stock levels between the WMS and Fortnox Lager: beats between calls. */
  fortnoxStockSync: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '1 minute', retry: fortnoxRetry },
  /** A page of purchase orders or receipts: bounded, beating between calls. */
  fortnoxPurchaseOrderPage: { startToCloseTimeout: '15 minutes', heartbeatTimeout: '2 minutes', retry: fortnoxRetry },
  /** The whole purchase-order sync in one activity, for runs from before it was paged. */
  fortnoxWholePurchaseOrderSync: {
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '2 minutes',
    retry: fortnoxRetry,
  },
} as const satisfies Record<string, ActivityProfile>;

/** The main queue's activities (the WMS, Temporal, settings). */
export function mainActivities(profile: ActivityProfile) {
  return proxyActivities<MainActivities>(profile);
}

/** The tenant's Fortnox activities, always on the tenant's own rate-limited queue. */
export function fortnoxActivities(tenantId: string, profile: ActivityProfile) {
  return proxyActivities<FortnoxActivities>({ ...profile, taskQueue: fortnoxTaskQueue(tenantId) });
}
