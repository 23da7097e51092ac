// Many orders at once, for benches and scale tests: a tenant with tens of thousands of orders (years of history) is
// set up in a second, where posting them one by one at Fortnox's rate limit would take hours. Sandbox control only.
import { createInvoice } from './rest/invoices';
import { createOrder } from './rest/orders';
import type { Json, Tenant } from './state';

export interface BulkOrdersRequest {
  count: number;
  customerNumber: string;
  /** Order confirmation sent (what the default selection rules ask for). */
  sent: boolean;
  /** Already invoiced, as history is: each gets its invoice. */
  invoiced: boolean;
  /** Rows of every order; none by default (history that no warehouse will see). */
  rows: Json[];
}

export const MAX_BULK_ORDERS = 50_000;

export function createBulkOrders(
  tenant: Tenant,
  request: BulkOrdersRequest,
  nowMs: number,
  today: string,
): { first: number; last: number } {
  let first = 0;
  let last = 0;
  for (let i = 0; i < request.count; i++) {
    const order = createOrder(
      tenant,
      {
        CustomerNumber: request.customerNumber,
        YourOrderNumber: `BULK-${i + 1}`,
        Sent: request.sent,
        OrderRows: request.rows,
      },
      nowMs,
      today,
    );
    if (request.invoiced) {
      const invoice = createInvoice(tenant, { CustomerNumber: order.CustomerNumber, InvoiceRows: [] }, nowMs, today);
      invoice.OrderReference = order.DocumentNumber;
      order.InvoiceReference = invoice.DocumentNumber;
    }
    first ||= order.DocumentNumber;
    last = order.DocumentNumber;
  }
  return { first, last };
}
