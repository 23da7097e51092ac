// Zod schemas and types for the Ongoing WMS REST v1 payloads the client reads and writes.
import { z } from 'zod';

const text = z.string().nullish();
const num = z.number().nullish();
/**
 * Ongoing's rowNumber is a string (GetOrderLine, GetPurchaseOrderLine), and null on a line the warehouse added itself.
 * A number is read as its text, in case an installation sends one.
 */
const rowNumber = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));
const status = z.object({ number: z.number().int(), text: text });

// ---- articles ----

export const inventoryInfoSchema = z.object({
  numberOfItems: z.number(),
  sellableNumberOfItems: z.number(),
  allocatedNumberOfItems: z.number(),
  numberOfBookedItems: num,
  numberOfLockedItems: num,
  toReceiveNumberOfItems: num,
  pickedToBeCollectedNumberOfItems: num,
});

/** GetArticleSupplierInfo. */
export const supplierInfoSchema = z.object({ supplierArticleNumber: text, supplierNumber: text, supplierName: text });
/** GetPurchaseOrderSupplierInfo: number and name only (no article number, no address, on GET). */
export const purchaseOrderSupplierInfoSchema = z.object({ supplierNumber: text, supplierName: text });

export const wmsArticleSchema = z.object({
  articleSystemId: z.number().int(),
  articleNumber: z.string(),
  articleName: text,
  productCode: text,
  unitCode: text,
  barCodeInfo: z.object({ barCode: text }).nullish(),
  weight: num,
  length: num,
  width: num,
  height: num,
  volume: num,
  isStockArticle: z.boolean().nullish(),
  supplierInfo: supplierInfoSchema.nullish(),
  articleDataLastUpdated: text,
  inventoryInfo: inventoryInfoSchema,
});
export type WmsArticle = z.infer<typeof wmsArticleSchema>;

/** PostArticleModel, as far as we send it: strict, so a field Ongoing does not know fails here, not silently there. */
export const wmsArticleUpsertSchema = z.strictObject({
  goodsOwnerId: z.number().int().optional(),
  articleNumber: z.string().min(1),
  articleName: z.string().optional(),
  productCode: z.string().optional(),
  unitCode: z.string().optional(),
  barCodeInfo: z.object({ barCode: z.string() }).optional(),
  weight: z.number().optional(),
  length: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  volume: z.number().optional(),
  isStockArticle: z.boolean().optional(),
  supplierInfo: z
    .strictObject({
      supplierArticleNumber: z.string().optional(),
      supplierNumber: z.string().optional(),
      supplierName: z.string().optional(),
    })
    .optional(),
});
export type WmsArticleUpsert = z.input<typeof wmsArticleUpsertSchema>;

export const inventoryPerWarehouseSchema = z.object({
  articleSystemId: z.number().int(),
  articleNumber: z.string(),
  inventoryPerWarehouse: z
    .array(
      z.object({
        /** Ongoing answers only the id: its code and name come from GET /warehouses. */
        warehouseId: z.number().int(),
        numberOfItems: z.number(),
        numberOfLockedItems: num,
        sellableNumberOfItems: num,
        availableForSaleNumberOfItems: num,
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});
export type WmsInventoryPerWarehouse = z.infer<typeof inventoryPerWarehouseSchema>;

export const inventoryAdjustmentsLineSchema = z.object({
  article: z.object({ articleSystemId: z.number().int(), articleNumber: z.string() }),
  inventoryAdjustments: z
    .array(
      z.object({
        inventoryId: z.number().int(),
        /** The change in stock, negative for a loss. */
        numberOfItems: z.number(),
        inventoryTime: z.string(),
        inventoryAdjustmentCause: z.object({ code: text, name: text }).nullish(),
        warehouse: z.object({ id: z.number().int().nullish(), code: text, name: text }).nullish(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});
export type WmsInventoryAdjustmentsLine = z.infer<typeof inventoryAdjustmentsLineSchema>;

export const wmsWarehouseSchema = z.object({ id: z.number().int(), code: text, name: text });
export type WmsWarehouse = z.infer<typeof wmsWarehouseSchema>;

// ---- orders ----

// Order status numbers and the "started" rule are domain knowledge: see WmsStatus and warehouseHasStarted in domain/order.ts.

const notificationSchema = z.object({ toBeNotified: z.boolean().nullish(), value: text });

export const pickedArticleItemSchema = z.object({
  batchNumber: text,
  serial: text,
  numberOfItems: z.number(),
});

export const wmsOrderLineSchema = z.object({
  id: z.number().int(),
  /** Ours ("1", "2", ...: the Fortnox row's position); null on a line added in the WMS. */
  rowNumber,
  article: z.object({ articleSystemId: z.number().int(), articleNumber: z.string(), articleName: text }),
  comment: text,
  orderedNumberOfItems: z.number(),
  allocatedNumberOfItems: z.number(),
  pickedNumberOfItems: z.number(),
  /** Null (or left out) until reported. */
  reportedNumberOfItems: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  pickedArticleItems: z
    .array(pickedArticleItemSchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type WmsOrderLine = z.infer<typeof wmsOrderLineSchema>;

export const wmsParcelSchema = z.object({
  id: z.number().int().nullish(),
  parcelNumber: text,
  isReturnParcel: z.boolean().nullish(),
  tracking: z.object({ trackingUrl: text }).nullish(),
});

export const wmsOrderSchema = z.object({
  orderInfo: z.object({
    orderId: z.number().int(),
    orderNumber: z.string(),
    goodsOwnerOrderId: text,
    referenceNumber: text,
    consigneeOrderNumber: text,
    orderRemark: text,
    deliveryDate: text,
    createdDate: text,
    shippedTime: text,
    wayBill: text,
    orderStatus: status,
    emailNotification: notificationSchema.nullish(),
    smsNotification: notificationSchema.nullish(),
  }),
  consignee: z.record(z.string(), z.unknown()).nullish(),
  orderLines: z.array(wmsOrderLineSchema),
  parcels: z
    .array(wmsParcelSchema)
    .nullish()
    .transform((v) => v ?? []),
  tracking: z
    .array(z.object({ trackingUrl: text, waybill: text, created: text }))
    .nullish()
    .transform((v) => v ?? []),
});
export type WmsOrder = z.infer<typeof wmsOrderSchema>;

/** PostOrderConsignee as far as we send it. It has no e-mail or phone: those travel in the notification objects. */
export const wmsConsigneeSchema = z.strictObject({
  customerNumber: z.string().optional(),
  name: z.string().optional(),
  address1: z.string().optional(),
  address2: z.string().optional(),
  address3: z.string().optional(),
  postCode: z.string().optional(),
  city: z.string().optional(),
  countryCode: z.string().optional(),
});

const notification = z.strictObject({ toBeNotified: z.boolean(), value: z.string().optional() });

/**
 * The PUT /orders body (PostOrderModel, as far as we send it); goodsOwnerId is filled in by the client. Strict: a field
 * Ongoing's model does not have would be silently dropped there, so it is refused here. deliveryDate and consignee are
 * required by Ongoing.
 */
export const wmsOrderUpsertSchema = z.strictObject({
  goodsOwnerId: z.number().int().optional(),
  orderNumber: z.string().min(1),
  deliveryDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, { error: 'expected a delivery date YYYY-MM-DD (Ongoing requires one)' }),
  orderRemark: z.string().optional(),
  consigneeOrderNumber: z.string().optional(),
  referenceNumber: z.string().optional(),
  consignee: wmsConsigneeSchema,
  emailNotification: notification.optional(),
  smsNotification: notification.optional(),
  orderLines: z.array(
    z.strictObject({
      rowNumber: z.string().min(1),
      articleNumber: z.string().min(1),
      numberOfItems: z.number().nonnegative(),
      comment: z.string().optional(),
    }),
  ),
});
export type WmsOrderUpsert = z.input<typeof wmsOrderUpsertSchema>;

export const orderPutResponseSchema = z.object({ orderId: z.number().int(), message: text });

// Ongoing REST v1 has no supplier register: suppliers travel as supplierInfo on articles and purchase orders.

// ---- purchase orders ----

/** Ongoing's purchase-order statuses (GET /purchaseOrders/statuses; texts are localised, the number is the contract). */
export const PURCHASE_ORDER_STATUS = {
  Notified: 100,
  ArrivalSpace: 200,
  Inbound: 300,
  /** "Avvikelse": reception finished with a deviation from what was advised. Not "partly received". */
  Deflection: 400,
  Received: 500,
  Cancelled: 900,
} as const;

export const wmsPurchaseOrderSchema = z.object({
  purchaseOrderInfo: z.object({
    purchaseOrderId: z.number().int(),
    purchaseOrderNumber: z.string(),
    goodsOwnerReference: text,
    purchaseOrderRemark: text,
    inDate: text,
    createdDate: text,
    purchaseOrderStatus: status,
  }),
  supplierInfo: purchaseOrderSupplierInfoSchema.nullish(),
  purchaseOrderLines: z.array(
    z.object({
      id: z.number().int(),
      rowNumber,
      article: z.object({ articleSystemId: z.number().int(), articleNumber: z.string() }),
      comment: text,
      advisedNumberOfItems: z.number(),
      receivedNumberOfItems: z.number(),
      reportedNumberOfItems: z.number().nullish(),
    }),
  ),
});
export type WmsPurchaseOrder = z.infer<typeof wmsPurchaseOrderSchema>;

/** PostPurchaseOrderModel as far as we send it (strict, like the order's). */
export const wmsPurchaseOrderUpsertSchema = z.strictObject({
  goodsOwnerId: z.number().int().optional(),
  purchaseOrderNumber: z.string().min(1),
  goodsOwnerReference: z.string().optional(),
  purchaseOrderRemark: z.string().optional(),
  inDate: z.string().optional(),
  supplierInfo: z
    .strictObject({ supplierNumber: z.string().optional(), supplierName: z.string().optional() })
    .optional(),
  purchaseOrderLines: z.array(
    z.strictObject({
      rowNumber: z.string().min(1),
      articleNumber: z.string().min(1),
      numberOfItems: z.number().nonnegative(),
      comment: z.string().optional(),
    }),
  ),
});
export type WmsPurchaseOrderUpsert = z.input<typeof wmsPurchaseOrderUpsertSchema>;

// ---- 3PL billing sources ----

/**
 * GetOrderInvoiceChargeModel (GET /orders/{orderId}/invoiceCharges): one charge the warehouse booked on an order, priced
 * by an invoice article of Ongoing's. Price and number are what is billed, so a charge without them is refused here.
 */
export const orderInvoiceChargeSchema = z.object({
  invoiceId: z.number().int().nullish(),
  chargeId: z.number().int().nullish(),
  price: z.number(),
  numberOfItems: z.number(),
  actionDate: text,
  comment: text,
  profitCenter: z.object({ code: text, name: text }).nullish(),
  invoiceArticle: z
    .object({ invoiceArticleId: z.number().int().nullish(), code: text, title: text, account: text })
    .nullish(),
});
export type WmsOrderInvoiceCharge = z.infer<typeof orderInvoiceChargeSchema>;

/** GetHistoricalInventoryModel (GET /articles/historicalInventory): stock per article at a moment in the past. */
export const historicalInventorySchema = z.object({
  articles: z
    .array(z.object({ articleSystemId: z.number().int().nullish(), articleNumber: text, numberOfItems: z.number() }))
    .nullish()
    .transform((v) => v ?? []),
});
export type WmsHistoricalInventory = z.infer<typeof historicalInventorySchema>;

// ---- webhooks ----

export const webhookPayloadSchema = z.object({
  webhookOrdersId: z.number().int().nullish(),
  webhookEventId: z.number().int(),
  system: text,
  timestamp: z.string(),
  orderId: z.number().int(),
  orderNumber: z.string(),
  goodsOwnerId: z.number().int(),
  path: text,
  byUser: z.object({ userId: z.number().int().nullish() }).nullish(),
  byComputer: z.object({ computerId: z.number().int().nullish(), computerName: text }).nullish(),
  orderStatus: z.object({ number: z.number().int() }),
  currentShipmentId: z.number().int().nullish(),
  webhookTemplate: text,
  goodsOwnerName: text,
  tracking: z.array(z.unknown()).nullish(),
  parcels: z.array(z.unknown()).nullish(),
});
export type WmsWebhookPayload = z.infer<typeof webhookPayloadSchema>;
