// Fortnox Lager as a pure in-memory engine: FIFO lots, stock points, custom inbound/outbound documents, bookkeeping.
import { WarehouseApiError } from '../errors';
import { normalizeReferenceType, validateReferenceId } from './reference-types';

export type Direction = 'INBOUND' | 'OUTBOUND';
export type DeliveryState = 'registration' | 'reservation' | 'delivery';

export interface StockLocation {
  id: string;
  code: string;
  name: string;
}
export interface StockPoint {
  id: string;
  code: string;
  name: string;
  state: 'ACTIVE' | 'INACTIVE';
  stockLocations: StockLocation[];
}

/** A FIFO lot: what one released inbound row (or flipped outbound row) put in stock, at its unit cost. */
export interface Lot {
  id: number;
  itemId: string;
  stockPointCode: string;
  stockLocationCode?: string;
  quantity: number;
  remaining: number;
  unitCost: number;
  source: string;
}

/** One slice of an outbound movement: from a lot, or (lotId null) into negative stock. */
interface Allocation {
  lotId: number | null;
  itemId: string;
  stockPointCode: string;
  quantity: number;
  unitCost: number;
}

interface RowEffect {
  out: Allocation[];
  lotIds: number[];
  reserved: Array<{ itemId: string; stockPointCode: string; quantity: number }>;
}

export interface DocumentRowInput {
  itemId: string;
  quantity: number;
  rowId?: number;
  itemDescription?: string;
  itemUnit?: string;
  batch?: string;
  directCost?: number;
  freightCost?: number;
  otherCost?: number;
  stockPointCode?: string;
  stockLocationCode?: string;
  deliveredQuantity?: number;
  reservedQuantity?: number;
}

/** An inbound document's currency: an object in Fortnox's model (`Currency`), not a code. */
export interface DocumentCurrency {
  currency: string;
  rate: number;
  unit?: number;
}

export interface DocumentInput {
  date: string;
  rows: DocumentRowInput[];
  note?: string;
  currency?: DocumentCurrency;
  deliveryState?: DeliveryState;
  forcedDelivery?: boolean;
}

export interface DocumentRow extends DocumentRowInput {
  rowId: number;
  reservedQuantity: number;
  deliveredQuantity: number;
  forcedQuantity: number;
  averageCost: number;
}

export interface WarehouseDocument {
  direction: Direction;
  type: string;
  id: string;
  date: string;
  note?: string;
  currency?: DocumentCurrency;
  deliveryState?: DeliveryState;
  forcedDelivery: boolean;
  rows: DocumentRow[];
  warehouseReady: boolean;
  releasedAt?: string;
  voided: boolean;
  booked: boolean;
  voidBooked: boolean;
  /** Fortnox's own documents (an order's movement) bypass the custom type rules. */
  internal: boolean;
  effects: RowEffect[];
}

export interface ItemInfo {
  defaultStockPointCode?: string;
  defaultStockLocationCode?: string;
}

export interface EngineOptions {
  /** Stockholm date today (`YYYY-MM-DD`), from the sandbox clock. */
  today: () => string;
  /** Looks an article up; undefined when it does not exist. */
  item: (itemId: string) => ItemInfo | undefined;
  /** Told when an item's stock or reservations may have changed (the `warehouse-stockbalances` event topic). */
  onBalanceChanged?: (itemId: string) => void;
}

export interface StockBalance {
  itemId: string;
  stockPointCode: string;
  availableStock: number;
  inStock: number;
}
export interface BookedEntry {
  type: string;
  id: string;
  direction: Direction;
  kind: 'release' | 'void';
  value: number;
}

/** Everything the engine holds, as plain data (see `snapshot`/`restore`; the sandbox persists it across restarts). */
export interface WarehouseSnapshot {
  stockPoints: StockPoint[];
  defaultStockPointCode: string;
  documentTypes: Array<{ type: string; direction: Direction }>;
  /** Each document with its row effects, which name the lots they created or took from. */
  documents: WarehouseDocument[];
  lots: Lot[];
  deficits: Array<{ itemId: string; stockPointCode: string; quantity: number; unitCost: number }>;
  reservations: Array<{ itemId: string; stockPointCode: string; quantity: number }>;
  lastCost: Array<{ itemId: string; unitCost: number }>;
  nextLotId: number;
  nextPointId: number;
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;
const key = (itemId: string, point: string): string => `${itemId}\u0000${point}`;

export class WarehouseEngine {
  readonly stockPoints: StockPoint[] = [];
  readonly documentTypes = new Map<string, Direction>();
  readonly documents = new Map<string, WarehouseDocument>();
  readonly lots: Lot[] = [];
  /** Negative stock per item and point: quantity delivered beyond what was there, valued at the last known cost. */
  readonly deficits = new Map<string, { quantity: number; unitCost: number }>();
  private readonly reservations = new Map<string, number>();
  private readonly lastCost = new Map<string, number>();
  private nextLotId = 1;
  private nextPointId = 1;
  defaultStockPointCode: string;

  constructor(private readonly options: EngineOptions) {
    const point = this.createStockPoint({ code: 'LAGER', name: 'Lager' });
    this.defaultStockPointCode = point.code;
  }

  // ---- persistence --------------------------------------------------------------------------------------------

  /** A deep copy of the engine's state as plain data. */
  snapshot(): WarehouseSnapshot {
    const split = (k: string) => {
      const [itemId = '', stockPointCode = ''] = k.split('\u0000');
      return { itemId, stockPointCode };
    };
    return structuredClone({
      stockPoints: this.stockPoints,
      defaultStockPointCode: this.defaultStockPointCode,
      documentTypes: [...this.documentTypes].map(([type, direction]) => ({ type, direction })),
      documents: [...this.documents.values()],
      lots: this.lots,
      deficits: [...this.deficits].map(([k, d]) => ({ ...split(k), quantity: d.quantity, unitCost: d.unitCost })),
      reservations: [...this.reservations].map(([k, quantity]) => ({ ...split(k), quantity })),
      lastCost: [...this.lastCost].map(([itemId, unitCost]) => ({ itemId, unitCost })),
      nextLotId: this.nextLotId,
      nextPointId: this.nextPointId,
    });
  }

  /** Replaces the engine's state with a snapshot's (copied, so the snapshot stays untouched). */
  restore(input: WarehouseSnapshot): void {
    const snapshot = structuredClone(input);
    this.stockPoints.splice(0, this.stockPoints.length, ...snapshot.stockPoints);
    this.defaultStockPointCode = snapshot.defaultStockPointCode;
    this.documentTypes.clear();
    for (const { type, direction } of snapshot.documentTypes) this.documentTypes.set(type, direction);
    this.documents.clear();
    for (const doc of snapshot.documents) this.documents.set(this.docKey(doc.direction, doc.type, doc.id), doc);
    this.lots.splice(0, this.lots.length, ...snapshot.lots);
    this.deficits.clear();
    for (const d of snapshot.deficits)
      this.deficits.set(key(d.itemId, d.stockPointCode), { quantity: d.quantity, unitCost: d.unitCost });
    this.reservations.clear();
    for (const r of snapshot.reservations) this.reservations.set(key(r.itemId, r.stockPointCode), r.quantity);
    this.lastCost.clear();
    for (const c of snapshot.lastCost) this.lastCost.set(c.itemId, c.unitCost);
    this.nextLotId = snapshot.nextLotId;
    this.nextPointId = snapshot.nextPointId;
  }

  // ---- stock points --------------------------------------------------------------------------------------------

  createStockPoint(input: {
    code: string;
    name: string;
    state?: 'ACTIVE' | 'INACTIVE';
    stockLocations?: Array<{ code: string; name?: string }>;
  }): StockPoint {
    if (!input.code || input.code.length > 10)
      throw new WarehouseApiError(400, 'invalidStockPointCode', 'code is required, at most 10 characters.');
    if (!input.name || input.name.length > 25)
      throw new WarehouseApiError(400, 'invalidStockPointName', 'name is required, at most 25 characters.');
    if (this.findStockPoint(input.code))
      throw new WarehouseApiError(400, 'duplicateStockPointCode', `Stock point ${input.code} exists.`);
    const id = `00000000-0000-4000-8000-${String(this.nextPointId++).padStart(12, '0')}`;
    const point: StockPoint = {
      id,
      code: input.code,
      name: input.name,
      state: input.state ?? 'ACTIVE',
      stockLocations: [],
    };
    for (const location of input.stockLocations ?? []) this.addLocation(point, location);
    this.stockPoints.push(point);
    return point;
  }

  private addLocation(point: StockPoint, location: { code: string; name?: string }): void {
    if (point.stockLocations.some((l) => l.code.toUpperCase() === location.code.toUpperCase())) return;
    point.stockLocations.push({
      id: `${point.id}-${point.stockLocations.length + 1}`,
      code: location.code,
      name: location.name ?? location.code,
    });
  }

  findStockPoint(idOrCode: string): StockPoint | undefined {
    return this.stockPoints.find((p) => p.id === idOrCode || p.code.toUpperCase() === idOrCode.toUpperCase());
  }

  updateStockPoint(
    idOrCode: string,
    input: { name?: string; state?: 'ACTIVE' | 'INACTIVE'; stockLocations?: Array<{ code: string; name?: string }> },
  ): StockPoint {
    const point = this.requirePoint(idOrCode);
    if (input.name !== undefined) {
      if (!input.name || input.name.length > 25)
        throw new WarehouseApiError(400, 'invalidStockPointName', 'name is at most 25 characters.');
      point.name = input.name;
    }
    if (input.state) point.state = input.state;
    for (const location of input.stockLocations ?? []) this.addLocation(point, location);
    return point;
  }

  deleteStockPoint(idOrCode: string): void {
    const point = this.requirePoint(idOrCode);
    if (point.code === this.defaultStockPointCode)
      throw new WarehouseApiError(400, 'cannotDeleteDefaultStockPoint', 'The default stock point cannot be deleted.');
    const used = this.lots.some((l) => l.stockPointCode === point.code && l.remaining !== 0);
    if (used) throw new WarehouseApiError(400, 'stockPointHasStock', `Stock point ${point.code} has stock.`);
    this.stockPoints.splice(this.stockPoints.indexOf(point), 1);
  }

  private requirePoint(idOrCode: string): StockPoint {
    const point = this.findStockPoint(idOrCode);
    if (!point) throw new WarehouseApiError(404, 'stockPointNotFound', `Stock point ${idOrCode} not found.`);
    return point;
  }

  // ---- balances ------------------------------------------------------------------------------------------------

  inStock(itemId: string, point?: string): number {
    let total = 0;
    for (const lot of this.lots)
      if (lot.itemId === itemId && (!point || lot.stockPointCode === point)) total += lot.remaining;
    for (const [k, d] of this.deficits) {
      const [item, p] = k.split('\u0000');
      if (item === itemId && (!point || p === point)) total -= d.quantity;
    }
    return round(total);
  }

  reserved(itemId: string, point?: string): number {
    let total = 0;
    for (const [k, q] of this.reservations) {
      const [item, p] = k.split('\u0000');
      if (item === itemId && (!point || p === point)) total += q;
    }
    return round(total);
  }

  available(itemId: string, point?: string): number {
    return round(this.inStock(itemId, point) - this.reserved(itemId, point));
  }

  stockValue(itemId: string, point?: string): number {
    let total = 0;
    for (const lot of this.lots)
      if (lot.itemId === itemId && (!point || lot.stockPointCode === point)) total += lot.remaining * lot.unitCost;
    for (const [k, d] of this.deficits) {
      const [item, p] = k.split('\u0000');
      if (item === itemId && (!point || p === point)) total -= d.quantity * d.unitCost;
    }
    return Math.round(total * 100) / 100;
  }

  stockBalance(filter: { itemIds?: string[]; stockPointCodes?: string[] }): StockBalance[] {
    const pairs = new Set<string>();
    for (const lot of this.lots) pairs.add(key(lot.itemId, lot.stockPointCode));
    for (const k of this.deficits.keys()) pairs.add(k);
    for (const k of this.reservations.keys()) pairs.add(k);
    const wantedItems = filter.itemIds?.length ? new Set(filter.itemIds) : undefined;
    const wantedPoints = filter.stockPointCodes?.length
      ? new Set(filter.stockPointCodes.map((c) => c.toUpperCase()))
      : undefined;
    const result: StockBalance[] = [];
    for (const pair of [...pairs].sort()) {
      const [itemId = '', stockPointCode = ''] = pair.split('\u0000');
      if (wantedItems && !wantedItems.has(itemId)) continue;
      if (wantedPoints && !wantedPoints.has(stockPointCode.toUpperCase())) continue;
      result.push({
        itemId,
        stockPointCode,
        availableStock: this.available(itemId, stockPointCode),
        inStock: this.inStock(itemId, stockPointCode),
      });
    }
    return result;
  }

  // ---- FIFO primitives -----------------------------------------------------------------------------------------

  /** Points ordered so that allocation without a stock point walks all lots oldest first. */
  private fifoLots(itemId: string, point?: string): Lot[] {
    return this.lots.filter((l) => l.itemId === itemId && l.remaining > 0 && (!point || l.stockPointCode === point));
  }

  private addLot(
    itemId: string,
    point: string,
    location: string | undefined,
    quantity: number,
    unitCost: number,
    source: string,
  ): Lot {
    this.options.onBalanceChanged?.(itemId);
    const lot: Lot = {
      id: this.nextLotId++,
      itemId,
      stockPointCode: point,
      stockLocationCode: location,
      quantity,
      remaining: quantity,
      unitCost,
      source,
    };
    this.lots.push(lot);
    this.lastCost.set(itemId, unitCost);
    // Stock that arrives while the point is negative first settles the deficit.
    const deficit = this.deficits.get(key(itemId, point));
    if (deficit && deficit.quantity > 0) {
      const settle = Math.min(deficit.quantity, lot.remaining);
      deficit.quantity = round(deficit.quantity - settle);
      lot.remaining = round(lot.remaining - settle);
      if (deficit.quantity === 0) this.deficits.delete(key(itemId, point));
    }
    return lot;
  }

  /** Takes `quantity` out FIFO. Capped by availability unless `force`; beyond the lots a forced take goes negative. */
  private takeOut(itemId: string, quantity: number, point: string | undefined, force: boolean): Allocation[] {
    this.options.onBalanceChanged?.(itemId);
    const allocations: Allocation[] = [];
    let need = quantity;
    const caps = new Map<string, number>();
    const capOf = (p: string): number => {
      if (!caps.has(p)) caps.set(p, Math.max(0, this.available(itemId, p)));
      return caps.get(p) ?? 0;
    };
    for (const lot of this.fifoLots(itemId, point)) {
      if (need <= 0) break;
      const take = Math.min(lot.remaining, need, force ? Infinity : capOf(lot.stockPointCode));
      if (take <= 0) continue;
      lot.remaining = round(lot.remaining - take);
      if (!force) caps.set(lot.stockPointCode, capOf(lot.stockPointCode) - take);
      need = round(need - take);
      allocations.push({
        lotId: lot.id,
        itemId,
        stockPointCode: lot.stockPointCode,
        quantity: take,
        unitCost: lot.unitCost,
      });
      this.lastCost.set(itemId, lot.unitCost);
    }
    if (need > 0 && force) {
      const p = point ?? this.itemDefaultPoint(itemId);
      const unitCost = this.lastCost.get(itemId) ?? 0;
      const deficit = this.deficits.get(key(itemId, p)) ?? { quantity: 0, unitCost };
      deficit.quantity = round(deficit.quantity + need);
      deficit.unitCost = unitCost;
      this.deficits.set(key(itemId, p), deficit);
      allocations.push({ lotId: null, itemId, stockPointCode: p, quantity: need, unitCost });
    }
    return allocations;
  }

  /** Reserves up to `quantity` of available stock, point by point in FIFO order of their lots. */
  private reserve(itemId: string, quantity: number, point: string | undefined): RowEffect['reserved'] {
    this.options.onBalanceChanged?.(itemId);
    const result: RowEffect['reserved'] = [];
    let need = quantity;
    const points = point ? [point] : [...new Set(this.fifoLots(itemId).map((l) => l.stockPointCode))];
    for (const p of points) {
      if (need <= 0) break;
      const take = Math.min(need, Math.max(0, this.available(itemId, p)));
      if (take <= 0) continue;
      this.reservations.set(key(itemId, p), round((this.reservations.get(key(itemId, p)) ?? 0) + take));
      result.push({ itemId, stockPointCode: p, quantity: take });
      need = round(need - take);
    }
    return result;
  }

  private undo(effect: RowEffect, force: boolean): void {
    for (const itemId of new Set([...effect.reserved.map((r) => r.itemId), ...effect.out.map((a) => a.itemId)]))
      this.options.onBalanceChanged?.(itemId);
    for (const r of effect.reserved) {
      const k = key(r.itemId, r.stockPointCode);
      const left = round((this.reservations.get(k) ?? 0) - r.quantity);
      if (left > 0) this.reservations.set(k, left);
      else this.reservations.delete(k);
    }
    for (const lotId of effect.lotIds) {
      const lot = this.lots.find((l) => l.id === lotId);
      if (!lot) continue;
      const consumed = round(lot.quantity - lot.remaining);
      if (consumed > 0 && !force) {
        throw new WarehouseApiError(
          400,
          'stockAlreadyConsumed',
          `${consumed} of item ${lot.itemId} from this document has left the warehouse; void with force=true.`,
        );
      }
      if (consumed > 0) {
        const deficit = this.deficits.get(key(lot.itemId, lot.stockPointCode)) ?? {
          quantity: 0,
          unitCost: lot.unitCost,
        };
        deficit.quantity = round(deficit.quantity + consumed);
        this.deficits.set(key(lot.itemId, lot.stockPointCode), deficit);
      }
      this.lots.splice(this.lots.indexOf(lot), 1);
      this.options.onBalanceChanged?.(lot.itemId);
    }
    for (const a of effect.out) {
      const lot = a.lotId === null ? undefined : this.lots.find((l) => l.id === a.lotId);
      if (lot) {
        lot.remaining = round(lot.remaining + a.quantity);
        continue;
      }
      const k = key(a.itemId, a.stockPointCode);
      const deficit = this.deficits.get(k);
      const fromDeficit = Math.min(deficit?.quantity ?? 0, a.quantity);
      if (deficit) {
        deficit.quantity = round(deficit.quantity - fromDeficit);
        if (deficit.quantity === 0) this.deficits.delete(k);
      }
      // A deficit already settled by a later inbound: give the goods back as a lot at the cost they left with.
      const rest = round(a.quantity - fromDeficit);
      if (rest > 0) this.addLot(a.itemId, a.stockPointCode, undefined, rest, a.unitCost, 'undo');
    }
  }

  /** Undo a whole document; checked first so a refused void changes nothing. */
  private undoAll(doc: WarehouseDocument, force: boolean): void {
    if (!force) {
      for (const effect of doc.effects) {
        for (const lotId of effect.lotIds) {
          const lot = this.lots.find((l) => l.id === lotId);
          if (lot && lot.remaining < lot.quantity) {
            throw new WarehouseApiError(
              400,
              'stockAlreadyConsumed',
              `Item ${lot.itemId} from this document has already left the warehouse; void with force=true.`,
            );
          }
        }
      }
    }
    for (const effect of doc.effects) this.undo(effect, true);
    doc.effects = [];
  }

  private itemDefaultPoint(itemId: string): string {
    const code = this.options.item(itemId)?.defaultStockPointCode;
    return code && this.findStockPoint(code) ? this.requirePoint(code).code : this.defaultStockPointCode;
  }

  /** Inbound placement: the row's point, else the item's default point (and location), else the global default. */
  private inboundPlace(row: DocumentRowInput): { point: string; location?: string } {
    if (row.stockPointCode) {
      const point = this.requirePoint(row.stockPointCode);
      if (
        row.stockLocationCode &&
        !point.stockLocations.some((l) => l.code.toUpperCase() === row.stockLocationCode?.toUpperCase())
      ) {
        throw new WarehouseApiError(
          400,
          'stockLocationNotFound',
          `Stock location ${row.stockLocationCode} not found on ${point.code}.`,
        );
      }
      return { point: point.code, location: row.stockLocationCode };
    }
    const item = this.options.item(row.itemId);
    if (item?.defaultStockPointCode && this.findStockPoint(item.defaultStockPointCode)) {
      return { point: this.requirePoint(item.defaultStockPointCode).code, location: item.defaultStockLocationCode };
    }
    return { point: this.defaultStockPointCode };
  }

  private averageCostOf(itemId: string): number {
    const lots = this.fifoLots(itemId);
    const qty = lots.reduce((s, l) => s + l.remaining, 0);
    if (qty > 0) return round(lots.reduce((s, l) => s + l.remaining * l.unitCost, 0) / qty);
    return this.lastCost.get(itemId) ?? 0;
  }

  // ---- documents -----------------------------------------------------------------------------------------------

  private docKey(direction: Direction, type: string, id: string): string {
    return `${direction}/${type}/${id}`;
  }

  /** Registers a custom type on first use; afterwards its direction is fixed. */
  registerType(type: string, direction: Direction): string {
    const canonical = normalizeReferenceType(type);
    const known = this.documentTypes.get(canonical);
    if (known && known !== direction) {
      throw new WarehouseApiError(
        400,
        'referenceTypeWrongCategory',
        `Reference type ${canonical} is registered as ${known} and cannot be used for ${direction}.`,
      );
    }
    if (!known) this.documentTypes.set(canonical, direction);
    return canonical;
  }

  getDocument(direction: Direction, type: string, id: string, internal = false): WarehouseDocument {
    const canonical = internal ? type : normalizeReferenceType(type);
    if (!internal) validateReferenceId(id);
    const doc = this.documents.get(this.docKey(direction, canonical, id));
    if (!doc)
      throw new WarehouseApiError(
        404,
        'documentNotFound',
        `No ${direction.toLowerCase()} document ${canonical}/${id}.`,
      );
    return doc;
  }

  private validateInput(input: DocumentInput, direction: Direction): void {
    if (!input.date || !/^\d{4}-\d{2}-\d{2}$/.test(input.date))
      throw new WarehouseApiError(400, 'invalidDate', 'date (YYYY-MM-DD) is required.');
    if (!Array.isArray(input.rows) || input.rows.length === 0)
      throw new WarehouseApiError(400, 'rowsRequired', 'rows are required.');
    if (direction === 'OUTBOUND' && !['registration', 'reservation', 'delivery'].includes(input.deliveryState ?? '')) {
      throw new WarehouseApiError(
        400,
        'invalidDeliveryState',
        'deliveryState must be registration, reservation or delivery.',
      );
    }
    for (const row of input.rows) {
      if (!row.itemId) throw new WarehouseApiError(400, 'itemIdRequired', 'Each row needs an itemId.');
      if (typeof row.quantity !== 'number' || !Number.isFinite(row.quantity))
        throw new WarehouseApiError(400, 'quantityRequired', 'Each row needs a numeric quantity.');
      if (!this.options.item(row.itemId))
        throw new WarehouseApiError(400, 'itemNotFound', `Item ${row.itemId} does not exist.`);
      if (row.stockPointCode) this.requirePoint(row.stockPointCode);
    }
  }

  /** Create or replace a custom document (`PUT documentdeliveries/custom/{inbound|outbound}-v1/{type}/{id}`). */
  saveDocument(
    direction: Direction,
    type: string,
    id: string,
    input: DocumentInput,
    internal = false,
  ): WarehouseDocument {
    const canonical = internal ? type : this.registerType(type, direction);
    if (!internal) validateReferenceId(id);
    this.validateInput(input, direction);
    const k = this.docKey(direction, canonical, id);
    const existing = this.documents.get(k);
    if (existing?.warehouseReady)
      throw new WarehouseApiError(
        400,
        'cannot_modify_released_document',
        `Document ${canonical}/${id} is released and locked.`,
      );
    if (existing?.voided)
      throw new WarehouseApiError(400, 'document_is_voided', `Document ${canonical}/${id} is voided.`);
    if (existing) this.undoAll(existing, true);
    const doc: WarehouseDocument = {
      direction,
      type: canonical,
      id,
      date: input.date,
      note: input.note,
      currency: input.currency,
      deliveryState: direction === 'OUTBOUND' ? input.deliveryState : undefined,
      forcedDelivery: input.forcedDelivery ?? false,
      rows: input.rows.map((row, i) => ({
        ...row,
        rowId: row.rowId ?? i + 1,
        reservedQuantity: 0,
        deliveredQuantity: 0,
        forcedQuantity: 0,
        averageCost: 0,
      })),
      warehouseReady: false,
      voided: false,
      booked: false,
      voidBooked: false,
      internal,
      effects: [],
    };
    this.documents.set(k, doc);
    if (direction === 'OUTBOUND') this.applyOutbound(doc);
    return doc;
  }

  /** An outbound affects stock as soon as it is saved, according to its delivery state. */
  private applyOutbound(doc: WarehouseDocument): void {
    doc.effects = doc.rows.map((row) => {
      const effect: RowEffect = { out: [], lotIds: [], reserved: [] };
      const point = row.stockPointCode ? this.requirePoint(row.stockPointCode).code : undefined;
      if (row.quantity < 0) {
        // A negative outbound row is an inbound for that row, once it is actually delivered.
        if (doc.deliveryState === 'delivery') {
          const place = this.inboundPlace(row);
          const lot = this.addLot(
            row.itemId,
            place.point,
            place.location,
            -row.quantity,
            this.averageCostOf(row.itemId),
            `${doc.type}/${doc.id}`,
          );
          effect.lotIds.push(lot.id);
          row.deliveredQuantity = row.quantity;
          row.averageCost = lot.unitCost;
        }
        return effect;
      }
      if (doc.deliveryState === 'reservation') {
        effect.reserved = this.reserve(
          row.itemId,
          row.reservedQuantity > 0 ? row.reservedQuantity : row.quantity,
          point,
        );
        row.reservedQuantity = round(effect.reserved.reduce((s, r) => s + r.quantity, 0));
      } else if (doc.deliveryState === 'delivery') {
        const wanted = row.deliveredQuantity > 0 ? row.deliveredQuantity : row.quantity;
        const availableBefore = Math.max(0, this.available(row.itemId, point));
        effect.out = this.takeOut(row.itemId, wanted, point, doc.forcedDelivery);
        const delivered = round(effect.out.reduce((s, a) => s + a.quantity, 0));
        row.deliveredQuantity = delivered;
        row.forcedQuantity = round(Math.max(0, delivered - availableBefore));
        row.averageCost =
          delivered > 0 ? round(effect.out.reduce((s, a) => s + a.quantity * a.unitCost, 0) / delivered) : 0;
      }
      return effect;
    });
  }

  /** Inbound stock arrives on release: lots for positive rows; negative rows leave FIFO (credit rows). */
  private applyInbound(doc: WarehouseDocument): void {
    doc.effects = doc.rows.map((row) => {
      const effect: RowEffect = { out: [], lotIds: [], reserved: [] };
      if (row.quantity >= 0) {
        const place = this.inboundPlace(row);
        const unitCost = round((row.directCost ?? 0) + (row.freightCost ?? 0) + (row.otherCost ?? 0));
        const lot = this.addLot(
          row.itemId,
          place.point,
          place.location,
          row.quantity,
          unitCost,
          `${doc.type}/${doc.id}`,
        );
        effect.lotIds.push(lot.id);
        row.deliveredQuantity = row.quantity;
        row.averageCost = unitCost;
      } else {
        const point = row.stockPointCode ? this.requirePoint(row.stockPointCode).code : undefined;
        effect.out = this.takeOut(row.itemId, -row.quantity, point, true);
        row.deliveredQuantity = row.quantity;
      }
      return effect;
    });
  }

  /** `PUT .../release`: locks the document and queues it for the nightly bookkeeping. */
  release(direction: Direction, type: string, id: string, internal = false): WarehouseDocument {
    const doc = this.getDocument(direction, type, id, internal);
    if (doc.voided) throw new WarehouseApiError(400, 'document_is_voided', `Document ${doc.type}/${doc.id} is voided.`);
    if (doc.warehouseReady) return doc;
    if (doc.date > this.options.today()) {
      throw new WarehouseApiError(
        400,
        'cannot_release_later_than_current_date',
        `Document date ${doc.date} is after today.`,
      );
    }
    if (direction === 'INBOUND') this.applyInbound(doc);
    doc.warehouseReady = true;
    doc.releasedAt = this.options.today();
    return doc;
  }

  /** `PUT .../void?force=`: undoes the stock effect and keeps the document, marked voided. */
  void(direction: Direction, type: string, id: string, force: boolean, internal = false): WarehouseDocument {
    const doc = this.getDocument(direction, type, id, internal);
    if (doc.voided)
      throw new WarehouseApiError(400, 'document_is_voided', `Document ${doc.type}/${doc.id} is already voided.`);
    this.undoAll(doc, force);
    doc.voided = true;
    return doc;
  }

  /** The nightly job: books every change made by released documents (and the reversal of voided booked ones). */
  runBookkeeping(): BookedEntry[] {
    const booked: BookedEntry[] = [];
    for (const doc of this.documents.values()) {
      const value = this.documentValue(doc);
      if (doc.warehouseReady && !doc.booked) {
        if (doc.voided) {
          doc.booked = true;
          doc.voidBooked = true;
          continue;
        }
        doc.booked = true;
        booked.push({ type: doc.type, id: doc.id, direction: doc.direction, kind: 'release', value });
      } else if (doc.booked && doc.voided && !doc.voidBooked) {
        doc.voidBooked = true;
        booked.push({ type: doc.type, id: doc.id, direction: doc.direction, kind: 'void', value });
      }
    }
    return booked;
  }

  private documentValue(doc: WarehouseDocument): number {
    let value = 0;
    for (const row of doc.rows) value += Math.abs(row.deliveredQuantity) * row.averageCost;
    return Math.round(value * 100) / 100;
  }

  // ---- orders (Fortnox's own outbound movement) ----------------------------------------------------------------

  /**
   * An order's stock movement. Reservation reserves what is available; delivery moves DeliveredQuantity out FIFO.
   * The known trap: an article whose stock is at or below zero gets DeliveredQuantity 0 (unless negative stock is
   * allowed); otherwise the quantity is delivered in full, into negative stock if need be.
   */
  saveOrderMovement(
    orderNumber: string,
    date: string,
    state: DeliveryState,
    rows: Array<{ itemId: string; orderedQuantity: number; deliveredQuantity: number; stockPointCode?: string }>,
    allowNegativeStock: boolean,
  ): Array<{ reservedQuantity: number; deliveredQuantity: number }> {
    const k = this.docKey('OUTBOUND', 'CUSTOMERORDER', orderNumber);
    const existing = this.documents.get(k);
    if (existing) this.undoAll(existing, true);
    const doc: WarehouseDocument = existing ?? {
      direction: 'OUTBOUND',
      type: 'CUSTOMERORDER',
      id: orderNumber,
      date,
      deliveryState: state,
      forcedDelivery: true,
      rows: [],
      warehouseReady: false,
      voided: false,
      booked: false,
      voidBooked: false,
      internal: true,
      effects: [],
    };
    doc.deliveryState = state;
    doc.rows = rows.map((r, i) => ({
      itemId: r.itemId,
      quantity: r.orderedQuantity,
      rowId: i + 1,
      stockPointCode: r.stockPointCode,
      reservedQuantity: 0,
      deliveredQuantity: 0,
      forcedQuantity: 0,
      averageCost: 0,
    }));
    this.documents.set(k, doc);
    const results = rows.map((r, i) => {
      const row = doc.rows[i] as DocumentRow;
      const effect: RowEffect = { out: [], lotIds: [], reserved: [] };
      doc.effects.push(effect);
      const point = r.stockPointCode && this.findStockPoint(r.stockPointCode) ? r.stockPointCode : undefined;
      if (state === 'reservation' && r.orderedQuantity > 0) {
        effect.reserved = this.reserve(r.itemId, r.orderedQuantity, point);
        row.reservedQuantity = round(effect.reserved.reduce((s, x) => s + x.quantity, 0));
      } else if (state === 'delivery' && r.deliveredQuantity > 0) {
        if (this.inStock(r.itemId) <= 0 && !allowNegativeStock) return { reservedQuantity: 0, deliveredQuantity: 0 };
        effect.out = this.takeOut(r.itemId, r.deliveredQuantity, point, true);
        row.deliveredQuantity = r.deliveredQuantity;
        row.averageCost = round(effect.out.reduce((s, a) => s + a.quantity * a.unitCost, 0) / r.deliveredQuantity);
      }
      return { reservedQuantity: row.reservedQuantity, deliveredQuantity: row.deliveredQuantity };
    });
    return results;
  }

  /** Cancelling an order gives back everything it reserved or delivered. */
  voidOrderMovement(orderNumber: string): void {
    const doc = this.documents.get(this.docKey('OUTBOUND', 'CUSTOMERORDER', orderNumber));
    if (doc && !doc.voided) {
      this.undoAll(doc, true);
      doc.voided = true;
    }
  }

  /** Invoicing an order makes its movement final (WarehouseReady), queued for the nightly bookkeeping. */
  releaseOrderMovement(orderNumber: string): void {
    const doc = this.documents.get(this.docKey('OUTBOUND', 'CUSTOMERORDER', orderNumber));
    if (doc && !doc.voided && !doc.warehouseReady) {
      doc.warehouseReady = true;
      doc.releasedAt = this.options.today();
    }
  }
}
