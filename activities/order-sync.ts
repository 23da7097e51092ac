// The order sync's activities: list what changed in Fortnox since the cursor, then signal-with-start one order
// workflow per selected order (or just signal the running ones, so cancellations and invoices reach them).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { orderWorkflowId } from '../domain/order';
import { toApplicationFailure as fortnoxFailure } from './fortnox/errors';
import { whileHeartbeating } from './heartbeat';
import type { TenantRegistry } from './tenant-registry';
import type { OrderWorkflowSettings } from '../workflows/order';

export interface ChangedOrder {
  DocumentNumber: string;
  Cancelled: boolean;
  Sent: boolean;
  /** From the `invoicenotcreated` listing: list items carry no InvoiceReference. */
  invoiced: boolean;
}

export interface ChangedOrders {
  orders: ChangedOrder[];
  /** When this listing started, by this machine's clock: the next run lists from here (minus the overlap). */
  listedAt: string;
}

export function createOrderSyncActivities(registry: TenantRegistry, temporal: () => Client, taskQueue: string) {
  async function listChanged(tenantId: string, since: string | null, listedAt: string): Promise<ChangedOrders> {
    const client = registry.fortnox(tenantId);
    try {
      const lastModifiedSince = since ? new Date(since) : undefined;
      const [all, notInvoiced] = await Promise.all([
        client.listAllOrders({ lastModifiedSince }),
        client.listAllOrders({ lastModifiedSince, filter: 'invoicenotcreated' }),
      ]);
      const open = new Set(notInvoiced.map((o) => o.DocumentNumber));
      const seen = new Map<string, ChangedOrder>();
      for (const o of all) {
        seen.set(o.DocumentNumber, { DocumentNumber: o.DocumentNumber, Cancelled: o.Cancelled, Sent: o.Sent,
          invoiced: !open.has(o.DocumentNumber) });
      }
      return { orders: [...seen.values()], listedAt };
    } catch (err) {
      throw fortnoxFailure(err);
    }
  }

  async function startAll(tenantId: string, documentNumbers: string[], settings: OrderWorkflowSettings): Promise<number> {
    const client = temporal();
    for (const documentNumber of documentNumbers) {
      await client.workflow.signalWithStart('orderWorkflow', {
        workflowId: orderWorkflowId(tenantId, documentNumber),
        taskQueue,
        args: [{ tenantId, documentNumber, settings }],
        signal: 'fortnoxChanged',
        signalArgs: [],
        staticSummary: `Fortnox order ${documentNumber} (${tenantId}) → WMS → invoice`,
      });
    }
    return documentNumbers.length;
  }

  async function signalAll(tenantId: string, documentNumbers: string[]): Promise<number> {
    const client = temporal();
    let signalled = 0;
    for (const documentNumber of documentNumbers) {
      try {
        await client.workflow.getHandle(orderWorkflowId(tenantId, documentNumber)).signal('fortnoxChanged');
        signalled++;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    return signalled;
  }

  // Each heartbeats while it works: a worker killed mid-sync is noticed in seconds, so the next sync is not held up.
  return {
    async listChangedOrders(tenantId: string, since: string | null): Promise<ChangedOrders> {
      const listedAt = new Date().toISOString();
      return whileHeartbeating(() => listChanged(tenantId, since, listedAt));
    },

    /** Starts (or signals) the order workflow of each order. Signal-with-start is idempotent per workflow id. */
    async startOrderWorkflows(tenantId: string, documentNumbers: string[], settings: OrderWorkflowSettings): Promise<number> {
      return whileHeartbeating(() => startAll(tenantId, documentNumbers, settings));
    },

    /** Tells running order workflows that their order changed; orders without one are left alone. */
    async signalOrderWorkflows(tenantId: string, documentNumbers: string[]): Promise<number> {
      return whileHeartbeating(() => signalAll(tenantId, documentNumbers));
    },

    async getTenantSettings(tenantId: string) {
      return registry.get(tenantId).settings;
    },
  };
}
