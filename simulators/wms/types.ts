// Stored shapes of the WMS sandbox: one goods owner's articles, orders, purchase orders and floor history.

export const ORDER_STATUS = {
  Error: 150,
  Open: 200,
  Released: 300,
  Allocated: 320,
  Picked: 400,
  Sent: 450,
  Collected: 500,
  Returned: 800,
  Cancelled: 1000,
} as const;

export const ORDER_STATUS_TEXT: Record<number, string> = {
  150: 'Error',
  200: 'Open',
  300: 'Released',
  320: 'Allocated',
  400: 'Picked',
  450: 'Sent',
  500: 'Collected',
  800: 'Returned',
  1000: 'Cancelled',
};

/** Ongoing's purchase-order statuses (GET /purchaseOrders/statuses in Ongoing's example requests). */
export const PURCHASE_ORDER_STATUS = {
  Notified: 100,
  ArrivalSpace: 200,
  /** Goods are being received. */
  Inbound: 300,
  /** "Avvikelse": reception was finished with quantities that differ from what was advised. */
  Deflection: 400,
  Received: 500,
  Cancelled: 900,
} as const;
export const PURCHASE_ORDER_STATUS_TEXT: Record<number, string> = {
  100: 'Notified',
  200: 'Arrival space',
  300: 'Inbound',
  400: 'Deflection',
  500: 'Received',
  900: 'Cancelled',
};

/** "The warehouse has started working on it": past Open and not Cancelled. */
export function isOrderStarted(statusNumber: number): boolean {
  return statusNumber > ORDER_STATUS.Open && statusNumber !== ORDER_STATUS.Cancelled;
}

export interface StoredWarehouse {
  warehouseId: number;
  code: string;
  name: string;
}

export interface StoredArticle {
  articleSystemId: number;
  articleNumber: string;
  articleName: string;
  productCode?: string;
  unitCode?: string;
  barCode?: string;
  weight?: number;
  length?: number;
  width?: number;
  height?: number;
  volume?: number;
  isStockArticle: boolean;
  /** Ongoing keeps suppliers only here (and on purchase orders): there is no supplier register in REST v1. */
  supplierInfo?: { supplierArticleNumber?: string; supplierNumber?: string; supplierName?: string };
  /** Physical stock per warehouseId. */
  stock: Map<number, number>;
  createdAt: string;
  updatedAt: string;
  stockChangedAt: string;
}

export interface PickedArticleItem {
  batchNumber: string | null;
  serial: string | null;
  numberOfItems: number;
}

export interface StoredOrderLine {
  id: number;
  /** The goods owner's row number; null on a line the warehouse added itself. */
  rowNumber: string | null;
  articleSystemId: number;
  articleNumber: string;
  articleName: string;
  comment?: string;
  orderedNumberOfItems: number;
  allocatedNumberOfItems: number;
  pickedNumberOfItems: number;
  reportedNumberOfItems: number | null;
  pickedArticleItems: PickedArticleItem[];
}

export interface Notification {
  toBeNotified: boolean;
  value?: string | null;
}

/** PostOrderConsignee / GetOrderConsignee: no e-mail or phone (those are the order's notification objects). */
export interface Consignee {
  customerNumber?: string;
  name?: string;
  address1?: string;
  address2?: string;
  address3?: string;
  postCode?: string;
  city?: string;
  countryCode?: string;
  countryStateCode?: string;
  remark?: string;
  doorCode?: string;
}

export interface StoredParcel {
  id: number;
  parcelNumber: string;
  trackingNumber: string | null;
  trackingUrl: string | null;
}

/**
 * One of Ongoing's invoice articles as the sandbox prices it: what a sent order is charged. In Ongoing the 3PL sets
 * these up in its invoicing module; the sandbox books a charge per article when an order is sent.
 */
export interface SandboxInvoiceArticle {
  invoiceArticleId: number;
  code: string;
  title: string;
  account: string | null;
  /** Per item of the charge, excl. VAT. */
  price: number;
  /** What one item of the charge is: the order itself, a line with picked items, a picked item, a parcel. */
  per: 'order' | 'pickedLine' | 'pickedItem' | 'parcel';
}

/** A charge booked on an order (GetOrderInvoiceChargeModel, with the invoice article copied as it was then). */
export interface StoredInvoiceCharge {
  chargeId: number;
  price: number;
  numberOfItems: number;
  actionDate: string;
  comment: string | null;
  invoiceArticle: { invoiceArticleId: number; code: string; title: string; account: string | null };
}

export interface StoredOrder {
  orderId: number;
  orderNumber: string;
  goodsOwnerOrderId?: string;
  referenceNumber?: string;
  consigneeOrderNumber?: string;
  orderRemark?: string;
  /** Required by Ongoing on every order. */
  deliveryDate: string;
  createdDate: string;
  shippedTime: string | null;
  wayBill: string | null;
  statusNumber: number;
  statusChangedTime: string;
  consignee: Consignee;
  emailNotification: Notification;
  smsNotification: Notification;
  lines: StoredOrderLine[];
  parcels: StoredParcel[];
  currentShipmentId: number | null;
  warehouseId: number;
  /** Booked when the order is sent, from the goods owner's invoice articles. */
  invoiceCharges: StoredInvoiceCharge[];
}

export interface StoredPurchaseOrderLine {
  id: number;
  rowNumber: string;
  articleSystemId: number;
  articleNumber: string;
  comment?: string;
  advisedNumberOfItems: number;
  receivedNumberOfItems: number;
  reportedNumberOfItems: number | null;
}

export interface StoredPurchaseOrder {
  purchaseOrderId: number;
  purchaseOrderNumber: string;
  goodsOwnerReference?: string;
  purchaseOrderRemark?: string;
  inDate?: string;
  createdDate: string;
  statusNumber: number;
  /** When goods were last received against it (Ongoing filters on it: lastReceiveTimeFrom/To). */
  lastReceiveTime?: string;
  supplierInfo?: { supplierNumber?: string; supplierName?: string };
  lines: StoredPurchaseOrderLine[];
}

/** Every change of physical stock, so stock at an earlier moment can be told (GET /articles/historicalInventory). */
export interface StockMovement {
  at: string;
  articleSystemId: number;
  warehouseId: number;
  delta: number;
}

export interface StoredAdjustment {
  inventoryId: number;
  articleSystemId: number;
  articleNumber: string;
  warehouseId: number;
  /** The change in physical stock (negative for damage). */
  numberOfItems: number;
  inventoryTime: string;
  reason: 'count' | 'damage';
}

export type WebhookEventName = 'orderCreated' | 'orderPicked' | 'orderStatusChanged';

/**
 * How deliveries authenticate. Ongoing's form takes "authentication details if applicable": HTTP Basic, or nothing
 * (a token then travels in the URL). HMAC signing is the sandbox's extra, for receivers that want a signed body.
 */
export type WebhookAuthConfig =
  { type: 'basic'; username: string; password: string } | { type: 'hmac'; secret: string } | { type: 'none' };

export interface WebhookConfig {
  url: string;
  auth: WebhookAuthConfig;
  events: WebhookEventName[];
  /** For orderStatusChanged: the statuses that trigger it; empty or absent = every change. */
  statuses?: number[];
}

export interface WebhookAttempt {
  webhookEventId: number;
  event: WebhookEventName;
  orderId: number;
  attempt: number;
  at: string;
  url: string;
  status?: number;
  error?: string;
}

export interface FaultRule {
  /** "PUT /orders", "GET /orders/:orderId", a path alone ("/orders") for any method, or "*". */
  route: string;
  errorRate?: number;
  latencyMs?: number;
  timeoutAfterCommitRate?: number;
  /** 0..1: a successful answer is replaced by an HTML page, an empty body or JSON of the wrong shape. */
  badBodyRate?: number;
  badBody?: 'html' | 'empty' | 'schema';
  seed?: number;
}

export interface GoodsOwnerState {
  goodsOwnerId: number;
  name: string;
  username: string;
  password: string;
  warehouses: StoredWarehouse[];
  articles: Map<number, StoredArticle>;
  orders: Map<number, StoredOrder>;
  purchaseOrders: Map<number, StoredPurchaseOrder>;
  adjustments: StoredAdjustment[];
  stockMovements: StockMovement[];
  /** What a sent order is charged (GET /orders/{orderId}/invoiceCharges). */
  invoiceArticles: SandboxInvoiceArticle[];
  /**
   * The API user's extra permissions. Ongoing: invoice charges need "an additional permission for the API user"
   * (Administration → Integration → API for goods owners); without it the sandbox answers 403.
   */
  permissions: { invoiceCharges: boolean };
  webhook?: WebhookConfig;
  webhookAttempts: WebhookAttempt[];
  faultRules: Array<FaultRule & { random: () => number }>;
  /**
   * A test knob, like the fault rules (not persisted): a list call without its page size (maxOrdersToGet,
   * maxArticlesToGet, maxPurchaseOrdersToGet) that matches more than this many objects times out, as Ongoing warns
   * ("responds with all objects which match your filter … may cause timeouts … we recommend that you paginate").
   */
  unpagedListLimit?: number;
  calls: { total: number; byRoute: Record<string, number> };
}
