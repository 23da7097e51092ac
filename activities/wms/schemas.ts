// Zod schemas and types for the Ongoing WMS REST v1 payloads the client reads and writes (and the sandbox extensions).
import { z } from 'zod';

const text = z.string().nullish();
const num = z.number().nullish();
/** Ongoing sends rowNumber as a string on some models and a number on others; we always hold a string. */
const rowNumber = z.union([z.string(), z.number()]).transform(String);
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
  stockInfoChanged: text,
});

export const supplierInfoSchema = z.object({ supplierNumber: text, supplierName: text });

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

export const wmsArticleUpsertSchema = z.object({
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
  supplierInfo: z.object({ supplierNumber: z.string().optional(), supplierName: z.string().optional() }).optional(),
});
export type WmsArticleUpsert = z.input<typeof wmsArticleUpsertSchema>;

export const inventoryPerWarehouseSchema = z.object({
  articleSystemId: z.number().int(),
  articleNumber: z.string(),
  inventoryPerWarehouse: z
    .array(
      z.object({
        warehouseId: z.number().int(),
        /** Sandbox additions; the real API answers only warehouseId. */
        warehouseCode: text,
        warehouseName: text,
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
  rowNumber,
  article: z.object({ articleSystemId: z.number().int(), articleNumber: z.string(), articleName: text }),
  comment: text,
  orderedNumberOfItems: z.number(),
  allocatedNumberOfItems: z.number(),
  pickedNumberOfItems: z.number(),
  reportedNumberOfItems: z.number().nullable(),
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
  tracking: z.object({ trackingNumber: text, url: text }).nullish(),
});

export const wmsOrderSchema = z.object({
  orderInfo: z.object({
    orderId: z.number().int(),
    orderNumber: z.string(),
    goodsOwnerOrderReference: text,
    orderRemark: text,
    deliveryDate: text,
    createdDate: text,
    shippedTime: text,
    wayBill: text,
    orderStatus: status,
    orderStatusChangedTime: text,
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
    .array(z.object({ trackingNumber: text, url: text }))
    .nullish()
    .transform((v) => v ?? []),
});
export type WmsOrder = z.infer<typeof wmsOrderSchema>;

export const wmsConsigneeSchema = z
  .object({
    customerNumber: z.string().optional(),
    name: z.string().optional(),
    address1: z.string().optional(),
    address2: z.string().optional(),
    address3: z.string().optional(),
    postCode: z.string().optional(),
    city: z.string().optional(),
    countryCode: z.string().optional(),
  })
  .catchall(z.unknown());

/** The PUT /orders body; goodsOwnerId is filled in by the client. */
export const wmsOrderUpsertSchema = z.object({
  goodsOwnerId: z.number().int().optional(),
  orderNumber: z.string().min(1),
  deliveryDate: z.string().optional(),
  orderRemark: z.string().optional(),
  goodsOwnerOrderReference: z.string().optional(),
  consignee: wmsConsigneeSchema,
  emailNotification: z.object({ toBeNotified: z.boolean(), value: z.string().optional() }).optional(),
  smsNotification: z.object({ toBeNotified: z.boolean(), value: z.string().optional() }).optional(),
  orderLines: z.array(
    z.object({
      rowNumber: z.union([z.string(), z.number()]),
      articleNumber: z.string().min(1),
      numberOfItems: z.number().nonnegative(),
      comment: z.string().optional(),
    }),
  ),
});
export type WmsOrderUpsert = z.input<typeof wmsOrderUpsertSchema>;

export const orderPutResponseSchema = z.object({ orderId: z.number().int(), message: text });

// ---- suppliers (sandbox extension) ----

export const wmsSupplierSchema = z.object({
  supplierId: z.number().int(),
  supplierNumber: z.string(),
  name: z.string(),
  address1: text,
  address2: text,
  postCode: text,
  city: text,
  countryCode: text,
  email: text,
  telephone: text,
});
export type WmsSupplier = z.infer<typeof wmsSupplierSchema>;

export const wmsSupplierUpsertSchema = z.object({
  goodsOwnerId: z.number().int().optional(),
  supplierNumber: z.string().min(1),
  name: z.string().min(1),
  address1: z.string().optional(),
  address2: z.string().optional(),
  postCode: z.string().optional(),
  city: z.string().optional(),
  countryCode: z.string().optional(),
  email: z.string().optional(),
  telephone: z.string().optional(),
});
export type WmsSupplierUpsert = z.input<typeof wmsSupplierUpsertSchema>;

// ---- purchase orders ----

export const PURCHASE_ORDER_STATUS = { Notified: 100, PartlyReceived: 400, Received: 500, Cancelled: 900 } as const;

export const wmsPurchaseOrderSchema = z.object({
  purchaseOrderInfo: z.object({
    purchaseOrderId: z.number().int(),
    purchaseOrderNumber: z.string(),
    goodsOwnerOrderReference: text,
    purchaseOrderRemark: text,
    inDate: text,
    createdDate: text,
    purchaseOrderStatus: status,
  }),
  supplierInfo: supplierInfoSchema.nullish(),
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

export const wmsPurchaseOrderUpsertSchema = z.object({
  goodsOwnerId: z.number().int().optional(),
  purchaseOrderNumber: z.string().min(1),
  goodsOwnerOrderReference: z.string().optional(),
  purchaseOrderRemark: z.string().optional(),
  inDate: z.string().optional(),
  supplierInfo: z.object({ supplierNumber: z.string().optional(), supplierName: z.string().optional() }).optional(),
  purchaseOrderLines: z.array(
    z.object({
      rowNumber: z.union([z.string(), z.number()]),
      articleNumber: z.string().min(1),
      numberOfItems: z.number().nonnegative(),
      comment: z.string().optional(),
    }),
  ),
});
export type WmsPurchaseOrderUpsert = z.input<typeof wmsPurchaseOrderUpsertSchema>;

// ---- billing (sandbox extension) ----

export const billingSpecificationSchema = z.object({
  goodsOwnerId: z.number().int(),
  periodFrom: z.string(),
  periodTo: z.string(),
  specificationId: z.string(),
  /** A hash of the content: it changes when activity in the period changes. */
  version: z.string(),
  currency: z.string().nullish(),
  lines: z.array(
    z.object({
      feeCode: z.string(),
      description: z.string(),
      quantity: z.number(),
      unitPrice: z.number(),
      unit: z.string(),
    }),
  ),
});
export type BillingSpecification = z.infer<typeof billingSpecificationSchema>;

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
