// Holds each tenant's configuration and its API clients inside the worker process, so workflows pass only a tenant
// id and credentials never enter a workflow's inputs, results or history.
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { Tenant } from '../config/tenants';
import { FortnoxClient } from './fortnox/client';
import { Pacer } from './fortnox/pacer';
import { FileTokenStore, type TokenStore } from './fortnox/token-store';
import { WmsClient } from './wms/client';

export interface TenantRegistryOptions {
  /** Where the Fortnox token store keeps rotated tokens (default: DATA_DIR/tokens). */
  tokenStore?: TokenStore;
  dataDir?: string;
  pacer?: Pacer;
}

export class TenantRegistry {
  private readonly tenants = new Map<string, Tenant>();
  private readonly fortnoxClients = new Map<string, FortnoxClient>();
  private readonly wmsClients = new Map<string, WmsClient>();
  private readonly tokenStore: TokenStore;
  private readonly pacer: Pacer;

  constructor(tenants: Tenant[], options: TenantRegistryOptions = {}) {
    for (const tenant of tenants) this.tenants.set(tenant.id, tenant);
    this.tokenStore = options.tokenStore ?? new FileTokenStore(join(options.dataDir ?? '.data', 'tokens'));
    this.pacer = options.pacer ?? new Pacer();
  }

  ids(): string[] {
    return [...this.tenants.keys()];
  }

  add(tenant: Tenant): void {
    this.tenants.set(tenant.id, tenant);
    this.fortnoxClients.delete(tenant.id);
    this.wmsClients.delete(tenant.id);
  }

  get(tenantId: string): Tenant {
    const tenant = this.tenants.get(tenantId);
    if (!tenant) {
      throw ApplicationFailure.nonRetryable(`Unknown tenant "${tenantId}": it is not in this worker's configuration`, 'UnknownTenant');
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

  wms(tenantId: string): WmsClient {
    let client = this.wmsClients.get(tenantId);
    if (!client) {
      const { wms } = this.get(tenantId);
      client = new WmsClient({ baseUrl: wms.baseUrl, username: wms.username, password: wms.password, goodsOwnerId: wms.goodsOwnerId,
        timeoutMs: 10_000 });
      this.wmsClients.set(tenantId, client);
    }
    return client;
  }
}
