// Per-tenant integration settings and their defaults, as Ongoing's Fortnox integration ships them:
// every process on except stock levels (and 3PL invoicing, a separate integration), a 15-minute interval,
// orders pulled when confirmed and not invoiced, fulfilment reported when the "sent" button is pressed.
import { z } from 'zod';

const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, { error: 'expected a duration such as 30s, 15m, 4h or 1d' });

export const processesSchema = z.object({
  articles: z.boolean().default(true),
  suppliers: z.boolean().default(true),
  orders: z.boolean().default(true),
  fulfilmentReporting: z.boolean().default(true),
  stockLevels: z.boolean().default(false),
  /** Fortnox purchase orders → WMS inbound orders, receipts → Fortnox (only with Fortnox Lager). */
  purchaseOrders: z.boolean().default(true),
  billing: z.boolean().default(false),
  /** Ask the WMS every wmsStatusPollInterval which orders changed status: the safety net for lost or absent webhooks. */
  wmsStatusPoll: z.boolean().default(true),
});

export const orderSelectionSchema = z.object({
  /** Only orders whose confirmation has been sent (Fortnox `Sent: true`): the seed's "Confirmed" status. */
  requireConfirmationSent: z.boolean().default(true),
  /** "Placed non-invoiced orders": skip orders that already have an invoice. */
  excludeInvoiced: z.boolean().default(true),
  excludeCancelled: z.boolean().default(true),
});

export const settingsSchema = z.object({
  processes: processesSchema.prefault({}),
  syncInterval: duration.default('15m'),
  /**
   * Fortnox's WebSocket events bring changed orders in seconds (client/fortnox-events/); needs the event listener
   * running (`npm run events`, or `npm start`). Off: orders wait for the order sync, every syncInterval.
   */
  fortnoxEvents: z.enum(['on', 'off']).default('on'),
  /** With events on, the order sync is only the safety net for events Fortnox did not send: it runs this often. */
  orderSyncIntervalWithEvents: duration.default('1h'),
  /** How far behind the previous cursor each order sync starts, so changes saved mid-sync are never missed. */
  syncOverlap: duration.default('5m'),
  orderSelection: orderSelectionSchema.prefault({}),
  /** When fulfilment is reported to Fortnox: when the warehouse presses "sent" (default) or when picked. */
  reportOn: z.enum(['sent', 'picked']).default('sent'),
  notifications: z.object({ sms: z.boolean().default(false), email: z.boolean().default(false) }).prefault({}),
  /** How often the status-change poll asks the WMS which orders changed status (works with webhooks off). */
  wmsStatusPollInterval: duration.default('2m'),
  /** How often a waiting order workflow asks the WMS itself, in case a webhook was lost. */
  reconciliationInterval: duration.default('4h'),
  /** An order workflow continues as new once its history passes this many events (Temporal may suggest it sooner). */
  orderHistoryLimit: z.number().int().min(20).default(2000),
  /** WMS warehouse name → Fortnox Lager StockPointCode. */
  stockPoints: z.record(z.string(), z.string()).default({}),
  /** 3PL invoicing period close, as a cron expression in Europe/Stockholm time. */
  billingCron: z.string().default('0 6 1 * *'),
});

export type TenantSettings = z.infer<typeof settingsSchema>;
export type OrderSelection = z.infer<typeof orderSelectionSchema>;

/** How often the order sync runs: syncInterval, or the safety-net interval when Fortnox events bring orders. */
export function orderSyncInterval(settings: TenantSettings): string {
  return settings.fortnoxEvents === 'on' ? settings.orderSyncIntervalWithEvents : settings.syncInterval;
}

export const defaultSettings = (): TenantSettings => settingsSchema.parse({});
