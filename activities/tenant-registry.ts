// Holds each tenant's configuration and its API clients inside the worker process, so workflows pass only a tenant
// id and credentials never enter a workflow's inputs, results or history.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { FortnoxConnection, Tenant, TenantBilling } from '../config/tenants';
import { FortnoxClient } from './fortnox/client';
import { FortnoxError } from './fortnox/errors';
import { Pacer } from './fortnox/pacer';
import { FileTokenStore, type TokenStore } from './fortnox/token-store';
import { WmsClient } from './wms/client';

export interface TenantRegistryOptions {
  /** Where the Fortnox token store keeps rotated tokens (default: DATA_DIR/tokens). */
  tokenStore?: TokenStore;
  dataDir?: string;
  pacer?: Pacer;
  /** For tests: a clock for the Lager answer's age. */
  now?: () => number;
}

/**
 * How long an answer to "is Lager on?" is reused. Activation is rare and one-way in practice, but a tenant that turns
 * Lager on should not need a worker restart for the product to notice.
 */
export const LAGER_ANSWER_TTL_MS = 10 * 60_000;

export class TenantRegistry {
  private readonly tenants = new Map<string, Tenant>();
  private readonly fortnoxClients = new Map<string, FortnoxClient>();
  private readonly wmsClients = new Map<string, WmsClient>();
  /** The 3PL's own Fortnox connections, keyed by connection (goods owners share one). */
  private readonly billingClients = new Map<string, FortnoxClient>();
  private readonly tokenStore: TokenStore;
  /** Paces every Fortnox request of this process; the worker tells it how many processes share each tenant. */
  readonly pacer: Pacer;
  private readonly now: () => number;
  /** Fortnox's answers to "is Lager on?", per tenant; only answers, never failures (see lagerActive). */
  private readonly lagerAnswers = new Map<string, { active: boolean; at: number }>();

  constructor(tenants: Tenant[], options: TenantRegistryOptions = {}) {
    for (const tenant of tenants) this.tenants.set(tenant.id, tenant);
    this.tokenStore = options.tokenStore ?? new FileTokenStore(join(options.dataDir ?? '.data', 'tokens'));
    this.pacer = options.pacer ?? new Pacer();
    this.now = options.now ?? Date.now;
  }

  /**
   * Whether Fortnox Lager (the warehouse module) is on for the tenant: the one place the product decides it.
   * tenants-v4 says so; no warehouse licence or scope (403, 404) means off. Those are answers and are reused for
   * LAGER_ANSWER_TTL_MS; anything else (a 503, a timeout, a 429) is not an answer: it is thrown for Temporal to retry
   * and nothing is remembered, so an outage can never make the product treat a Lager tenant as one without it.
   */
  async lagerActive(tenantId: string, signal?: AbortSignal): Promise<boolean> {
    const known = this.knownLagerActive(tenantId);
    if (known !== undefined) return known;
    const client = signal ? this.fortnox(tenantId).withSignal(signal) : this.fortnox(tenantId);
    let active: boolean;
    try {
      active = (await client.getWarehouseTenant()).activated;
    } catch (err) {
      if (!(err instanceof FortnoxError && (err.status === 403 || err.status === 404))) throw err;
      active = false;
    }
    this.lagerAnswers.set(tenantId, { active, at: this.now() });
    return active;
  }

  /** The remembered answer to "is Lager on?", if it is fresh; never asks Fortnox (for activities allowed one request). */
  knownLagerActive(tenantId: string): boolean | undefined {
    const known = this.lagerAnswers.get(tenantId);
    return known && this.now() - known.at < LAGER_ANSWER_TTL_MS ? known.active : undefined;
  }

  has(tenantId: string): boolean {
    return this.tenants.has(tenantId);
  }

  ids(): string[] {
    return [...this.tenants.keys()];
  }

  add(tenant: Tenant): void {
    this.tenants.set(tenant.id, tenant);
    this.fortnoxClients.delete(tenant.id);
    this.wmsClients.delete(tenant.id);
    this.lagerAnswers.delete(tenant.id);
  }

  get(tenantId: string): Tenant {
    const tenant = this.tenants.get(tenantId);
    if (!tenant) {
      // Retryable: during a rolling change of the tenants file a worker that has not got the new file yet may take the
      // task; another worker (or this one, restarted) knows the tenant. Failing for good would park the order.
      throw ApplicationFailure.retryable(
        `Unknown tenant "${tenantId}": it is not in this worker's tenants file (retried until a worker that has it takes the task)`,
        'UnknownTenant',
      );
    }
    return tenant;
  }

  fortnox(tenantId: string): FortnoxClient {
    let client = this.fortnoxClients.get(tenantId);
    if (!client) {
      const { fortnox } = this.get(tenantId);
      client = new FortnoxClient({
        apiBaseUrl: fortnox.apiBaseUrl,
        authBaseUrl: fortnox.authBaseUrl,
        tenantKey: tenantId,
        auth: fortnox.auth,
        tokenStore: this.tokenStore,
        pacer: this.pacer,
        timeoutMs: 10_000,
      });
      this.fortnoxClients.set(tenantId, client);
    }
    return client;
  }

  /** The goods owner's 3PL invoicing configuration, or a non-retryable failure saying it has none. */
  billing(tenantId: string): TenantBilling {
    const { billing } = this.get(tenantId);
    if (!billing) {
      throw ApplicationFailure.nonRetryable(
        `Tenant "${tenantId}" has no 3PL invoicing configured: list it under billing.goodsOwners in the tenants file (docs/billing.md)`,
        'BillingNotConfigured',
      );
    }
    return billing;
  }

  /** A client for the 3PL's own Fortnox (where goods owners are customers), not the goods owner's Fortnox. */
  billingFortnox(tenantId: string): FortnoxClient {
    const { fortnox } = this.billing(tenantId);
    const key = billingConnectionKey(fortnox);
    let client = this.billingClients.get(key);
    if (!client) {
      client = new FortnoxClient({
        apiBaseUrl: fortnox.apiBaseUrl,
        authBaseUrl: fortnox.authBaseUrl,
        tenantKey: key,
        auth: fortnox.auth,
        tokenStore: this.tokenStore,
        pacer: this.pacer,
        timeoutMs: 10_000,
      });
      this.billingClients.set(key, client);
    }
    return client;
  }

  wms(tenantId: string): WmsClient {
    let client = this.wmsClients.get(tenantId);
    if (!client) {
      const { wms } = this.get(tenantId);
      client = new WmsClient({
        baseUrl: wms.baseUrl,
        username: wms.username,
        password: wms.password,
        goodsOwnerId: wms.goodsOwnerId,
        timeoutMs: 10_000,
      });
      this.wmsClients.set(tenantId, client);
    }
    return client;
  }
}

/**
 * Token-store and pacer key of the 3PL's Fortnox: the same for every goods owner invoiced through that connection, so
 * they share one token chain and one rate limit. A hash, so no credential appears in a file name.
 */
export function billingConnectionKey(fortnox: FortnoxConnection): string {
  const identity = JSON.stringify([fortnox.apiBaseUrl, fortnox.auth]);
  return `3pl-billing-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
}
