// The stock-level rules: what Fortnox must be told so that its balance equals the warehouse's, per article and stock
// point, counting movements that are already on their way to Fortnox (shipped or received, not yet reported) once only.

/** Physical stock in one WMS warehouse (`inventoryPerWarehouse[].numberOfItems`). */
export interface WarehouseStock {
  articleNumber: string;
  /** The WMS warehouse's name or code, as the `stockPoints` setting names it. */
  warehouse: string;
  numberOfItems: number;
}

/** Fortnox Lager's balance of one item at one stock point (`status-v1/stockbalance`: `inStock`). */
export interface StockPointBalance {
  itemId: string;
  stockPointCode: string;
  inStock: number;
}

/** A quantity per article that has moved in the warehouse but not yet in Fortnox. */
export interface PendingMovement {
  articleNumber: string;
  quantity: number;
  /** The WMS warehouse it moved in; absent: the shipping warehouse (see `shippingBucket`). */
  warehouse?: string;
}

export interface StockDelta {
  itemId: string;
  /** Absent: no stock point mapping, the document lets Fortnox pick the point (default point in, FIFO out). */
  stockPointCode?: string;
  /** Positive: Fortnox must gain this much (inbound); negative: lose it (outbound). */
  delta: number;
}

export interface StockComparison {
  /** Only these articles are compared: stock goods known to both Fortnox and the WMS. */
  articles: Iterable<string>;
  wms: WarehouseStock[];
  fortnox: StockPointBalance[];
  /** Shipped by the warehouse, not yet delivered in Fortnox (its report will move Fortnox stock down). */
  pendingShipments?: PendingMovement[];
  /** Received by the warehouse, not yet posted to Fortnox as an inbound delivery (that post will move it up). */
  pendingReceipts?: PendingMovement[];
  /** WMS warehouse → StockPointCode. Empty: everything is compared as one total per article. */
  stockPoints: Record<string, string>;
}

const ALL = '';
const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** The bucket a WMS warehouse counts in: its mapped stock point, the single total when nothing is mapped, else none. */
function bucketOf(warehouse: string | undefined, stockPoints: Record<string, string>): string | undefined {
  const entries = Object.entries(stockPoints);
  if (entries.length === 0) return ALL;
  if (warehouse === undefined) return shippingBucket(stockPoints);
  const lower = warehouse.toLowerCase();
  return entries.find(([name]) => name.toLowerCase() === lower)?.[1].toUpperCase();
}

/**
 * Where a movement without a warehouse counts: the first mapped warehouse's stock point. A goods owner's orders ship
 * from one warehouse per integration; list it first in `stockPoints`.
 */
export function shippingBucket(stockPoints: Record<string, string>): string {
  const first = Object.values(stockPoints)[0];
  return first === undefined ? ALL : first.toUpperCase();
}

/**
 * Lager: the delta per article and stock point that makes Fortnox equal the WMS once every pending report has landed:
 * `delta = WMS − (Fortnox − pendingShipments + pendingReceipts)`. Zero deltas are left out.
 */
export function stockDeltas(input: StockComparison): StockDelta[] {
  const wanted = new Set(input.articles);
  const mappedPoints = new Set(Object.values(input.stockPoints).map((code) => code.toUpperCase()));
  const totals = new Map<string, number>();
  const add = (itemId: string, bucket: string | undefined, quantity: number) => {
    if (bucket === undefined || !wanted.has(itemId)) return;
    const key = `${itemId}\u0000${bucket}`;
    totals.set(key, (totals.get(key) ?? 0) + quantity);
  };
  for (const row of input.wms) add(row.articleNumber, bucketOf(row.warehouse, input.stockPoints), row.numberOfItems);
  for (const row of input.fortnox) {
    const point = row.stockPointCode.toUpperCase();
    const bucket = mappedPoints.size === 0 ? ALL : mappedPoints.has(point) ? point : undefined;
    add(row.itemId, bucket, -row.inStock);
  }
  for (const m of input.pendingShipments ?? [])
    add(m.articleNumber, bucketOf(m.warehouse, input.stockPoints), m.quantity);
  for (const m of input.pendingReceipts ?? [])
    add(m.articleNumber, bucketOf(m.warehouse, input.stockPoints), -m.quantity);
  const deltas: StockDelta[] = [];
  for (const [key, raw] of [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const delta = round(raw);
    if (delta === 0) continue;
    const [itemId = '', bucket = ''] = key.split('\u0000');
    deltas.push(bucket === ALL ? { itemId, delta } : { itemId, stockPointCode: bucket, delta });
  }
  return deltas;
}

/**
 * Without Lager: the article register holds one balance per article and Fortnox moves no stock on delivery, so the
 * WMS total is written as it is. Returns only the articles whose QuantityInStock differs.
 */
export function quantityInStockUpdates(
  articles: Iterable<string>,
  wms: WarehouseStock[],
  fortnox: Map<string, number>,
): Array<{ ArticleNumber: string; QuantityInStock: number }> {
  const totals = new Map<string, number>();
  for (const number of articles) totals.set(number, 0);
  for (const row of wms)
    if (totals.has(row.articleNumber))
      totals.set(row.articleNumber, (totals.get(row.articleNumber) ?? 0) + row.numberOfItems);
  const updates: Array<{ ArticleNumber: string; QuantityInStock: number }> = [];
  for (const [ArticleNumber, total] of totals) {
    const QuantityInStock = round(total);
    if (round(fortnox.get(ArticleNumber) ?? 0) !== QuantityInStock) updates.push({ ArticleNumber, QuantityInStock });
  }
  return updates.sort((a, b) => (a.ArticleNumber < b.ArticleNumber ? -1 : 1));
}

/**
 * What a shipped WMS order has not yet moved in Fortnox, per article: picked minus what the fresh Fortnox order already
 * delivered. Read from Fortnox itself, so an order reported a second before the stock sync is never counted again.
 */
export function unreportedShipment(
  picked: Array<{ articleNumber: string; pickedNumberOfItems: number }>,
  fortnoxRows: Array<{ ArticleNumber: string | null; DeliveredQuantity: number }> | null,
): PendingMovement[] {
  const byArticle = new Map<string, number>();
  for (const line of picked)
    byArticle.set(line.articleNumber, (byArticle.get(line.articleNumber) ?? 0) + line.pickedNumberOfItems);
  // An order that no longer exists in Fortnox will never be reported: nothing is pending for it.
  if (fortnoxRows === null) return [];
  for (const row of fortnoxRows) {
    if (row.ArticleNumber && byArticle.has(row.ArticleNumber)) {
      byArticle.set(row.ArticleNumber, (byArticle.get(row.ArticleNumber) ?? 0) - row.DeliveredQuantity);
    }
  }
  return [...byArticle]
    .map(([articleNumber, quantity]) => ({ articleNumber, quantity: round(quantity) }))
    .filter((m) => m.quantity > 0);
}

/** Stock as both sides show it at one moment: the warehouse's stock and Fortnox Lager's balances. */
export interface StockReading {
  wms: WarehouseStock[];
  fortnox: StockPointBalance[];
}

/**
 * The articles that moved between two readings taken around the read of the pending movements (warehouse stock,
 * Fortnox balances, pending movements, Fortnox balances, warehouse stock). Every shipment, receipt and adjustment moves
 * the warehouse's stock, and every report or posted receipt moves Fortnox's balance, so for any other article nothing
 * landed while its pending movements were read: balance, stock and pending belong together. A moved article is left
 * for the next run rather than risk counting a movement twice (or not at all).
 */
export function movedArticles(before: StockReading, after: StockReading): Set<string> {
  const fingerprint = (reading: StockReading) => {
    const parts = new Map<string, string[]>();
    const add = (article: string, part: string) => parts.set(article, [...(parts.get(article) ?? []), part]);
    for (const row of reading.wms) add(row.articleNumber, `wms ${row.warehouse} ${round(row.numberOfItems)}`);
    for (const row of reading.fortnox) add(row.itemId, `fortnox ${row.stockPointCode} ${round(row.inStock)}`);
    return new Map([...parts].map(([article, list]) => [article, list.sort().join('|')]));
  };
  const first = fingerprint(before);
  const second = fingerprint(after);
  const moved = new Set<string>();
  for (const article of new Set([...first.keys(), ...second.keys()])) {
    if (first.get(article) !== second.get(article)) moved.add(article);
  }
  return moved;
}

/** Inbound rows for the positive deltas, outbound rows for the negative ones. */
export function splitDeltas(deltas: StockDelta[]): { inbound: StockDelta[]; outbound: StockDelta[] } {
  return {
    inbound: deltas.filter((d) => d.delta > 0),
    outbound: deltas.filter((d) => d.delta < 0).map((d) => ({ ...d, delta: -d.delta })),
  };
}

/** A small stable number from the tenant id (FNV-1a), so ids of different tenants sharing a company never collide. */
export function tenantDigits(tenantId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < tenantId.length; i++) {
    hash ^= tenantId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % 10_000).padStart(4, '0');
}

/**
 * The id of the stock sync's n-th document in a run: digits only, at most 25 (Fortnox's rule), the same on every
 * retry of the run: 4 digits of tenant, 13 of the run's start (ms), 2 of sequence.
 */
export function stockDocumentId(tenantId: string, runStartedAtMs: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 99)
    throw new Error(`sequence ${sequence} is not 0..99`);
  return `${tenantDigits(tenantId)}${String(Math.trunc(runStartedAtMs)).padStart(13, '0')}${String(sequence).padStart(2, '0')}`;
}

/** The stock sync runs at the end of each interval: offset by 14/15 of it (a 15-minute interval: minute 14, 29, ...). */
export function stockSyncOffsetMs(intervalMs: number): number {
  return Math.floor((intervalMs * 14) / 15 / 1000) * 1000;
}

/** The id of the n-th inbound delivery reporting receipts of a Fortnox purchase order: its id, then 3 digits. */
export function receiptDocumentId(purchaseOrderId: string | number, sequence: number): string {
  const id = `${purchaseOrderId}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{1,25}$/.test(id) || sequence < 1 || sequence > 999)
    throw new Error(`no receipt document id for ${purchaseOrderId}/${sequence}`);
  return id;
}

/** Received in the WMS minus already posted to Fortnox, per article; what the purchase-order sync will post next. */
export function unpostedReceipts(
  received: Array<{ articleNumber: string; receivedNumberOfItems: number }>,
  posted: Array<{ itemId: string; quantity: number }>,
): PendingMovement[] {
  const byArticle = new Map<string, number>();
  for (const line of received)
    byArticle.set(line.articleNumber, (byArticle.get(line.articleNumber) ?? 0) + line.receivedNumberOfItems);
  for (const row of posted) byArticle.set(row.itemId, (byArticle.get(row.itemId) ?? 0) - row.quantity);
  return [...byArticle]
    .map(([articleNumber, quantity]) => ({ articleNumber, quantity: round(quantity) }))
    .filter((m) => m.quantity > 0);
}

// ---- the operator's stock report ----------------------------------------------------------------------------------

/** One article in `stock report`: the WMS's physical stock (all warehouses) against Fortnox's. */
export interface StockReportRow {
  ArticleNumber: string;
  wms: number;
  fortnox: number;
  /** wms − fortnox: positive means the warehouse holds more than Fortnox believes. */
  difference: number;
}

/** Every article either side knows, by number; an article one side lacks counts 0 there. */
export function stockReportRows(wms: Record<string, number>, fortnox: Record<string, number>): StockReportRow[] {
  const numbers = [...new Set([...Object.keys(wms), ...Object.keys(fortnox)])].sort();
  return numbers.map((ArticleNumber) => {
    const w = wms[ArticleNumber] ?? 0;
    const f = fortnox[ArticleNumber] ?? 0;
    return { ArticleNumber, wms: w, fortnox: f, difference: w - f };
  });
}
