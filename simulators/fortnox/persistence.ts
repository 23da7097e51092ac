// The Fortnox sandbox's state as plain JSON data and back, so a sandbox can carry on after a restart.
import { requireVersion, restoreFromFile, SnapshotWriter, type Warn } from '../snapshot-file';
import type { WarehouseSnapshot } from './lager/engine';
import type {
  AccessToken,
  Article,
  AuthorizationCode,
  Invoice,
  Order,
  RefreshToken,
  RegisterEntry,
  SandboxState,
  Tenant,
  TenantIdentity,
} from './state';

/** Bump when the shape changes; a file of another version is set aside, not migrated. */
export const FORTNOX_SNAPSHOT_VERSION = 1;

export interface TenantSnapshot extends TenantIdentity {
  /** Register entries by their key (CustomerNumber, SupplierNumber). */
  customers: Array<[string, RegisterEntry]>;
  suppliers: Array<[string, RegisterEntry]>;
  articles: Article[];
  orders: Order[];
  invoices: Invoice[];
  counters: Tenant['counters'];
  warehouse: WarehouseSnapshot;
}

/**
 * Everything a client could notice across a restart. Left out on purpose: injected faults, call counters and log, and
 * the rate-limit window (test and operator knobs that start fresh), and Lager purchase orders (kept by
 * `lager/purchase-orders.ts` outside the tenant). Token expiry times are absolute sandbox-clock times.
 */
export interface FortnoxSandboxSnapshot {
  version: typeof FORTNOX_SNAPSHOT_VERSION;
  /** The sandbox clock's distance from real time. */
  clockOffsetMs: number;
  nextTenantId: number;
  tenants: TenantSnapshot[];
  accessTokens: AccessToken[];
  refreshTokens: RefreshToken[];
  deadChains: string[];
  authorizationCodes: AuthorizationCode[];
}

function snapshotTenant(tenant: Tenant): TenantSnapshot {
  return {
    tenantId: tenant.tenantId,
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    companyName: tenant.companyName,
    lager: tenant.lager,
    allowNegativeStock: tenant.allowNegativeStock,
    customers: [...tenant.customers],
    suppliers: [...tenant.suppliers],
    articles: [...tenant.articles.values()],
    orders: [...tenant.orders.values()],
    invoices: [...tenant.invoices.values()],
    counters: tenant.counters,
    warehouse: tenant.warehouse.snapshot(),
  };
}

/** A deep copy of the sandbox's state; holds no references into it. */
export function snapshotFortnoxState(state: SandboxState): FortnoxSandboxSnapshot {
  return structuredClone({
    version: FORTNOX_SNAPSHOT_VERSION,
    clockOffsetMs: Math.round(state.clock.offsetSeconds * 1000),
    nextTenantId: state.nextTenantId,
    tenants: [...state.tenants.values()].map(snapshotTenant),
    accessTokens: [...state.accessTokens.values()],
    refreshTokens: [...state.refreshTokens.values()],
    deadChains: [...state.deadChains],
    authorizationCodes: [...state.authorizationCodes.values()],
  });
}

/** Replaces the sandbox's state with the snapshot's. The snapshot is copied, never shared. */
export function restoreFortnoxState(state: SandboxState, input: FortnoxSandboxSnapshot): void {
  const snapshot = structuredClone(input);
  state.reset();
  state.clock.advance(snapshot.clockOffsetMs / 1000);
  state.nextTenantId = snapshot.nextTenantId;
  for (const saved of snapshot.tenants) {
    const tenant = state.addTenant({
      tenantId: saved.tenantId,
      clientId: saved.clientId,
      clientSecret: saved.clientSecret,
      companyName: saved.companyName,
      lager: saved.lager,
      allowNegativeStock: saved.allowNegativeStock,
    });
    for (const [key, entry] of saved.customers) tenant.customers.set(key, entry);
    for (const [key, entry] of saved.suppliers) tenant.suppliers.set(key, entry);
    for (const article of saved.articles) tenant.articles.set(article.ArticleNumber, article);
    for (const order of saved.orders) tenant.orders.set(order.DocumentNumber, order);
    for (const invoice of saved.invoices) tenant.invoices.set(invoice.DocumentNumber, invoice);
    tenant.counters = saved.counters;
    tenant.warehouse.restore(saved.warehouse);
  }
  for (const token of snapshot.accessTokens) state.accessTokens.set(token.token, token);
  for (const token of snapshot.refreshTokens) state.refreshTokens.set(token.token, token);
  for (const chainId of snapshot.deadChains) state.deadChains.add(chainId);
  for (const code of snapshot.authorizationCodes) state.authorizationCodes.set(code.code, code);
}

export interface PersistOptions {
  file: string;
  /** How often to write when the state changed; default 2000 ms. */
  intervalMs?: number;
  warn?: Warn;
}

/**
 * Restores `state` from `file` when the file exists (an unusable file is moved aside and the sandbox starts empty),
 * then keeps the file up to date. Close the returned writer after the server to write the final state.
 */
export function persistFortnoxState(state: SandboxState, options: PersistOptions): SnapshotWriter {
  const { nextTenantId } = state;
  restoreFromFile(
    options.file,
    (data) =>
      restoreFortnoxState(state, requireVersion<FortnoxSandboxSnapshot>(options.file, data, FORTNOX_SNAPSHOT_VERSION)),
    () => {
      state.reset();
      state.nextTenantId = nextTenantId;
    },
    options.warn,
  );
  return new SnapshotWriter({
    file: options.file,
    snapshot: () => snapshotFortnoxState(state),
    intervalMs: options.intervalMs,
    warn: options.warn,
  });
}
