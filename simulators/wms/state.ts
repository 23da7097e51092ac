// The sandbox's in-memory warehouse: goods owners and the operations of the API and of the warehouse floor.
import { randomBytes } from 'node:crypto';
import { badRequest, notFound, SandboxHttpError } from './errors';
import { chargesForSentOrder, defaultInvoiceArticles } from './invoicing';
import { articleBody, type ArticleBody, type OrderBody, type PurchaseOrderBody } from './requests';
import {
  isOrderStarted,
  ORDER_STATUS,
  ORDER_STATUS_TEXT,
  PURCHASE_ORDER_STATUS,
  type GoodsOwnerState,
  type SandboxInvoiceArticle,
  type StoredArticle,
  type StoredOrder,
  type StoredOrderLine,
  type StoredPurchaseOrder,
  type StoredWarehouse,
} from './types';

/** Called on every order change the webhooks may announce. */
export type OrderChangeListener = (
  owner: GoodsOwnerState,
  order: StoredOrder,
  change: { kind: 'created' } | { kind: 'statusChanged'; from: number; to: number },
) => void;

export const DEFAULT_WAREHOUSES: readonly StoredWarehouse[] = [
  { warehouseId: 1, code: 'MAIN', name: 'Main' },
  { warehouseId: 2, code: 'SECOND', name: 'Second' },
];

export class WmsSandboxState {
  /** The `{warehouse}` path segment: the 3PL's Ongoing instance, shared by its goods owners. */
  readonly warehouse: string;
  readonly goodsOwners = new Map<number, GoodsOwnerState>();
  /** Id counters; public so persistence can carry them across a restart (new ids must never reuse old ones). */
  readonly nextId = {
    goodsOwner: 1,
    article: 1,
    order: 1,
    line: 1,
    purchaseOrder: 1,
    parcel: 1,
    adjustment: 1,
    webhookEvent: 1,
    charge: 1,
    // Ids 1–3 are the default invoice articles (invoicing.ts).
    invoiceArticle: 100,
  };
  private listeners: OrderChangeListener[] = [];
  /** Injectable clock, so periods (shipped, received, stock at a date) can be tested. */
  now: () => Date = () => new Date();

  constructor(warehouse = 'sandbox') {
    this.warehouse = warehouse;
  }

  onOrderChange(listener: OrderChangeListener): void {
    this.listeners.push(listener);
  }

  reset(): void {
    this.goodsOwners.clear();
    // Ids keep counting after a reset so that stale ids held by a client never point at new data.
  }

  private iso(): string {
    return this.now().toISOString();
  }

  // ---- goods owners and auth ----

  createGoodsOwner(name?: string): GoodsOwnerState {
    const goodsOwnerId = this.nextId.goodsOwner++;
    const owner: GoodsOwnerState = {
      goodsOwnerId,
      name: name ?? `Goods owner ${goodsOwnerId}`,
      username: `WSI-sandbox-${goodsOwnerId}-${randomBytes(3).toString('hex')}`,
      password: randomBytes(12).toString('base64url'),
      warehouses: DEFAULT_WAREHOUSES.map((w) => ({ ...w })),
      articles: new Map(),
      orders: new Map(),
      purchaseOrders: new Map(),
      adjustments: [],
      stockMovements: [],
      invoiceArticles: defaultInvoiceArticles(),
      permissions: { invoiceCharges: true },
      webhookAttempts: [],
      faultRules: [],
      calls: { total: 0, byRoute: {} },
    };
    this.goodsOwners.set(goodsOwnerId, owner);
    return owner;
  }

  goodsOwner(goodsOwnerId: number): GoodsOwnerState {
    const owner = this.goodsOwners.get(goodsOwnerId);
    if (!owner) throw notFound(`Goods owner ${goodsOwnerId}`);
    return owner;
  }

  authenticate(username: string, password: string): GoodsOwnerState | undefined {
    for (const owner of this.goodsOwners.values()) {
      if (owner.username === username && owner.password === password) return owner;
    }
    return undefined;
  }

  warehouseByName(owner: GoodsOwnerState, nameOrCode?: string): StoredWarehouse {
    const wanted = nameOrCode ?? DEFAULT_WAREHOUSES[0]!.name;
    const found = owner.warehouses.find(
      (w) => w.name.toLowerCase() === wanted.toLowerCase() || w.code.toLowerCase() === wanted.toLowerCase(),
    );
    if (!found) throw badRequest(`Warehouse "${wanted}" does not exist for goods owner ${owner.goodsOwnerId}.`);
    return found;
  }

  // ---- articles ----

  articleByNumber(owner: GoodsOwnerState, articleNumber: string): StoredArticle | undefined {
    for (const a of owner.articles.values()) if (a.articleNumber === articleNumber) return a;
    return undefined;
  }

  upsertArticle(owner: GoodsOwnerState, body: ArticleBody): { article: StoredArticle; created: boolean } {
    const now = this.iso();
    const existing = this.articleByNumber(owner, body.articleNumber);
    const fields = {
      articleName: body.articleName ?? existing?.articleName ?? body.articleNumber,
      productCode: body.productCode ?? existing?.productCode,
      unitCode: body.unitCode ?? existing?.unitCode,
      barCode: body.barCodeInfo?.barCode ?? existing?.barCode,
      weight: body.weight ?? existing?.weight,
      length: body.length ?? existing?.length,
      width: body.width ?? existing?.width,
      height: body.height ?? existing?.height,
      volume: body.volume ?? existing?.volume,
      isStockArticle: body.isStockArticle ?? existing?.isStockArticle ?? true,
      supplierInfo: body.supplierInfo ?? existing?.supplierInfo,
      updatedAt: now,
    };
    if (existing) {
      Object.assign(existing, fields);
      return { article: existing, created: false };
    }
    const article: StoredArticle = {
      articleSystemId: this.nextId.article++,
      articleNumber: body.articleNumber,
      ...fields,
      stock: new Map(),
      createdAt: now,
      stockChangedAt: now,
    };
    owner.articles.set(article.articleSystemId, article);
    return { article, created: true };
  }

  private requireArticle(owner: GoodsOwnerState, articleNumber: string): StoredArticle {
    const article = this.articleByNumber(owner, articleNumber);
    if (!article) throw badRequest(`Article "${articleNumber}" does not exist for goods owner ${owner.goodsOwnerId}.`);
    return article;
  }

  private moveStock(owner: GoodsOwnerState, article: StoredArticle, warehouseId: number, delta: number): void {
    const at = this.iso();
    article.stock.set(warehouseId, (article.stock.get(warehouseId) ?? 0) + delta);
    article.stockChangedAt = at;
    owner.stockMovements.push({ at, articleSystemId: article.articleSystemId, warehouseId, delta });
  }

  /**
   * Physical stock at `at` (ms): today's stock less every movement from then on, so a movement at that very moment
   * belongs to what follows (as the "...To" filters exclude their end). Movements from before the stock ledger existed
   * (a restored older snapshot) are unknown, so such a past reads as today's stock.
   */
  stockAt(owner: GoodsOwnerState, article: StoredArticle, at: number, warehouseId?: number): number {
    let n = 0;
    for (const [wid, items] of article.stock) if (warehouseId === undefined || wid === warehouseId) n += items;
    for (const m of owner.stockMovements) {
      if (m.articleSystemId !== article.articleSystemId || (warehouseId !== undefined && m.warehouseId !== warehouseId))
        continue;
      if (Date.parse(m.at) >= at) n -= m.delta;
    }
    return n;
  }

  // ---- orders ----

  orderByNumber(owner: GoodsOwnerState, orderNumber: string): StoredOrder | undefined {
    for (const o of owner.orders.values()) if (o.orderNumber === orderNumber) return o;
    return undefined;
  }

  order(owner: GoodsOwnerState, orderId: number): StoredOrder {
    const order = owner.orders.get(orderId);
    if (!order) throw notFound(`Order ${orderId}`);
    return order;
  }

  upsertOrder(owner: GoodsOwnerState, body: OrderBody): { order: StoredOrder; created: boolean } {
    const rowNumbers = new Set<string>();
    for (const line of body.orderLines) {
      if (rowNumbers.has(line.rowNumber)) throw badRequest(`Order line rowNumber "${line.rowNumber}" is not unique.`);
      rowNumbers.add(line.rowNumber);
    }
    const articles = body.orderLines.map((l) => this.requireArticle(owner, l.articleNumber));
    const existing = this.orderByNumber(owner, body.orderNumber);
    if (existing) {
      this.refuseIfStartedOrCancelled(existing, 'updated');
    }
    const now = this.iso();
    const oldLines = new Map((existing?.lines ?? []).map((l) => [l.rowNumber, l]));
    const lines = body.orderLines.map((l, i): StoredOrderLine => ({
      id: oldLines.get(l.rowNumber)?.id ?? this.nextId.line++,
      rowNumber: l.rowNumber,
      articleSystemId: articles[i]!.articleSystemId,
      articleNumber: articles[i]!.articleNumber,
      articleName: articles[i]!.articleName,
      comment: l.comment,
      orderedNumberOfItems: l.numberOfItems,
      allocatedNumberOfItems: 0,
      pickedNumberOfItems: 0,
      reportedNumberOfItems: null,
      pickedArticleItems: [],
    }));
    const fields = {
      orderNumber: body.orderNumber,
      goodsOwnerOrderId: body.goodsOwnerOrderId,
      referenceNumber: body.referenceNumber,
      consigneeOrderNumber: body.consigneeOrderNumber,
      orderRemark: body.orderRemark,
      deliveryDate: body.deliveryDate,
      consignee: Object.fromEntries(Object.entries(body.consignee).filter(([, v]) => v !== undefined)),
      emailNotification: body.emailNotification ?? { toBeNotified: false, value: null },
      smsNotification: body.smsNotification ?? { toBeNotified: false, value: null },
      lines,
    };
    if (existing) {
      Object.assign(existing, fields);
      return { order: existing, created: false };
    }
    const order: StoredOrder = {
      orderId: this.nextId.order++,
      ...fields,
      createdDate: now,
      shippedTime: null,
      wayBill: null,
      statusNumber: ORDER_STATUS.Open,
      statusChangedTime: now,
      parcels: [],
      currentShipmentId: null,
      warehouseId: DEFAULT_WAREHOUSES[0]!.warehouseId,
      invoiceCharges: [],
    };
    owner.orders.set(order.orderId, order);
    for (const l of this.listeners) l(owner, order, { kind: 'created' });
    return { order, created: true };
  }

  private refuseIfStartedOrCancelled(order: StoredOrder, verb: 'updated' | 'cancelled'): void {
    const status = { number: order.statusNumber, text: ORDER_STATUS_TEXT[order.statusNumber] ?? '' };
    if (isOrderStarted(order.statusNumber)) {
      // Ongoing's wording: "you are not allowed to update an order after the warehouse has started working on it".
      throw new SandboxHttpError(
        400,
        `Order ${order.orderNumber} may not be ${verb}: the warehouse has started working on it ` +
          `(status ${status.number} ${status.text}).`,
        { orderId: order.orderId, orderNumber: order.orderNumber, orderStatus: status },
      );
    }
    if (order.statusNumber === ORDER_STATUS.Cancelled) {
      throw new SandboxHttpError(400, `Order ${order.orderNumber} is cancelled and may not be ${verb}.`, {
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        orderStatus: status,
      });
    }
  }

  /** DELETE /orders/{orderId}: the goods owner cancels; refused once the warehouse has started. */
  cancelOrderByGoodsOwner(owner: GoodsOwnerState, orderId: number): StoredOrder {
    const order = this.order(owner, orderId);
    this.refuseIfStartedOrCancelled(order, 'cancelled');
    this.setStatus(owner, order, ORDER_STATUS.Cancelled);
    return order;
  }

  markOrderReported(owner: GoodsOwnerState, orderId: number): StoredOrder {
    const order = this.order(owner, orderId);
    for (const line of order.lines) line.reportedNumberOfItems = line.pickedNumberOfItems;
    return order;
  }

  private setStatus(owner: GoodsOwnerState, order: StoredOrder, to: number): void {
    const from = order.statusNumber;
    if (from === to) return;
    order.statusNumber = to;
    order.statusChangedTime = this.iso();
    for (const l of this.listeners) l(owner, order, { kind: 'statusChanged', from, to });
  }

  // ---- the warehouse floor ----

  private requireFloorStatus(order: StoredOrder, action: string, allowed: (s: number) => boolean): void {
    if (!allowed(order.statusNumber)) {
      throw new SandboxHttpError(
        409,
        `Order ${order.orderNumber} has status ${order.statusNumber} ${ORDER_STATUS_TEXT[order.statusNumber] ?? ''}: ` +
          `cannot ${action}.`,
      );
    }
  }

  release(owner: GoodsOwnerState, orderId: number): StoredOrder {
    const order = this.order(owner, orderId);
    this.requireFloorStatus(order, 'release', (s) => s === ORDER_STATUS.Open);
    this.setStatus(owner, order, ORDER_STATUS.Released);
    return order;
  }

  allocate(owner: GoodsOwnerState, orderId: number): StoredOrder {
    const order = this.order(owner, orderId);
    this.requireFloorStatus(order, 'allocate', (s) => s === ORDER_STATUS.Open || s === ORDER_STATUS.Released);
    for (const line of order.lines) line.allocatedNumberOfItems = line.orderedNumberOfItems;
    this.setStatus(owner, order, ORDER_STATUS.Allocated);
    return order;
  }

  /** Picks the given lines (absent lines pick nothing); with no lines, everything ordered. Ends in 400 Picked. */
  pick(
    owner: GoodsOwnerState,
    orderId: number,
    lines?: Array<{ rowNumber: string; pickedNumberOfItems: number; batchNumber?: string | null }>,
  ): StoredOrder {
    const order = this.order(owner, orderId);
    this.requireFloorStatus(order, 'pick', (s) => s >= ORDER_STATUS.Open && s < ORDER_STATUS.Picked);
    const wanted = new Map<string, { pickedNumberOfItems: number; batchNumber?: string | null }>();
    if (lines) {
      for (const l of lines) {
        if (!order.lines.some((ol) => ol.rowNumber === l.rowNumber)) {
          throw badRequest(`Order ${order.orderNumber} has no line with rowNumber "${l.rowNumber}".`);
        }
        wanted.set(l.rowNumber, l);
      }
    }
    for (const line of order.lines) {
      const w = lines
        ? line.rowNumber === null
          ? undefined
          : wanted.get(line.rowNumber)
        : { pickedNumberOfItems: line.orderedNumberOfItems };
      const picked = w?.pickedNumberOfItems ?? 0;
      line.allocatedNumberOfItems = line.orderedNumberOfItems;
      line.pickedNumberOfItems = picked;
      line.pickedArticleItems =
        picked > 0 ? [{ batchNumber: w?.batchNumber ?? null, serial: null, numberOfItems: picked }] : [];
    }
    this.setStatus(owner, order, ORDER_STATUS.Picked);
    return order;
  }

  /** The "sent" button: transport booked. Picks everything first if nothing was picked yet. */
  send(
    owner: GoodsOwnerState,
    orderId: number,
    options: { parcels?: number; trackingNumbers?: string[] },
  ): StoredOrder {
    const order = this.order(owner, orderId);
    this.requireFloorStatus(order, 'send', (s) => s >= ORDER_STATUS.Open && s <= ORDER_STATUS.Picked);
    if (order.statusNumber < ORDER_STATUS.Picked) this.pick(owner, orderId);
    const parcelCount = Math.max(options.parcels ?? 1, options.trackingNumbers?.length ?? 0);
    const now = this.iso();
    order.wayBill = `WB${String(order.orderId).padStart(8, '0')}`;
    order.currentShipmentId = order.orderId;
    order.parcels = Array.from({ length: parcelCount }, (_, i) => {
      const id = this.nextId.parcel++;
      const trackingNumber = options.trackingNumbers?.[i] ?? `SBX${String(id).padStart(10, '0')}SE`;
      return {
        id,
        parcelNumber: `${order.wayBill}-${i + 1}`,
        trackingNumber,
        trackingUrl: `https://tracking.sandbox.invalid/${trackingNumber}`,
      };
    });
    order.shippedTime = now;
    // Picked goods leave the building: physical stock drops and allocations are released.
    for (const line of order.lines) {
      const article = owner.articles.get(line.articleSystemId);
      if (article && line.pickedNumberOfItems > 0)
        this.moveStock(owner, article, order.warehouseId, -line.pickedNumberOfItems);
      line.allocatedNumberOfItems = 0;
    }
    // What the 3PL charges for the order, as Ongoing's invoicing would book it (GET /orders/{orderId}/invoiceCharges).
    order.invoiceCharges.push(...chargesForSentOrder(order, owner.invoiceArticles, () => this.nextId.charge++, now));
    this.setStatus(owner, order, ORDER_STATUS.Sent);
    return order;
  }

  /** The floor may cancel at any stage (goods go back to the shelf if not yet sent). */
  cancelOnFloor(owner: GoodsOwnerState, orderId: number): StoredOrder {
    const order = this.order(owner, orderId);
    this.requireFloorStatus(order, 'cancel', (s) => s !== ORDER_STATUS.Cancelled);
    for (const line of order.lines) line.allocatedNumberOfItems = 0;
    this.setStatus(owner, order, ORDER_STATUS.Cancelled);
    return order;
  }

  /** The warehouse adds a line on the floor (a replacement, a gift): Ongoing gives it no rowNumber of the goods owner's. */
  addLineOnFloor(
    owner: GoodsOwnerState,
    orderId: number,
    input: { articleNumber: string; numberOfItems: number },
  ): StoredOrder {
    const order = this.order(owner, orderId);
    this.requireFloorStatus(order, 'add a line', (s) => s >= ORDER_STATUS.Open && s < ORDER_STATUS.Sent);
    const article = this.requireArticle(owner, input.articleNumber);
    order.lines.push({
      id: this.nextId.line++,
      rowNumber: null,
      articleSystemId: article.articleSystemId,
      articleNumber: article.articleNumber,
      articleName: article.articleName,
      orderedNumberOfItems: input.numberOfItems,
      allocatedNumberOfItems: 0,
      pickedNumberOfItems: 0,
      reportedNumberOfItems: null,
      pickedArticleItems: [],
    });
    return order;
  }

  // ---- invoicing ----

  /** Replaces what sent orders are charged from now on; an article keeps its id while its code stays. */
  setInvoiceArticles(
    owner: GoodsOwnerState,
    articles: Array<Omit<SandboxInvoiceArticle, 'invoiceArticleId'>>,
  ): SandboxInvoiceArticle[] {
    const codes = new Set<string>();
    for (const a of articles) {
      if (codes.has(a.code)) throw badRequest(`Invoice article code "${a.code}" appears twice.`);
      codes.add(a.code);
    }
    const known = new Map(owner.invoiceArticles.map((a) => [a.code, a.invoiceArticleId]));
    owner.invoiceArticles = articles.map((a) => ({
      ...a,
      invoiceArticleId: known.get(a.code) ?? this.nextId.invoiceArticle++,
    }));
    return owner.invoiceArticles;
  }

  // ---- stock ----

  adjustStock(
    owner: GoodsOwnerState,
    input: { articleNumber: string; warehouse?: string; delta?: number; count?: number; reason: 'count' | 'damage' },
  ): { article: StoredArticle; delta: number } {
    const article = this.requireArticle(owner, input.articleNumber);
    const warehouse = this.warehouseByName(owner, input.warehouse);
    const current = article.stock.get(warehouse.warehouseId) ?? 0;
    const delta = input.count !== undefined ? input.count - current : (input.delta ?? 0);
    this.moveStock(owner, article, warehouse.warehouseId, delta);
    owner.adjustments.push({
      inventoryId: this.nextId.adjustment++,
      articleSystemId: article.articleSystemId,
      articleNumber: article.articleNumber,
      warehouseId: warehouse.warehouseId,
      numberOfItems: delta,
      inventoryTime: this.iso(),
      reason: input.reason,
    });
    return { article, delta };
  }

  /** Stock figures Ongoing shows in inventoryInfo, derived from stock and open orders. */
  inventoryInfo(owner: GoodsOwnerState, article: StoredArticle, warehouseId?: number) {
    let physical = 0;
    for (const [wid, n] of article.stock) if (warehouseId === undefined || wid === warehouseId) physical += n;
    let allocated = 0;
    let booked = 0;
    let pickedToBeCollected = 0;
    for (const order of owner.orders.values()) {
      if (warehouseId !== undefined && order.warehouseId !== warehouseId) continue;
      const open = order.statusNumber >= ORDER_STATUS.Open && order.statusNumber < ORDER_STATUS.Sent;
      if (!open) continue;
      for (const line of order.lines) {
        if (line.articleSystemId !== article.articleSystemId) continue;
        booked += line.orderedNumberOfItems;
        allocated += line.allocatedNumberOfItems;
        if (order.statusNumber === ORDER_STATUS.Picked) pickedToBeCollected += line.pickedNumberOfItems;
      }
    }
    let toReceive = 0;
    if (warehouseId === undefined || warehouseId === DEFAULT_WAREHOUSES[0]!.warehouseId) {
      for (const po of owner.purchaseOrders.values()) {
        if (po.statusNumber === PURCHASE_ORDER_STATUS.Deflection || po.statusNumber >= PURCHASE_ORDER_STATUS.Received)
          continue;
        for (const line of po.lines) {
          if (line.articleSystemId === article.articleSystemId) {
            toReceive += Math.max(0, line.advisedNumberOfItems - line.receivedNumberOfItems);
          }
        }
      }
    }
    return {
      numberOfItems: physical,
      sellableNumberOfItems: physical - booked,
      allocatedNumberOfItems: allocated,
      numberOfBookedItems: booked,
      numberOfLockedItems: 0,
      toReceiveNumberOfItems: toReceive,
      pickedToBeCollectedNumberOfItems: pickedToBeCollected,
    };
  }

  // ---- purchase orders ----

  purchaseOrderByNumber(owner: GoodsOwnerState, purchaseOrderNumber: string): StoredPurchaseOrder | undefined {
    for (const po of owner.purchaseOrders.values()) if (po.purchaseOrderNumber === purchaseOrderNumber) return po;
    return undefined;
  }

  purchaseOrder(owner: GoodsOwnerState, purchaseOrderId: number): StoredPurchaseOrder {
    const po = owner.purchaseOrders.get(purchaseOrderId);
    if (!po) throw notFound(`Purchase order ${purchaseOrderId}`);
    return po;
  }

  upsertPurchaseOrder(
    owner: GoodsOwnerState,
    body: PurchaseOrderBody,
  ): { purchaseOrder: StoredPurchaseOrder; created: boolean } {
    const articles = body.purchaseOrderLines.map((l) => this.requireArticle(owner, l.articleNumber));
    const existing = this.purchaseOrderByNumber(owner, body.purchaseOrderNumber);
    if (existing && existing.statusNumber !== PURCHASE_ORDER_STATUS.Notified) {
      throw badRequest(
        `Purchase order ${existing.purchaseOrderNumber} may not be updated: goods reception has started ` +
          `(status ${existing.statusNumber}).`,
      );
    }
    const oldLines = new Map((existing?.lines ?? []).map((l) => [l.rowNumber, l]));
    const fields = {
      purchaseOrderNumber: body.purchaseOrderNumber,
      goodsOwnerReference: body.goodsOwnerReference,
      purchaseOrderRemark: body.purchaseOrderRemark,
      inDate: body.inDate,
      supplierInfo: body.supplierInfo,
      lines: body.purchaseOrderLines.map((l, i) => ({
        id: oldLines.get(l.rowNumber)?.id ?? this.nextId.line++,
        rowNumber: l.rowNumber,
        articleSystemId: articles[i]!.articleSystemId,
        articleNumber: articles[i]!.articleNumber,
        comment: l.comment,
        advisedNumberOfItems: l.numberOfItems,
        receivedNumberOfItems: 0,
        reportedNumberOfItems: null,
      })),
    };
    if (existing) {
      Object.assign(existing, fields);
      return { purchaseOrder: existing, created: false };
    }
    const purchaseOrder: StoredPurchaseOrder = {
      purchaseOrderId: this.nextId.purchaseOrder++,
      ...fields,
      createdDate: this.iso(),
      statusNumber: PURCHASE_ORDER_STATUS.Notified,
    };
    owner.purchaseOrders.set(purchaseOrder.purchaseOrderId, purchaseOrder);
    return { purchaseOrder, created: true };
  }

  /**
   * Goods reception on the floor: received items go into the default warehouse. While goods are coming in the purchase
   * order is Inbound (300); it is Received (500) once every line has what was advised. `finish` ends reception now:
   * with a line short or over, that is Deflection (400), Ongoing's "Avvikelse".
   */
  receivePurchaseOrder(
    owner: GoodsOwnerState,
    purchaseOrderId: number,
    lines?: Array<{ rowNumber: string; receivedNumberOfItems: number }>,
    finish = false,
  ): StoredPurchaseOrder {
    const po = this.purchaseOrder(owner, purchaseOrderId);
    if (po.statusNumber === PURCHASE_ORDER_STATUS.Deflection || po.statusNumber >= PURCHASE_ORDER_STATUS.Received) {
      throw new SandboxHttpError(
        409,
        `Purchase order ${po.purchaseOrderNumber} has status ${po.statusNumber}: reception is finished.`,
      );
    }
    const now = this.iso();
    const receipts =
      lines ??
      po.lines.map((l) => ({
        rowNumber: l.rowNumber,
        receivedNumberOfItems: Math.max(0, l.advisedNumberOfItems - l.receivedNumberOfItems),
      }));
    for (const r of receipts) {
      const line = po.lines.find((l) => l.rowNumber === r.rowNumber);
      if (!line) throw badRequest(`Purchase order ${po.purchaseOrderNumber} has no line "${r.rowNumber}".`);
      if (r.receivedNumberOfItems <= 0) continue;
      line.receivedNumberOfItems += r.receivedNumberOfItems;
      const article = owner.articles.get(line.articleSystemId);
      if (article) this.moveStock(owner, article, DEFAULT_WAREHOUSES[0]!.warehouseId, r.receivedNumberOfItems);
    }
    if (receipts.some((r) => r.receivedNumberOfItems > 0)) po.lastReceiveTime = now;
    const exact = po.lines.every((l) => l.receivedNumberOfItems === l.advisedNumberOfItems);
    const complete = po.lines.every((l) => l.receivedNumberOfItems >= l.advisedNumberOfItems);
    const any = po.lines.some((l) => l.receivedNumberOfItems > 0);
    if (finish) po.statusNumber = exact ? PURCHASE_ORDER_STATUS.Received : PURCHASE_ORDER_STATUS.Deflection;
    else if (complete) po.statusNumber = exact ? PURCHASE_ORDER_STATUS.Received : PURCHASE_ORDER_STATUS.Deflection;
    else if (any) po.statusNumber = PURCHASE_ORDER_STATUS.Inbound;
    return po;
  }

  /** What the goods owner's ERP says it has booked of a line (Ongoing keeps it as given; it does not check it). */
  setPurchaseOrderLineReported(
    owner: GoodsOwnerState,
    purchaseOrderId: number,
    lineId: number,
    reported: number,
  ): StoredPurchaseOrder {
    const po = this.purchaseOrder(owner, purchaseOrderId);
    const line = po.lines.find((l) => l.id === lineId);
    if (!line) throw notFound(`Purchase order line ${lineId} on purchase order ${purchaseOrderId}`);
    line.reportedNumberOfItems = reported;
    return po;
  }

  // ---- demo data ----

  seed(owner: GoodsOwnerState): void {
    const demo = [
      { articleNumber: 'WIDGET-1', articleName: 'Widget, blue', barCode: '7350000000011', weight: 0.4, stock: 120 },
      { articleNumber: 'WIDGET-2', articleName: 'Widget, red', barCode: '7350000000028', weight: 0.4, stock: 80 },
      { articleNumber: 'GADGET-1', articleName: 'Gadget deluxe', barCode: '7350000000035', weight: 1.2, stock: 25 },
    ];
    for (const d of demo) {
      const { article } = this.upsertArticle(
        owner,
        articleBody.parse({
          goodsOwnerId: owner.goodsOwnerId,
          articleNumber: d.articleNumber,
          articleName: d.articleName,
          barCodeInfo: { barCode: d.barCode },
          weight: d.weight,
          unitCode: 'st',
          isStockArticle: true,
          supplierInfo: { supplierNumber: 'SUP-1', supplierName: 'Nordic Widgets AB' },
        }),
      );
      this.adjustStock(owner, { articleNumber: article.articleNumber, count: d.stock, reason: 'count' });
    }
  }
}
