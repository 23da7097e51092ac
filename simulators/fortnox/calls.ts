// Call accounting per tenant: counters by route and a bounded log of recent calls, for tests and operators.
export interface CallStats {
  total: number;
  byRoute: Record<string, number>;
  rateLimited: number;
  faultsInjected: Record<string, number>;
}

export interface CallLogEntry {
  at: string;
  method: string;
  route: string;
  url: string;
  /** HTTP status, or 0 when the sandbox dropped the connection on purpose (timeout after commit). */
  status: number;
  durationMs: number;
}

/** What call accounting touches of a tenant (state.ts's Tenant has both; not imported, so the two modules form no cycle). */
export interface CallAccounts {
  calls: CallStats;
  log: CallLogEntry[];
}

const LOG_LIMIT = 1000;

export function recordCall(tenant: CallAccounts, entry: CallLogEntry): void {
  tenant.calls.total += 1;
  const routeKey = `${entry.method} ${entry.route}`;
  tenant.calls.byRoute[routeKey] = (tenant.calls.byRoute[routeKey] ?? 0) + 1;
  if (entry.status === 429) tenant.calls.rateLimited += 1;
  tenant.log.push(entry);
  if (tenant.log.length > LOG_LIMIT) tenant.log.splice(0, tenant.log.length - LOG_LIMIT);
}

export function recordFault(tenant: Pick<CallAccounts, 'calls'>, kind: string): void {
  tenant.calls.faultsInjected[kind] = (tenant.calls.faultsInjected[kind] ?? 0) + 1;
}
