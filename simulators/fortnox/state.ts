// The sandbox's in-memory state: tenants with their Fortnox data, OAuth clients and tokens, the clock.
import { randomBytes } from 'node:crypto';
import { SandboxClock } from './clock';
import { WarehouseEngine } from './lager/engine';
import { stockholmDate, stockholmTimestamp } from './stockholm-time';
import { EventLog, type EventTopic } from './events/log';
import type { CallStats, CallLogEntry } from './calls';
import type { FaultRule } from './faults';

export type Json = Record<string, unknown>;

/** A customer or supplier: Fortnox fields kept as sent, plus the modification time the lastmodified filter reads. */
export interface RegisterEntry {
  data: Json;
  lastModified: number;
}

export interface Article {
  ArticleNumber: string;
  Description: string;
  EAN: string;
  Unit: string;
  Weight: number | null;
  Width: number | null;
  Height: number | null;
  Depth: number | null;
  StockGoods: boolean;
  QuantityInStock: number;
  ReservedQuantity: number;
  StockValue: number;
  StockPlace: string;
  SupplierNumber: string;
  PurchasePrice: number;
  SalesPrice: number;
  VAT: number;
  Active: boolean;
  Expired: boolean;
  Type: 'STOCK' | 'SERVICE';
  DefaultStockPoint: string | null;
  DefaultStockLocation: string | null;
  WebshopArticle: boolean;
  Note: string;
  Manufacturer: string;
  lastModified: number;
}

export interface OrderRow {
  RowId: number;
  ArticleNumber: string;
  Description: string;
  OrderedQuantity: number;
  DeliveredQuantity: number;
  ReservedQuantity: number;
  Price: number;
  Discount: number;
  DiscountType: 'AMOUNT' | 'PERCENT';
  Unit: string;
  VAT: number;
  AccountNumber: number;
  StockPointCode: string;
  StockPointId: string;
}

export interface Order {
  DocumentNumber: number;
  CustomerNumber: string;
  CustomerName: string;
  OrderDate: string;
  DeliveryDate: string;
  YourReference: string;
  OurReference: string;
  YourOrderNumber: string;
  Remarks: string;
  Comments: string;
  Cancelled: boolean;
  NotCompleted: boolean;
  Sent: boolean;
  InvoiceReference: number;
  OfferReference: number;
  WayOfDelivery: string;
  TermsOfDelivery: string;
  Phone1: string;
  EmailInformation: Json;
  Address1: string;
  Address2: string;
  City: string;
  ZipCode: string;
  Country: string;
  DeliveryName: string;
  DeliveryAddress1: string;
  DeliveryAddress2: string;
  DeliveryZipCode: string;
  DeliveryCity: string;
  DeliveryCountry: string;
  Currency: string;
  OrderType: string;
  Project: string;
  ExternalInvoiceReference1: string;
  ExternalInvoiceReference2: string;
  DeliveryState: 'registration' | 'reservation' | 'delivery';
  WarehouseReady: boolean;
  OutboundDate: string;
  StockPointCode: string;
  StockPointId: string;
  OrderRows: OrderRow[];
  lastModified: number;
}

export interface InvoiceRow {
  RowId: number;
  ArticleNumber: string;
  Description: string;
  DeliveredQuantity: number;
  Price: number;
  Discount: number;
  Unit: string;
  VAT: number;
  AccountNumber: number;
}

export interface Invoice {
  DocumentNumber: number;
  CustomerNumber: string;
  CustomerName: string;
  InvoiceDate: string;
  DueDate: string;
  OrderReference: number;
  ExternalInvoiceReference1: string;
  ExternalInvoiceReference2: string;
  YourReference: string;
  OurReference: string;
  YourOrderNumber: string;
  Remarks: string;
  Currency: string;
  Booked: boolean;
  Cancelled: boolean;
  Credit: boolean;
  CreditInvoiceReference: number;
  Sent: boolean;
  FinalPayDate: string;
  WarehouseReady: boolean;
  InvoiceRows: InvoiceRow[];
  lastModified: number;
}

export interface Tenant {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  companyName: string;
  lager: boolean;
  allowNegativeStock: boolean;
  customers: Map<string, RegisterEntry>;
  suppliers: Map<string, RegisterEntry>;
  articles: Map<string, Article>;
  orders: Map<number, Order>;
  invoices: Map<number, Invoice>;
  counters: { customer: number; supplier: number; article: number; order: number; invoice: number; rowId: number };
  warehouse: WarehouseEngine;
  /** Sliding-window timestamps (sandbox clock, ms) of API calls that were let through. */
  rateWindow: number[];
  faults: FaultRule[];
  calls: CallStats;
  log: CallLogEntry[];
  /** Publishes an event of this tenant on the WebSocket stream (events/log.ts). */
  emit(topic: EventTopic, type: string, entityId: string | number): void;
}

/** Who a tenant is, as opposed to the data it holds. */
export type TenantIdentity = Pick<
  Tenant,
  'tenantId' | 'clientId' | 'clientSecret' | 'companyName' | 'lager' | 'allowNegativeStock'
>;

export interface AccessToken {
  token: string;
  tenantId: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  chainId?: string;
  revoked: boolean;
}
export interface RefreshToken {
  token: string;
  tenantId: string;
  clientId: string;
  scope: string;
  expiresAt: number;
  chainId: string;
  spent: boolean;
}
export interface AuthorizationCode {
  code: string;
  tenantId: string;
  clientId: string;
  redirectUri?: string;
  scope: string;
  used: boolean;
  expiresAt: number;
}

export const ALL_SCOPES = 'article order invoice supplier customer companyinformation settings warehouse';

export const randomToken = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export function emptyCallStats(): CallStats {
  return { total: 0, byRoute: {}, rateLimited: 0, faultsInjected: {} };
}

export class SandboxState {
  readonly clock = new SandboxClock();
  /** The WebSocket event stream's topics (events/). */
  readonly events = new EventLog(this.clock, (ms) => stockholmTimestamp(new Date(ms)));
  readonly tenants = new Map<string, Tenant>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  /** Chains killed by reuse of a spent refresh token. */
  readonly deadChains = new Set<string>();
  readonly authorizationCodes = new Map<string, AuthorizationCode>();
  /** The next tenant's id; counts on after a reset (and is persisted) so old ids never name new tenants. */
  nextTenantId = 1000001;

  today(): string {
    return stockholmDate(this.clock.now());
  }

  createTenant(input: { lager: boolean; allowNegativeStock?: boolean; companyName?: string }): Tenant {
    const tenantId = String(this.nextTenantId++);
    return this.addTenant({
      tenantId,
      clientId: `sandbox-${tenantId}-${randomToken(6)}`,
      clientSecret: randomToken(18),
      companyName: input.companyName ?? `Sandbox AB ${tenantId}`,
      lager: input.lager,
      allowNegativeStock: input.allowNegativeStock ?? false,
    });
  }

  /** Registers an empty tenant under a known identity (a new one, or one restored from a snapshot). */
  addTenant(identity: TenantIdentity): Tenant {
    const tenant: Tenant = {
      ...identity,
      customers: new Map(),
      suppliers: new Map(),
      articles: new Map(),
      orders: new Map(),
      invoices: new Map(),
      counters: { customer: 1000, supplier: 100, article: 1000, order: 0, invoice: 0, rowId: 0 },
      warehouse: undefined as unknown as WarehouseEngine,
      rateWindow: [],
      faults: [],
      calls: emptyCallStats(),
      log: [],
      emit: (topic, type, entityId) => void this.events.append(topic, type, identity.tenantId, String(entityId)),
    };
    tenant.warehouse = new WarehouseEngine({
      today: () => this.today(),
      item: (itemId) => {
        const article = tenant.articles.get(itemId);
        if (!article) return undefined;
        return {
          defaultStockPointCode: article.DefaultStockPoint ?? undefined,
          defaultStockLocationCode: article.DefaultStockLocation ?? undefined,
        };
      },
      onBalanceChanged: (itemId) => tenant.emit('warehouse-stockbalances', 'warehouse-stockbalance-changed-v1', itemId),
    });
    this.tenants.set(tenant.tenantId, tenant);
    return tenant;
  }

  tenantByClientId(clientId: string): Tenant | undefined {
    for (const tenant of this.tenants.values()) if (tenant.clientId === clientId) return tenant;
    return undefined;
  }

  reset(): void {
    this.tenants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.deadChains.clear();
    this.authorizationCodes.clear();
    this.events.clear();
    this.clock.reset();
  }
}
