// What every operator command needs: a Temporal client, the namespace, the tenants this deployment knows (from the
// tenants file; none means Temporal-side commands only), where to write, and where the Temporal Web UI lives.
import type { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { TenantRegistry } from '../../activities/tenant-registry';
import type { Tenant } from '../../config/tenants';

export interface OperatorContext {
  client: Client;
  namespace: string;
  /** The main task queue: order workflows started by the CLI (backfill) run here. */
  taskQueue: string;
  tenants: Tenant[];
  /** API clients per tenant; absent without a tenants file. */
  registry?: TenantRegistry;
  out: Writable;
  /** Base URL of the Temporal Web UI, e.g. http://localhost:8233 (TEMPORAL_UI_URL). */
  uiUrl: string;
}

/** A failure the CLI reports as one line and a non-zero exit, without a stack trace. */
export class OperatorError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'OperatorError';
  }
}

export function workflowUrl(ctx: Pick<OperatorContext, 'uiUrl' | 'namespace'>, workflowId: string): string {
  // Colons are valid in a URL path and keep the id readable: order:<tenant>:<DocumentNumber>.
  const id = encodeURIComponent(workflowId).replace(/%3A/gi, ':');
  return `${ctx.uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(ctx.namespace)}/workflows/${id}`;
}

export function requireRegistry(ctx: OperatorContext, tenantId: string): TenantRegistry {
  if (!ctx.registry || !ctx.tenants.some((t) => t.id === tenantId)) {
    throw new OperatorError(
      `tenant "${tenantId}" is not in the tenants file (TENANTS_FILE): this command talks to Fortnox and the WMS and needs its credentials`,
      2,
    );
  }
  return ctx.registry;
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
    r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** A Temporal visibility string literal. */
export const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
