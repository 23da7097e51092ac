// The stock-level sync's activity. Without Lager it writes the WMS balance into each Fortnox article; with Lager it
// posts and releases custom inbound/outbound documents for the difference per article and stock point, after taking
// out what is already on its way to Fortnox (shipped orders not yet reported, receipts not yet posted).
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  movedArticles,
  quantityInStockUpdates,
  splitDeltas,
  stockDeltas,
  stockDocumentId,
  unreportedShipment,
  type PendingMovement,
  type WarehouseStock,
} from '../domain/stock';
import { patiently } from './articles';
import { FORTNOX_MAX_PAGE_SIZE, type FortnoxClient } from './fortnox/client';
import { FortnoxError } from './fortnox/errors';
import { formatStockholmTimestamp } from './fortnox/stockholm-time';
import { pendingPurchaseReceipts } from './purchase-order-receipts';
import type { TenantRegistry } from './tenant-registry';
import type { WmsClient } from './wms/client';
import type { WmsWarehouse } from './wms/schemas';
import { WmsStatus } from '../domain/order';
import { activityFortnox } from './activity-fortnox';

/** Our custom document types: one per direction, since Fortnox fixes a type's direction on first use. */
export const STOCK_SYNC_INBOUND_TYPE = 'WMS-SYNC-IN';
export const STOCK_SYNC_OUTBOUND_TYPE = 'WMS-SYNC-OUT';

export interface StockSyncResult {
  lager: boolean;
  articles: number;
  /** Without Lager: articles whose QuantityInStock was written. */
  articlesUpdated: number;
  /** With Lager: rows posted in and out, and the ids of the documents this run released. */
  inboundRows: number;
  outboundRows: number;
  documents: string[];
  pendingShipments: number;
  pendingReceipts: number;
  /** With Lager: articles that moved while Fortnox was read, left for the next run. */
  deferredArticles?: string[];
}

const isNotFound = (err: unknown) => err instanceof FortnoxError && err.status === 404;
/** Tells Temporal the activity is alive between calls, so a killed worker's run is retried within the heartbeat timeout. */
const beat = () => Context.current().heartbeat();
const today = () => formatStockholmTimestamp(new Date()).slice(0, 10);

/** The stock point map's key for a WMS warehouse: its name, code or id, whichever the settings use. */
function warehouseKey(warehouse: WmsWarehouse | undefined, warehouseId: number, map: Record<string, string>): string {
  const candidates = [warehouse?.name, warehouse?.code, String(warehouseId)].filter((c): c is string => !!c);
  const keys = Object.keys(map).map((k) => k.toLowerCase());
  return candidates.find((c) => keys.includes(c.toLowerCase())) ?? candidates[0] ?? String(warehouseId);
}

/**
 * Physical stock per article and warehouse, read a page of articles at a time. Ongoing's entries name only the
 * warehouse's id: its name and code (what the stockPoints setting uses) come from GET /warehouses.
 */
async function wmsInventory(wms: WmsClient, stockPoints: Record<string, string>): Promise<WarehouseStock[]> {
  const warehouses = new Map((await wms.listWarehouses()).map((w) => [w.id, w]));
  const rows: WarehouseStock[] = [];
  for await (const page of wms.inventoryPages()) {
    beat();
    for (const article of page) {
      for (const w of article.inventoryPerWarehouse) {
        rows.push({
          articleNumber: article.articleNumber,
          warehouse: warehouseKey(warehouses.get(w.warehouseId), w.warehouseId, stockPoints),
          numberOfItems: w.numberOfItems,
        });
      }
    }
  }
  return rows;
}

async function wmsStock(
  wms: WmsClient,
  stockPoints: Record<string, string>,
): Promise<{ rows: WarehouseStock[]; stockArticles: Set<string> }> {
  const rows = await wmsInventory(wms, stockPoints);
  const stockArticles = new Set<string>();
  for await (const page of wms.articlePages()) {
    beat();
    for (const a of page) if (a.isStockArticle !== false) stockArticles.add(a.articleNumber);
  }
  return { rows, stockArticles };
}

/**
 * Sent WMS orders with lines not yet reported, and what of each Fortnox has not delivered yet (read from Fortnox). An
 * order Fortnox could not answer for now leaves its articles unread: they wait for the next run instead of failing the
 * whole sync, whose other articles need not suffer one busy order.
 */
async function pendingShipments(
  fortnox: FortnoxClient,
  wms: WmsClient,
): Promise<{ movements: PendingMovement[]; unread: Set<string> }> {
  const movements: PendingMovement[] = [];
  const unread = new Set<string>();
  const pages = wms.orderPages({
    orderStatusFrom: WmsStatus.Sent,
    orderStatusTo: WmsStatus.Collected,
    onlyOrdersWithOrderLinesToReport: true,
  });
  for await (const page of pages)
    for (const order of page) {
      beat();
      const picked = order.orderLines.map((l) => ({
        articleNumber: l.article.articleNumber,
        pickedNumberOfItems: l.pickedNumberOfItems,
      }));
      let rows: Array<{ ArticleNumber: string | null; DeliveredQuantity: number }> | null;
      try {
        const fresh = await patiently(() => fortnox.getOrder(order.orderInfo.orderNumber));
        // Under Lager only a delivery-state order has moved stock.
        rows = fresh.Cancelled
          ? null
          : (fresh.OrderRows ?? []).map((r) => ({
              ArticleNumber: r.ArticleNumber || null,
              DeliveredQuantity: fresh.DeliveryState === 'delivery' ? r.DeliveredQuantity : 0,
            }));
      } catch (err) {
        if (err instanceof FortnoxError && err.kind !== 'non-retryable') {
          for (const line of picked) unread.add(line.articleNumber);
          continue;
        }
        if (!isNotFound(err)) throw err;
        rows = null;
      }
      movements.push(...unreportedShipment(picked, rows));
    }
  return { movements, unread };
}

/**
 * A consistent view for the articles that stood still: warehouse stock and Fortnox balances, the pending movements,
 * then balances and stock again (see `movedArticles`). The pending movements are read once, between the two readings.
 */
async function readAroundPending(fortnox: FortnoxClient, wms: WmsClient, stockPoints: Record<string, string>) {
  beat();
  const first = await wmsInventory(wms, stockPoints);
  const balancesBefore = await patiently(() => fortnox.getStockBalance());
  const shipments = await pendingShipments(fortnox, wms);
  const receipts = await pendingPurchaseReceipts(fortnox, wms, beat);
  beat();
  const balances = await patiently(() => fortnox.getStockBalance());
  const second = await wmsStock(wms, stockPoints);
  const moved = movedArticles({ wms: first, fortnox: balancesBefore }, { wms: second.rows, fortnox: balances });
  for (const article of shipments.unread) moved.add(article);
  return {
    wms: second.rows,
    stockArticles: second.stockArticles,
    balances,
    shipments: shipments.movements,
    receipts,
    moved,
  };
}

/**
 * Earlier documents of this run (a retry after a crash): released if they were only saved, so they count, and the
 * next free sequence number returned. Deltas are then computed on fresh balances that include them.
 */
async function settleEarlierDocuments(
  fortnox: FortnoxClient,
  tenantId: string,
  runStartedAtMs: number,
): Promise<{ next: number; released: string[] }> {
  const released: string[] = [];
  for (let sequence = 0; sequence < 100; sequence++) {
    const id = stockDocumentId(tenantId, runStartedAtMs, sequence);
    let found = false;
    beat();
    for (const [direction, type] of [
      ['inbound', STOCK_SYNC_INBOUND_TYPE],
      ['outbound', STOCK_SYNC_OUTBOUND_TYPE],
    ] as const) {
      try {
        const doc =
          direction === 'inbound'
            ? await patiently(() => fortnox.getInboundDocument(type, id))
            : await patiently(() => fortnox.getOutboundDocument(type, id));
        found = true;
        if (!doc.warehouseReady && !doc.voided) {
          await patiently(() => fortnox.releaseDocument(direction, type, id));
          released.push(id);
        }
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (!found) return { next: sequence, released };
  }
  throw ApplicationFailure.nonRetryable('The stock sync run has used all 100 document numbers', 'StockSyncExhausted');
}

async function syncWithLager(
  fortnox: FortnoxClient,
  wms: WmsClient,
  tenantId: string,
  runStartedAtMs: number,
  stockPoints: Record<string, string>,
): Promise<StockSyncResult> {
  const { next, released } = await settleEarlierDocuments(fortnox, tenantId, runStartedAtMs);
  const fortnoxArticles = await patiently(() => fortnox.listAllArticles());
  const priceOf = new Map(fortnoxArticles.map((a) => [a.ArticleNumber, a.PurchasePrice ?? 0]));

  // Articles that moved while their pending movements were read (shipped, reported, received, adjusted), or whose
  // order Fortnox could not answer for now, are left for the next run; a busy warehouse's quiet articles still sync.
  const around = async () => {
    const read = await readAroundPending(fortnox, wms, stockPoints);
    const articles = [...read.stockArticles].filter((n) => priceOf.has(n));
    return {
      ...read,
      stable: articles.filter((n) => !read.moved.has(n)),
      deferred: articles.filter((n) => read.moved.has(n)).sort(),
    };
  };
  // Every article moving at once: try twice more before leaving them all to the next run.
  let read = await around();
  for (let attempt = 2; attempt <= 3 && read.stable.length === 0 && read.deferred.length > 0; attempt++)
    read = await around();
  const { stable, deferred } = read;
  if (deferred.length)
    Context.current().log.info('articles moved while stock was read; left for the next run', { deferred });
  const counted = (m: PendingMovement) => stable.includes(m.articleNumber);
  const shipments = read.shipments.filter(counted);
  const receipts = read.receipts.filter(counted);
  const deltas = stockDeltas({
    articles: stable,
    wms: read.wms,
    fortnox: read.balances,
    pendingShipments: shipments,
    pendingReceipts: receipts,
    stockPoints,
  });
  const articleCount = stable.length;

  const { inbound, outbound } = splitDeltas(deltas);
  const documents = [...released];
  const id = stockDocumentId(tenantId, runStartedAtMs, next);
  const date = today();
  const note = 'Stock level sync from the warehouse (WMS)';
  beat();
  if (inbound.length) {
    await patiently(() =>
      fortnox.putInboundDocument(STOCK_SYNC_INBOUND_TYPE, id, {
        date,
        note,
        rows: inbound.map((d) => ({
          itemId: d.itemId,
          quantity: d.delta,
          directCost: priceOf.get(d.itemId) ?? 0,
          ...(d.stockPointCode ? { stockPointCode: d.stockPointCode } : {}),
        })),
      }),
    );
    await patiently(() => fortnox.releaseDocument('inbound', STOCK_SYNC_INBOUND_TYPE, id));
  }
  if (outbound.length) {
    beat();
    // Outbound rows name their stock point by uuid only (Fortnox's CustomOutboundDocumentRow has no code).
    const pointIds = outbound.some((d) => d.stockPointCode) ? await stockPointIds(fortnox) : new Map<string, string>();
    const rows = outbound.map((d) => ({
      itemId: d.itemId,
      quantity: d.delta,
      ...(d.stockPointCode ? { stockPointId: pointId(pointIds, d.stockPointCode) } : {}),
    }));
    // Forced: the warehouse's count is the truth, even where Fortnox would go below zero.
    const saved = await patiently(() =>
      fortnox.putOutboundDocument(STOCK_SYNC_OUTBOUND_TYPE, id, {
        date,
        note,
        deliveryState: 'delivery',
        forcedDelivery: true,
        rows,
      }),
    );
    const short = saved.rows.filter((row, i) => Math.abs(row.deliveredQuantity - (outbound[i]?.delta ?? 0)) > 1e-9);
    if (short.length)
      Context.current().log.warn('Fortnox delivered less than asked on the stock sync outbound', { id, short });
    await patiently(() => fortnox.releaseDocument('outbound', STOCK_SYNC_OUTBOUND_TYPE, id));
  }
  if (inbound.length || outbound.length) documents.push(id);
  return {
    lager: true,
    articles: articleCount,
    articlesUpdated: 0,
    inboundRows: inbound.length,
    outboundRows: outbound.length,
    documents,
    pendingShipments: shipments.reduce((s, m) => s + m.quantity, 0),
    pendingReceipts: receipts.reduce((s, m) => s + m.quantity, 0),
    deferredArticles: deferred,
  };
}

/** Stock point code → uuid, over every stock point (inactive ones too: a mapping may still name one). */
async function stockPointIds(fortnox: FortnoxClient): Promise<Map<string, string>> {
  const points = await patiently(() => fortnox.listStockPoints({ state: 'ALL' }));
  return new Map(points.map((p) => [p.code.toUpperCase(), p.id]));
}

function pointId(ids: Map<string, string>, code: string): string {
  const id = ids.get(code.toUpperCase());
  if (!id) {
    throw ApplicationFailure.nonRetryable(
      `Fortnox Lager has no stock point with code ${code}: correct settings.stockPoints in the tenants file`,
      'StockPointNotFound',
    );
  }
  return id;
}

async function syncWithoutLager(fortnox: FortnoxClient, wms: WmsClient): Promise<StockSyncResult> {
  const fortnoxArticles = await patiently(() => fortnox.listAllArticles());
  const quantities = new Map(fortnoxArticles.map((a) => [a.ArticleNumber, a.QuantityInStock ?? 0]));
  const { rows, stockArticles } = await wmsStock(wms, {});
  const articles = [...stockArticles].filter((n) => quantities.has(n));
  const updates = quantityInStockUpdates(articles, rows, quantities);
  for (const update of updates) {
    // An absolute write: running it twice leaves the same balance.
    await patiently(() => fortnox.updateArticle(update.ArticleNumber, { QuantityInStock: update.QuantityInStock }));
    Context.current().heartbeat(update.ArticleNumber);
  }
  return {
    lager: false,
    articles: articles.length,
    articlesUpdated: updates.length,
    inboundRows: 0,
    outboundRows: 0,
    documents: [],
    pendingShipments: 0,
    pendingReceipts: 0,
  };
}

/** Fortnox's stock figures per article for the stock report, a page of the article register at a time. */
export interface ArticleStockPage {
  quantities: Record<string, number>;
  totalPages: number;
}

export function createStockActivities(registry: TenantRegistry) {
  const fortnoxOf = (tenantId: string) => activityFortnox(registry, tenantId);
  return {
    /** The stock report's Fortnox side under Lager: the stock balance of every stock point, summed per article. One request. */
    async readFortnoxStockBalance(tenantId: string): Promise<Record<string, number>> {
      const quantities: Record<string, number> = {};
      for (const b of await fortnoxOf(tenantId).getStockBalance())
        quantities[b.itemId] = (quantities[b.itemId] ?? 0) + b.inStock;
      return quantities;
    },

    /** The stock report's Fortnox side without Lager: a page of the article register's QuantityInStock. One request. */
    async listArticleStockPage(tenantId: string, page: number): Promise<ArticleStockPage> {
      const answer = await fortnoxOf(tenantId).listArticles({ page, limit: FORTNOX_MAX_PAGE_SIZE });
      const quantities: Record<string, number> = {};
      for (const a of answer.items)
        if (a.QuantityInStock != null) quantities[a.ArticleNumber] = Number(a.QuantityInStock);
      return { quantities, totalPages: answer.totalPages };
    },

    /** `runStartedAtMs` makes the run's document ids: the same on every retry of the activity. */
    async syncStockLevels(tenantId: string, runStartedAtMs: number): Promise<StockSyncResult> {
      const fortnox = registry.fortnox(tenantId);
      const wms = registry.wms(tenantId);
      return (await patiently(() => registry.lagerActive(tenantId)))
        ? await syncWithLager(fortnox, wms, tenantId, runStartedAtMs, registry.get(tenantId).settings.stockPoints)
        : await syncWithoutLager(fortnox, wms);
    },
  };
}

/** The stock report's WMS side, for the main queue. */
export function createStockReportWmsActivities(registry: TenantRegistry) {
  return {
    /** The WMS's physical stock per article, over all warehouses. */
    async readWmsStock(tenantId: string): Promise<Record<string, number>> {
      const quantities: Record<string, number> = {};
      for (const article of await registry.wms(tenantId).getInventoryPerWarehouse()) {
        quantities[article.articleNumber] = article.inventoryPerWarehouse.reduce((sum, w) => sum + w.numberOfItems, 0);
      }
      return quantities;
    },
  };
}
