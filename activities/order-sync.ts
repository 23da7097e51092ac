// The order sync's activities: list what changed in Fortnox since the cursor, then signal-with-start one order
// workflow per selected order (or just signal the running ones, so cancellations and invoices reach them).
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { checkSelection } from '../domain/order';
import { orderWorkflowId } from '../domain/names';
import {
  noOrderPageCounts,
  ORDER_PAGE_SIZE,
  type OrderPageCounts,
  type OrderPageResult,
  type OrderSyncListing,
} from '../domain/order-sync';
import { whileHeartbeating } from './heartbeat';
import { previewOrderStart, startOrderWorkflow, type OrderStart } from './order-start';
import type { TenantRegistry } from './tenant-registry';
import type { OrderWorkflowSettings } from '../domain/order-settings';
import { fortnoxChangedSignal } from '../workflows/order/messages';

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

/** One page of one listing, for a paged order sync (small in and out: counts, never the orders). */
export interface OrderPageRequest {
  listing: OrderSyncListing;
  page: number;
  /** ISO time: orders changed since (minus nothing: the workflow has already taken the overlap off); null = all. */
  since: string | null;
  settings: OrderWorkflowSettings;
  /**
   * Classify only (the backfill's preview): count what the page would start, start again, leave closed and signal,
   * reading Temporal but starting and signalling nothing.
   */
  preview?: boolean;
}

/** What a page's attempt heartbeats: a retry carries on after the last order it handled (the list is sorted by it). */
interface PageProgress {
  listing: OrderSyncListing;
  page: number;
  lastDocumentNumber: number;
  counts: OrderPageCounts;
}

/** Tells the order's running workflow that the order changed; false if it has none. */
async function signalIfRunning(client: Client, tenantId: string, documentNumber: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(orderWorkflowId(tenantId, documentNumber)).signal(fortnoxChangedSignal);
    return true;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return false;
  }
}

/** The order sync's Fortnox activities, for the tenant's Fortnox queue: a page is one list request. */
export function createOrderSyncActivities(registry: TenantRegistry, temporal: () => Client, taskQueue: string) {
  async function listChanged(tenantId: string, since: string | null, listedAt: string): Promise<ChangedOrders> {
    const client = registry.fortnox(tenantId);
    const lastModifiedSince = since ? new Date(since) : undefined;
    const [all, notInvoiced] = await Promise.all([
      client.listAllOrders({ lastModifiedSince }),
      client.listAllOrders({ lastModifiedSince, filter: 'invoicenotcreated' }),
    ]);
    const open = new Set(notInvoiced.map((o) => o.DocumentNumber));
    const seen = new Map<string, ChangedOrder>();
    for (const o of all) {
      seen.set(o.DocumentNumber, {
        DocumentNumber: o.DocumentNumber,
        Cancelled: o.Cancelled,
        Sent: o.Sent,
        invoiced: !open.has(o.DocumentNumber),
      });
    }
    return { orders: [...seen.values()], listedAt };
  }

  async function syncPage(tenantId: string, request: OrderPageRequest): Promise<OrderPageResult> {
    const context = Context.current();
    const client = registry.fortnox(tenantId).withSignal(context.cancellationSignal);
    const answer = await client.listOrders({
      filter: request.listing,
      lastModifiedSince: request.since ? new Date(request.since) : undefined,
      sortBy: 'documentnumber',
      page: request.page,
      limit: ORDER_PAGE_SIZE,
    });
    const progress = context.info.heartbeatDetails as PageProgress | undefined;
    const resumed = progress?.listing === request.listing && progress.page === request.page ? progress : undefined;
    const counts = resumed?.counts ?? noOrderPageCounts();
    const invoiced = request.listing === 'invoicecreated';
    for (const order of answer.items) {
      const number = Number(order.DocumentNumber);
      if (resumed && number <= resumed.lastDocumentNumber) continue;
      const verdict = checkSelection(
        { Cancelled: order.Cancelled, Sent: order.Sent, InvoiceReference: invoiced ? 'invoiced' : null },
        request.settings.orderSelection,
      );
      counts.listed++;
      if (verdict.selected) {
        const outcome: OrderStart = request.preview
          ? await previewOrderStart(temporal(), tenantId, order.DocumentNumber)
          : await startOrderWorkflow(temporal(), taskQueue, tenantId, order.DocumentNumber, request.settings);
        counts[outcome === 'left-closed' ? 'leftClosed' : outcome === 'restarted' ? 'restarted' : 'started']++;
      } else if (
        request.preview
          ? await isRunning(tenantId, order.DocumentNumber)
          : await signalIfRunning(temporal(), tenantId, order.DocumentNumber)
      ) {
        counts.signalled++;
      }
      context.heartbeat({
        listing: request.listing,
        page: request.page,
        lastDocumentNumber: number,
        counts,
      } satisfies PageProgress);
    }
    return { totalPages: answer.totalPages, totalResources: answer.totalResources, ...counts };
  }

  /** What signalIfRunning would find: a running workflow of the order (the preview's read-only check). */
  async function isRunning(tenantId: string, documentNumber: string): Promise<boolean> {
    try {
      return (
        (await temporal().workflow.getHandle(orderWorkflowId(tenantId, documentNumber)).describe()).status.name ===
        'RUNNING'
      );
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return false;
    }
  }

  // Each heartbeats while it works: a worker killed mid-sync is noticed in seconds, so the next sync is not held up.
  return {
    async listChangedOrders(tenantId: string, since: string | null): Promise<ChangedOrders> {
      const listedAt = new Date().toISOString();
      return whileHeartbeating(() => listChanged(tenantId, since, listedAt));
    },

    /**
     * One page of a paged order sync: lists it, then starts (or signals) the workflow of each selected order and
     * signals the running workflows of the others (in a preview: counts what it would do). Heartbeats after every
     * order, with where it is.
     */
    async syncOrderPage(tenantId: string, request: OrderPageRequest): Promise<OrderPageResult> {
      return syncPage(tenantId, request);
    },
  };
}

/** Starting and signalling order workflows: Temporal only, so on the main queue. */
export function createOrderStartActivities(temporal: () => Client, taskQueue: string) {
  async function startAll(
    tenantId: string,
    documentNumbers: string[],
    settings: OrderWorkflowSettings,
  ): Promise<number> {
    for (const documentNumber of documentNumbers) {
      await startOrderWorkflow(temporal(), taskQueue, tenantId, documentNumber, settings);
    }
    return documentNumbers.length;
  }

  async function signalAll(tenantId: string, documentNumbers: string[]): Promise<number> {
    let signalled = 0;
    for (const documentNumber of documentNumbers) {
      if (await signalIfRunning(temporal(), tenantId, documentNumber)) signalled++;
    }
    return signalled;
  }

  return {
    /** Starts (or signals) the order workflow of each order. Signal-with-start is idempotent per workflow id. */
    async startOrderWorkflows(
      tenantId: string,
      documentNumbers: string[],
      settings: OrderWorkflowSettings,
    ): Promise<number> {
      return whileHeartbeating(() => startAll(tenantId, documentNumbers, settings));
    },

    /** Tells running order workflows that their order changed; orders without one are left alone. */
    async signalOrderWorkflows(tenantId: string, documentNumbers: string[]): Promise<number> {
      return whileHeartbeating(() => signalAll(tenantId, documentNumbers));
    },
  };
}
