// Request bodies the sandbox accepts, validated with zod: Ongoing REST v1 PUT bodies and the sandbox controls.
import { z } from 'zod';

const rowNumber = z.union([z.string().min(1), z.number().int()]).transform(String);
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalNumber = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined);
const supplierInfo = z
  .object({ supplierArticleNumber: optionalText, supplierNumber: optionalText, supplierName: optionalText })
  .nullish()
  .transform((v) => (v ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) : undefined));
/** Ongoing takes a date or a date-time (its own examples send "2019-10-10"). */
const dateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { error: 'expected a date or date-time' });

export const articleBody = z.object({
  goodsOwnerId: z.number().int(),
  articleNumber: z.string().min(1),
  articleName: z.string().nullish(),
  productCode: optionalText,
  unitCode: optionalText,
  barCodeInfo: z.object({ barCode: optionalText }).nullish(),
  weight: optionalNumber,
  length: optionalNumber,
  width: optionalNumber,
  height: optionalNumber,
  volume: optionalNumber,
  isStockArticle: z.boolean().nullish(),
  supplierInfo,
});
export type ArticleBody = z.infer<typeof articleBody>;

const notification = z
  .object({ toBeNotified: z.boolean(), value: z.string().nullish() })
  .nullish()
  .transform((v) => v ?? undefined);

/**
 * PostOrderModel as far as the sandbox keeps it. Like Ongoing, keys the model does not have are dropped without a word
 * (zod strips them); `deliveryDate` and `consignee` are required, as in Ongoing's model.
 */
export const orderBody = z.object({
  goodsOwnerId: z.number().int(),
  orderNumber: z.string().min(1),
  deliveryDate: dateTime,
  orderRemark: optionalText,
  goodsOwnerOrderId: optionalText,
  referenceNumber: optionalText,
  consigneeOrderNumber: optionalText,
  consignee: z.object({
    customerNumber: optionalText,
    name: optionalText,
    address1: optionalText,
    address2: optionalText,
    address3: optionalText,
    postCode: optionalText,
    city: optionalText,
    countryCode: optionalText,
    countryStateCode: optionalText,
    remark: optionalText,
    doorCode: optionalText,
  }),
  emailNotification: notification,
  smsNotification: notification,
  orderLines: z
    .array(
      z.object({
        rowNumber,
        articleNumber: z.string().min(1),
        numberOfItems: z.number().nonnegative(),
        comment: optionalText,
      }),
    )
    .default([]),
});
export type OrderBody = z.infer<typeof orderBody>;

export const purchaseOrderBody = z.object({
  goodsOwnerId: z.number().int(),
  purchaseOrderNumber: z.string().min(1),
  goodsOwnerReference: optionalText,
  purchaseOrderRemark: optionalText,
  inDate: optionalText,
  supplierInfo,
  purchaseOrderLines: z
    .array(
      z.object({
        rowNumber,
        articleNumber: z.string().min(1),
        numberOfItems: z.number().nonnegative(),
        comment: optionalText,
      }),
    )
    .default([]),
});
export type PurchaseOrderBody = z.infer<typeof purchaseOrderBody>;

/** PatchPurchaseOrderReportedNumberOfItemsModel: `reportedNumberOfItems` (float) is required. */
export const reportedNumberOfItemsBody = z.object({ reportedNumberOfItems: z.number().nonnegative() });

// ---- sandbox controls ----

export const pickBody = z
  .object({
    lines: z
      .array(
        z.object({
          rowNumber,
          pickedNumberOfItems: z.number().nonnegative(),
          batchNumber: z.string().nullish(),
        }),
      )
      .optional(),
  })
  .nullish()
  .transform((v) => v ?? {});

export const sendBody = z
  .object({
    parcels: z.number().int().positive().optional(),
    trackingNumbers: z.array(z.string()).optional(),
  })
  .nullish()
  .transform((v) => v ?? {});

export const receiveBody = z
  .object({
    lines: z.array(z.object({ rowNumber, receivedNumberOfItems: z.number().nonnegative() })).optional(),
    /** Finish reception now: Received when every line got what was advised, else Deflection. */
    finish: z.boolean().optional(),
  })
  .nullish()
  .transform((v) => v ?? {});

/**
 * Many purchase orders at once, as PUT /purchaseOrders would create them (the goods owner is the route's), and with
 * `receive` everything advised received on the floor: seeds a large inbound backlog in one call.
 */
export const bulkPurchaseOrdersBody = z.object({
  purchaseOrders: z
    .array(purchaseOrderBody.omit({ goodsOwnerId: true }))
    .min(1)
    .max(5_000),
  receive: z.boolean().default(false),
});

/** A line the warehouse adds to an order on the floor: it has no rowNumber of the goods owner's. */
export const addLineBody = z.object({ articleNumber: z.string().min(1), numberOfItems: z.number().positive() });

export const stockAdjustmentBody = z
  .object({
    articleNumber: z.string().min(1),
    warehouse: z.string().optional(),
    delta: z.number().optional(),
    count: z.number().nonnegative().optional(),
    reason: z.enum(['count', 'damage']),
  })
  .refine((b) => (b.delta === undefined) !== (b.count === undefined), {
    message: 'give exactly one of delta and count',
  });

export const webhookAuthBody = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }),
    z.object({ type: z.literal('hmac'), secret: z.string().min(1) }),
    z.object({ type: z.literal('none') }),
  ],
  { error: "expected auth {type: 'basic', username, password}, {type: 'hmac', secret} or {type: 'none'}" },
);

export const webhookBody = z.object({
  url: z.url(),
  auth: webhookAuthBody,
  events: z.array(z.enum(['orderCreated', 'orderPicked', 'orderStatusChanged'])).min(1),
  statuses: z.array(z.number().int()).optional(),
});

export const faultsBody = z.object({
  rules: z.array(
    z.object({
      route: z.string().min(1),
      errorRate: z.number().min(0).max(1).optional(),
      latencyMs: z.number().int().nonnegative().optional(),
      timeoutAfterCommitRate: z.number().min(0).max(1).optional(),
      badBodyRate: z.number().min(0).max(1).optional(),
      badBody: z.enum(['html', 'empty', 'schema']).optional(),
      seed: z.number().int().optional(),
    }),
  ),
});

export const limitsBody = z.object({ unpagedListLimit: z.number().int().nonnegative().nullable() });

export const autopilotBody = z.object({ enabled: z.boolean(), stepMs: z.number().int().positive().optional() });

export const goodsOwnerBody = z
  .object({ name: z.string().min(1).optional() })
  .nullish()
  .transform((v) => v ?? {});

/** What sent orders are charged from now on (Ongoing's invoice articles, as the sandbox prices them). */
export const invoiceArticlesBody = z.object({
  articles: z.array(
    z
      .object({
        code: z.string().min(1),
        title: z.string().min(1).optional(),
        account: z
          .string()
          .min(1)
          .nullish()
          .transform((v) => v ?? null),
        price: z.number().nonnegative(),
        per: z.enum(['order', 'pickedLine', 'pickedItem', 'parcel']),
      })
      .transform((a) => ({ ...a, title: a.title ?? a.code })),
  ),
});

/** The API user's extra permissions: `invoiceCharges: false` withdraws the one GET /orders/{id}/invoiceCharges needs. */
export const permissionsBody = z.object({ invoiceCharges: z.boolean() });
