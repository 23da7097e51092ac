// The WMS sandbox's state as plain JSON data and back, so a sandbox can carry on after a restart.
import { requireVersion, restoreFromFile, SnapshotFileError, SnapshotWriter, type Warn } from '../snapshot-file';
import { defaultInvoiceArticles } from './invoicing';
import type { WmsSandboxState } from './state';
import type {
  GoodsOwnerState,
  SandboxInvoiceArticle,
  StockMovement,
  StoredAdjustment,
  StoredArticle,
  StoredOrder,
  StoredPurchaseOrder,
  StoredWarehouse,
  WebhookAttempt,
  WebhookConfig,
} from './types';

/**
 * Bump when the shape changes. Versions 1 and 2 are upgraded (see upgradeSnapshot); a file of any other version is set
 * aside.
 * 2: the webhook config holds `auth` ({type: basic | hmac | none}) instead of an HMAC `secret`.
 * 3: invoice articles, the invoice-charges permission, charges on orders and the stock ledger; no `billable` events
 *    (the billing specification they fed is gone).
 */
export const WMS_SNAPSHOT_VERSION = 3;

/** An article with its physical stock per warehouse as pairs instead of a Map. */
export interface ArticleSnapshot extends Omit<StoredArticle, 'stock'> {
  stock: Array<{ warehouseId: number; numberOfItems: number }>;
}

export interface GoodsOwnerSnapshot {
  goodsOwnerId: number;
  name: string;
  username: string;
  password: string;
  warehouses: StoredWarehouse[];
  articles: ArticleSnapshot[];
  orders: StoredOrder[];
  purchaseOrders: StoredPurchaseOrder[];
  adjustments: StoredAdjustment[];
  stockMovements: StockMovement[];
  invoiceArticles: SandboxInvoiceArticle[];
  permissions: GoodsOwnerState['permissions'];
  /** Holds the webhook's credentials or secret, so receivers keep accepting deliveries after a restart. */
  webhook?: WebhookConfig;
  webhookAttempts: WebhookAttempt[];
}

/**
 * Everything a client could notice across a restart. Left out on purpose: fault rules and call counters (test knobs
 * that start fresh), webhook deliveries still waiting for a retry (their attempts stay logged; the retry is dropped),
 * and the autopilot setting (the starter passes it again).
 */
export interface WmsSandboxSnapshot {
  version: typeof WMS_SNAPSHOT_VERSION;
  /** The `{warehouse}` path segment the snapshot was taken under. */
  warehouse: string;
  nextId: WmsSandboxState['nextId'];
  goodsOwners: GoodsOwnerSnapshot[];
}

function snapshotGoodsOwner(owner: GoodsOwnerState): GoodsOwnerSnapshot {
  return {
    goodsOwnerId: owner.goodsOwnerId,
    name: owner.name,
    username: owner.username,
    password: owner.password,
    warehouses: owner.warehouses,
    articles: [...owner.articles.values()].map((article) => ({
      ...article,
      stock: [...article.stock].map(([warehouseId, numberOfItems]) => ({ warehouseId, numberOfItems })),
    })),
    orders: [...owner.orders.values()],
    purchaseOrders: [...owner.purchaseOrders.values()],
    adjustments: owner.adjustments,
    stockMovements: owner.stockMovements,
    invoiceArticles: owner.invoiceArticles,
    permissions: owner.permissions,
    ...(owner.webhook ? { webhook: owner.webhook } : {}),
    webhookAttempts: owner.webhookAttempts,
  };
}

/** A deep copy of the sandbox's state; holds no references into it. */
export function snapshotWmsState(state: WmsSandboxState): WmsSandboxSnapshot {
  return structuredClone({
    version: WMS_SNAPSHOT_VERSION,
    warehouse: state.warehouse,
    nextId: state.nextId,
    goodsOwners: [...state.goodsOwners.values()].map(snapshotGoodsOwner),
  });
}

/** Replaces the sandbox's goods owners and id counters with the snapshot's. The snapshot is copied, never shared. */
export function restoreWmsState(state: WmsSandboxState, input: WmsSandboxSnapshot): void {
  const snapshot = structuredClone(input);
  state.reset();
  Object.assign(state.nextId, snapshot.nextId);
  for (const saved of snapshot.goodsOwners) {
    const owner: GoodsOwnerState = {
      goodsOwnerId: saved.goodsOwnerId,
      name: saved.name,
      username: saved.username,
      password: saved.password,
      warehouses: saved.warehouses,
      articles: new Map(
        saved.articles.map((article): [number, StoredArticle] => [
          article.articleSystemId,
          {
            ...article,
            stock: new Map(article.stock.map((s): [number, number] => [s.warehouseId, s.numberOfItems])),
          },
        ]),
      ),
      orders: new Map(saved.orders.map((order) => [order.orderId, order])),
      purchaseOrders: new Map(saved.purchaseOrders.map((po) => [po.purchaseOrderId, po])),
      adjustments: saved.adjustments,
      stockMovements: saved.stockMovements,
      invoiceArticles: saved.invoiceArticles,
      permissions: saved.permissions,
      ...(saved.webhook ? { webhook: saved.webhook } : {}),
      webhookAttempts: saved.webhookAttempts,
      faultRules: [],
      calls: { total: 0, byRoute: {} },
    };
    state.goodsOwners.set(owner.goodsOwnerId, owner);
  }
}

type Json = Record<string, unknown>;

/** Version 1 → 2: the webhook signed with `secret` is `auth: {type: 'hmac'}` now. */
function upgradeFrom1(v1: Json & { goodsOwners: unknown[] }): Json {
  const goodsOwners = (v1.goodsOwners as Array<{ webhook?: { secret?: string } & Json }>).map((owner) => {
    if (!owner.webhook) return owner;
    const { secret, ...webhook } = owner.webhook;
    return { ...owner, webhook: { ...webhook, auth: { type: 'hmac', secret } } };
  });
  return { ...v1, version: 2, goodsOwners };
}

/**
 * Version 2 → 3: the default invoice articles, the permission granted, no charges on the orders sent so far, an
 * empty stock ledger (so the past reads as today's stock), and the billable events dropped. Fields already there are
 * kept.
 */
function upgradeFrom2(v2: Json & { goodsOwners: unknown[] }): Json {
  const goodsOwners = (v2.goodsOwners as Array<Json & { orders?: Json[] }>).map(
    ({ billable: _billable, ...owner }) => ({
      ...owner,
      orders: (owner.orders ?? []).map((order) => ({ invoiceCharges: [], ...order })),
      stockMovements: owner.stockMovements ?? [],
      invoiceArticles: owner.invoiceArticles ?? defaultInvoiceArticles(),
      permissions: owner.permissions ?? { invoiceCharges: true },
    }),
  );
  return { ...v2, version: 3, goodsOwners };
}

/**
 * An older snapshot in today's shape, one version at a time. Other versions, and what is not a snapshot, pass through
 * unchanged for requireVersion and restore to judge.
 */
export function upgradeSnapshot(data: unknown): unknown {
  let snapshot = data as (Json & { version?: unknown; goodsOwners?: unknown }) | null;
  if (!Array.isArray(snapshot?.goodsOwners)) return data;
  if (snapshot.version === 1) snapshot = upgradeFrom1(snapshot as Json & { goodsOwners: unknown[] });
  if (snapshot.version === 2) snapshot = upgradeFrom2(snapshot as Json & { goodsOwners: unknown[] });
  return snapshot;
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
export function persistWmsState(state: WmsSandboxState, options: PersistOptions): SnapshotWriter {
  const counters = { ...state.nextId };
  restoreFromFile(
    options.file,
    (data) => {
      const snapshot = requireVersion<WmsSandboxSnapshot>(options.file, upgradeSnapshot(data), WMS_SNAPSHOT_VERSION);
      // The stored paths and webhook payloads name the warehouse segment; another one would be a different instance.
      if (snapshot.warehouse !== state.warehouse) {
        throw new SnapshotFileError(options.file, `warehouse "${snapshot.warehouse}", expected "${state.warehouse}"`);
      }
      restoreWmsState(state, snapshot);
    },
    () => {
      state.reset();
      Object.assign(state.nextId, counters);
    },
    options.warn,
  );
  return new SnapshotWriter({
    file: options.file,
    snapshot: () => snapshotWmsState(state),
    intervalMs: options.intervalMs,
    warn: options.warn,
  });
}
