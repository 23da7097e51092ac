// What every operator command needs: a Temporal client, the namespace, the tenants this deployment knows (from the
// tenants file; none means Temporal-side commands only), where to write, and where the Temporal Web UI lives.
import type { Writable } from 'node:stream';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { ordersScheduleId } from '../../domain/names';
import type { TenantRegistry } from '../../activities/tenant-registry';
import type { Tenant } from '../../config/tenants';

export interface OperatorContext {
  client: Client;
  namespace: string;
  /** The main task queue: order workflows started by the CLI (backfill) run here. */
  taskQueue: string;
  tenants: Tenant[];
  out: Writable;
  /** Base URL of the Temporal Web UI, e.g. http://localhost:8233 (TEMPORAL_UI_URL). */
  uiUrl: string;
}

/**
 * What `doctor` needs: the tenants and their API clients; Temporal only to ask whether a Fortnox event listener runs
 * (it checks the accounts before anything runs, so an unreachable Temporal is a warning, not a failure).
 * The one command that reads Fortnox and the WMS itself: its job is to try the credentials.
 */
export interface AccountsContext extends Pick<OperatorContext, 'tenants' | 'out'> {
  /** API clients per tenant; absent without a tenants file. */
  registry?: TenantRegistry;
  /** A Temporal client, made on first use: where doctor reads the event listener's reports. */
  temporal?: () => Promise<Client>;
  /** The Fortnox event offsets workflow (tests: one of their own). Default FORTNOX_EVENT_OFFSETS_WORKFLOW_ID. */
  fortnoxEventsWorkflowId?: string;
}

/** A failure the CLI reports as one line and a non-zero exit, without a stack trace. */
export class OperatorError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}

export function workflowUrl(ctx: Pick<OperatorContext, 'uiUrl' | 'namespace'>, workflowId: string): string {
  // Colons are valid in a URL path and keep the id readable: order:<tenant>:<DocumentNumber>.
  const id = encodeURIComponent(workflowId).replace(/%3A/gi, ':');
  return `${ctx.uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(ctx.namespace)}/workflows/${id}`;
}

/**
 * Refuses a tenant this deployment does not run, judged from Temporal alone (its order schedule exists), so commands
 * that run as workflows on the worker need no tenants file: a workflow for an unknown tenant would wait for a worker
 * that knows it, forever.
 */
export async function requireKnownTenant(ctx: OperatorContext, tenantId: string): Promise<void> {
  try {
    await ctx.client.schedule.getHandle(ordersScheduleId(tenantId)).describe();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    throw new OperatorError(
      `tenant "${tenantId}" has no schedules on namespace ${ctx.namespace}: is it in the worker's tenants file, and has the worker started?`,
      2,
    );
  }
}

export function println(ctx: Pick<OperatorContext, 'out'>, line = ''): void {
  ctx.out.write(`${line}\n`);
}

/** A plain-text table: columns padded to their widest cell; numbers right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** A Temporal visibility string literal. */
export const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
