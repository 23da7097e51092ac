// Zod schemas for Fortnox payloads: lenient about Fortnox's quirks, strict about what is really wrong, clean types out.
import { z } from 'zod';

// ---- quirk-tolerant scalars -------------------------------------------------------------------------------

const NUMERIC = /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/;

/** A number that may come as a string ("10.00"). Anything else (including "abc") is rejected. */
export const fnNumber = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (NUMERIC.test(value)) {
    return Number(value);
  }
  ctx.addIssue({ code: 'custom', message: `expected a number, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

/** A quantity or amount: like fnNumber, but null/"" (Fortnox's "not set") read as 0. */
export const fnAmount = z.union([z.number(), z.string(), z.null()]).transform((value, ctx) => {
  if (value === null || value === '') return 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  ctx.addIssue({ code: 'custom', message: `expected a number, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

/** An optional number: null/"" read as null. */
export const fnNumberOrNull = z.union([z.number(), z.string(), z.null()]).transform((value, ctx) => {
  if (value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  ctx.addIssue({ code: 'custom', message: `expected a number, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

/** A boolean that may come as "true"/"false" (or 1/0). */
export const fnBoolean = z.union([z.boolean(), z.string(), z.number()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0' || text === '') return false;
  ctx.addIssue({ code: 'custom', message: `expected a boolean, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

/** A flag that may be unset (missing or null, as Fortnox leaves unset fields): read as `fallback`. */
export const fnFlag = (fallback: boolean) =>
  z
    .union([fnBoolean, z.null()])
    .optional()
    .transform((value) => value ?? fallback);

/** An optional flag: unset (missing or null) reads as undefined. */
export const fnOptionalFlag = z
  .union([fnBoolean, z.null()])
  .optional()
  .transform((value) => value ?? undefined);

/** A list that may be unset (missing or null): read as empty. */
const fnList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

/** A reference to another document: "0", 0, "" and null all mean "none" and read as null. */
export const fnReference = z.union([z.string(), z.number(), z.null()]).transform((value) => {
  if (value === null) return null;
  const text = String(value).trim();
  return text === '' || text === '0' ? null : text;
});

/** An identifier (DocumentNumber, CustomerNumber, ArticleNumber): a non-empty string; numbers become strings. */
export const fnId = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value).trim();
  if (text !== '') return text;
  ctx.addIssue({ code: 'custom', message: 'expected a non-empty identifier' });
  return z.NEVER;
});

/** Free text: null reads as "" so callers never branch on null vs empty. */
export const fnText = z
  .union([z.string(), z.number(), z.null()])
  .transform((value) => (value === null ? '' : String(value)));

/** A date "YYYY-MM-DD" (or empty / null for none). */
export const fnDate = z.union([z.string(), z.null()]).transform((value, ctx) => {
  if (value === null || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  ctx.addIssue({ code: 'custom', message: `expected a date YYYY-MM-DD, got ${JSON.stringify(value)}` });
  return z.NEVER;
});

const opt = <T extends z.ZodType>(schema: T) => schema.optional();

// ---- paging ----------------------------------------------------------------------------------------------

export interface ListPage<T> {
  items: T[];
  totalResources: number;
  totalPages: number;
  currentPage: number;
}

export const MetaInformationSchema = z.object({
  '@TotalResources': opt(fnNumberOrNull),
  '@TotalPages': opt(fnNumberOrNull),
  '@CurrentPage': opt(fnNumberOrNull),
});

// ---- orders ----------------------------------------------------------------------------------------------

export const DeliveryStateSchema = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['registration', 'reservation', 'delivery']));
export type DeliveryState = z.output<typeof DeliveryStateSchema>;

export const OrderRowSchema = z.object({
  RowId: fnNumber,
  ArticleNumber: opt(fnText),
  Description: opt(fnText),
  OrderedQuantity: fnAmount.default(0),
  DeliveredQuantity: fnAmount.default(0),
  ReservedQuantity: opt(fnAmount),
  Price: opt(fnAmount),
  Discount: opt(fnAmount),
  DiscountType: opt(fnText),
  Unit: opt(fnText),
  VAT: opt(fnAmount),
  AccountNumber: opt(fnNumberOrNull),
  StockPointCode: opt(fnText),
  Total: opt(fnAmount),
});
export type FortnoxOrderRow = z.output<typeof OrderRowSchema>;

const EmailInformationSchema = z.object({
  EmailAddressTo: opt(fnText),
  EmailAddressCC: opt(fnText),
  EmailAddressBCC: opt(fnText),
  EmailAddressFrom: opt(fnText),
  EmailSubject: opt(fnText),
  EmailBody: opt(fnText),
});

export const OrderSchema = z.object({
  DocumentNumber: fnId,
  CustomerNumber: fnId,
  CustomerName: opt(fnText),
  OrderDate: opt(fnDate),
  DeliveryDate: opt(fnDate),
  YourReference: opt(fnText),
  OurReference: opt(fnText),
  YourOrderNumber: opt(fnText),
  ExternalInvoiceReference1: opt(fnText),
  ExternalInvoiceReference2: opt(fnText),
  Remarks: opt(fnText),
  Comments: opt(fnText),
  Cancelled: fnFlag(false),
  NotCompleted: fnOptionalFlag,
  Sent: fnFlag(false),
  // Missing reads as "not invoiced": Fortnox always sends it on a full order, "0" when none.
  InvoiceReference: fnReference.default(null),
  OfferReference: opt(fnReference),
  WayOfDelivery: opt(fnText),
  TermsOfDelivery: opt(fnText),
  Phone1: opt(fnText),
  EmailInformation: opt(EmailInformationSchema.nullable()),
  Address1: opt(fnText),
  Address2: opt(fnText),
  City: opt(fnText),
  ZipCode: opt(fnText),
  Country: opt(fnText),
  DeliveryName: opt(fnText),
  DeliveryAddress1: opt(fnText),
  DeliveryAddress2: opt(fnText),
  DeliveryZipCode: opt(fnText),
  DeliveryCity: opt(fnText),
  DeliveryCountry: opt(fnText),
  Total: opt(fnAmount),
  TotalVAT: opt(fnAmount),
  Currency: opt(fnText),
  // Lager fields: absent when the warehouse module is off.
  DeliveryState: opt(DeliveryStateSchema.nullable()),
  WarehouseReady: fnOptionalFlag,
  OutboundDate: opt(fnDate),
  StockPointCode: opt(fnText),
  StockPointId: opt(fnText),
  OrderRows: fnList(OrderRowSchema),
});
export type FortnoxOrder = z.output<typeof OrderSchema>;

export const OrderListItemSchema = z.object({
  DocumentNumber: fnId,
  CustomerNumber: fnId,
  CustomerName: opt(fnText),
  Cancelled: fnFlag(false),
  Sent: fnFlag(false),
  Currency: opt(fnText),
  DeliveryDate: opt(fnDate),
  OrderDate: opt(fnDate),
  ExternalInvoiceReference1: opt(fnText),
  ExternalInvoiceReference2: opt(fnText),
  OrderType: opt(fnText),
  Project: opt(fnText),
  Total: opt(fnAmount),
});
export type FortnoxOrderListItem = z.output<typeof OrderListItemSchema>;

// ---- invoices --------------------------------------------------------------------------------------------

export const InvoiceRowSchema = z.object({
  RowId: opt(fnNumberOrNull),
  ArticleNumber: opt(fnText),
  Description: opt(fnText),
  DeliveredQuantity: fnAmount.default(0),
  Price: opt(fnAmount),
  Discount: opt(fnAmount),
  Unit: opt(fnText),
  VAT: opt(fnAmount),
  AccountNumber: opt(fnNumberOrNull),
  Total: opt(fnAmount),
});
export type FortnoxInvoiceRow = z.output<typeof InvoiceRowSchema>;

export const InvoiceSchema = z.object({
  DocumentNumber: fnId,
  CustomerNumber: fnId,
  CustomerName: opt(fnText),
  InvoiceDate: opt(fnDate),
  DueDate: opt(fnDate),
  OrderReference: opt(fnReference),
  ExternalInvoiceReference1: opt(fnText),
  ExternalInvoiceReference2: opt(fnText),
  YourReference: opt(fnText),
  OurReference: opt(fnText),
  YourOrderNumber: opt(fnText),
  Cancelled: fnFlag(false),
  Booked: fnOptionalFlag,
  Sent: fnOptionalFlag,
  Credit: fnOptionalFlag,
  CreditInvoiceReference: opt(fnReference),
  Total: opt(fnAmount),
  TotalVAT: opt(fnAmount),
  Balance: opt(fnAmount),
  Currency: opt(fnText),
  WarehouseReady: fnOptionalFlag,
  InvoiceRows: fnList(InvoiceRowSchema),
});
export type FortnoxInvoice = z.output<typeof InvoiceSchema>;

export const InvoiceListItemSchema = z.object({
  DocumentNumber: fnId,
  CustomerNumber: fnId,
  CustomerName: opt(fnText),
  InvoiceDate: opt(fnDate),
  DueDate: opt(fnDate),
  ExternalInvoiceReference1: opt(fnText),
  ExternalInvoiceReference2: opt(fnText),
  Cancelled: fnFlag(false),
  Booked: fnOptionalFlag,
  Sent: fnOptionalFlag,
  Balance: opt(fnAmount),
  Total: opt(fnAmount),
  Currency: opt(fnText),
});
export type FortnoxInvoiceListItem = z.output<typeof InvoiceListItemSchema>;

// ---- articles --------------------------------------------------------------------------------------------

export const ArticleSchema = z.object({
  ArticleNumber: fnId,
  Description: fnText,
  EAN: opt(fnText),
  Unit: opt(fnText),
  Weight: opt(fnNumberOrNull),
  Width: opt(fnNumberOrNull),
  Height: opt(fnNumberOrNull),
  Depth: opt(fnNumberOrNull),
  StockGoods: fnFlag(false),
  QuantityInStock: opt(fnAmount),
  ReservedQuantity: opt(fnAmount),
  DisposableQuantity: opt(fnAmount),
  StockValue: opt(fnAmount),
  StockPlace: opt(fnText),
  SupplierNumber: opt(fnReference),
  SupplierName: opt(fnText),
  PurchasePrice: opt(fnAmount),
  SalesPrice: opt(fnAmount),
  Active: fnFlag(true),
  Expired: fnOptionalFlag,
  Type: opt(fnText),
  VAT: opt(fnAmount),
  DefaultStockPoint: opt(fnText),
  DefaultStockLocation: opt(fnText),
});
export type FortnoxArticle = z.output<typeof ArticleSchema>;

export const ArticleListItemSchema = z.object({
  ArticleNumber: fnId,
  Description: fnText,
  DisposableQuantity: opt(fnAmount),
  EAN: opt(fnText),
  PurchasePrice: opt(fnAmount),
  QuantityInStock: opt(fnAmount),
  ReservedQuantity: opt(fnAmount),
  SalesPrice: opt(fnAmount),
  StockPlace: opt(fnText),
  StockValue: opt(fnAmount),
  Unit: opt(fnText),
  VAT: opt(fnAmount),
  WebshopArticle: fnOptionalFlag,
});
export type FortnoxArticleListItem = z.output<typeof ArticleListItemSchema>;

// ---- suppliers, customers, company -----------------------------------------------------------------------

export const SupplierSchema = z.object({
  SupplierNumber: fnId,
  Name: fnText,
  Active: fnFlag(true),
  Address1: opt(fnText),
  Address2: opt(fnText),
  ZipCode: opt(fnText),
  City: opt(fnText),
  CountryCode: opt(fnText),
  Email: opt(fnText),
  Phone1: opt(fnText),
  OrganisationNumber: opt(fnText),
  VATNumber: opt(fnText),
  Currency: opt(fnText),
  OurCustomerNumber: opt(fnText),
  Comments: opt(fnText),
});
export type FortnoxSupplier = z.output<typeof SupplierSchema>;

export const SupplierListItemSchema = z.object({
  SupplierNumber: fnId,
  Name: fnText,
  Active: fnFlag(true),
  Address1: opt(fnText),
  Address2: opt(fnText),
  ZipCode: opt(fnText),
  City: opt(fnText),
  Email: opt(fnText),
  /** SupplierListItem names it `Phone` (the full Supplier has Phone1 and Phone2). */
  Phone: opt(fnText),
  OrganisationNumber: opt(fnText),
});
export type FortnoxSupplierListItem = z.output<typeof SupplierListItemSchema>;

export const CustomerSchema = z.object({
  CustomerNumber: fnId,
  Name: fnText,
  Active: fnFlag(true),
  Address1: opt(fnText),
  Address2: opt(fnText),
  ZipCode: opt(fnText),
  City: opt(fnText),
  CountryCode: opt(fnText),
  Email: opt(fnText),
  Phone1: opt(fnText),
  OrganisationNumber: opt(fnText),
  DeliveryName: opt(fnText),
  DeliveryAddress1: opt(fnText),
  DeliveryAddress2: opt(fnText),
  DeliveryZipCode: opt(fnText),
  DeliveryCity: opt(fnText),
  DeliveryCountryCode: opt(fnText),
  Currency: opt(fnText),
});
export type FortnoxCustomer = z.output<typeof CustomerSchema>;

export const CustomerListItemSchema = z.object({
  CustomerNumber: fnId,
  Name: fnText,
  Address1: opt(fnText),
  Address2: opt(fnText),
  ZipCode: opt(fnText),
  City: opt(fnText),
  Email: opt(fnText),
  Phone: opt(fnText),
  OrganisationNumber: opt(fnText),
});
export type FortnoxCustomerListItem = z.output<typeof CustomerListItemSchema>;

export const CompanyInformationSchema = z.object({
  CompanyName: opt(fnText),
  DatabaseNumber: opt(fnNumberOrNull),
  OrganizationNumber: opt(fnText),
  Address: opt(fnText),
  ZipCode: opt(fnText),
  City: opt(fnText),
  CountryCode: opt(fnText),
  // CompanyInfo has no e-mail or phone (those are in /3/settings/company).
  VisitAddress: opt(fnText),
  VisitCity: opt(fnText),
  VisitZipCode: opt(fnText),
});
export type FortnoxCompanyInformation = z.output<typeof CompanyInformationSchema>;

// ---- envelopes -------------------------------------------------------------------------------------------

/** `{"<Name>": {...}}` → the inner object. */
export function single<T extends z.ZodType>(name: string, schema: T) {
  return z.object({ [name]: schema }).transform((body) => body[name] as z.output<T>);
}

/**
 * `{"<Name>": [...], "MetaInformation": {...}}` → ListPage.
 *
 * Fortnox's developer docs give every list MetaInformation (and take page/limit on every list), but its OpenAPI
 * declares MetaInformation only on the article and customer lists. An answer without it (or without its page counts)
 * is read as the only page.
 */
export function list<T extends z.ZodType>(name: string, schema: T) {
  const shape: Record<string, z.ZodType> = {
    [name]: z.array(schema),
    MetaInformation: MetaInformationSchema.nullish(),
  };
  return z.object(shape).transform((body): ListPage<z.output<T>> => {
    const items = body[name] as z.output<T>[];
    const meta = body.MetaInformation as z.output<typeof MetaInformationSchema> | null | undefined;
    return {
      items,
      totalResources: meta?.['@TotalResources'] ?? items.length,
      totalPages: meta?.['@TotalPages'] ?? 1,
      currentPage: meta?.['@CurrentPage'] ?? 1,
    };
  });
}

// ---- Lager (warehouse API: camelCase, no envelopes) ------------------------------------------------------

export const WarehouseTenantSchema = z.object({
  activated: fnBoolean,
  tenantId: z.union([fnId, z.null()]).optional(),
});
export type WarehouseTenant = z.output<typeof WarehouseTenantSchema>;

const costs = {
  directCost: opt(fnNumberOrNull),
  freightCost: opt(fnNumberOrNull),
  otherCost: opt(fnNumberOrNull),
};

/** Inbound rows (CustomInboundDocumentRow) name the stock point and location by uuid and by code. */
const inboundStockPlace = {
  stockPointCode: opt(fnText.nullable()),
  stockPointId: opt(fnText.nullable()),
  stockLocationCode: opt(fnText.nullable()),
  stockLocationId: opt(fnText.nullable()),
};

export const InboundDocumentRowSchema = z.object({
  rowId: opt(fnNumberOrNull),
  itemId: fnId,
  quantity: fnNumber,
  itemDescription: opt(fnText.nullable()),
  itemUnit: opt(fnText.nullable()),
  batch: opt(fnText.nullable()),
  ...costs,
  ...inboundStockPlace,
});
export type InboundDocumentRow = z.output<typeof InboundDocumentRowSchema>;

/** Fortnox's `Currency` object: an inbound document's currency is `{currency, rate, unit}`, not a code. */
export const DocumentCurrencySchema = z.object({
  currency: fnText,
  rate: fnNumber,
  unit: opt(fnNumberOrNull),
});
export type DocumentCurrency = z.output<typeof DocumentCurrencySchema>;

/** CustomInboundDocument. Its document type is `type` (the outbound's is `referenceType`). */
export const InboundDocumentSchema = z.object({
  id: opt(fnText),
  type: opt(fnText),
  date: fnDate,
  note: opt(fnText.nullable()),
  currency: opt(DocumentCurrencySchema.nullable()),
  voided: fnFlag(false),
  warehouseReady: fnFlag(false),
  rows: z.array(InboundDocumentRowSchema),
});
export type InboundDocument = z.output<typeof InboundDocumentSchema>;

/** Outbound rows (CustomOutboundDocumentRow) name the stock point and location by uuid only. */
export const OutboundDocumentRowSchema = z.object({
  rowId: opt(fnNumberOrNull),
  itemId: fnId,
  quantity: fnNumber,
  deliveredQuantity: fnAmount.default(0),
  reservedQuantity: fnAmount.default(0),
  forcedQuantity: opt(fnNumberOrNull),
  itemDescription: opt(fnText.nullable()),
  itemUnit: opt(fnText.nullable()),
  stockPointId: opt(fnText.nullable()),
  stockLocationId: opt(fnText.nullable()),
});
export type OutboundDocumentRow = z.output<typeof OutboundDocumentRowSchema>;

/** Read only, from FIFO: the cost of what the document took out, per item and stock point (spelled `averageCostInSEK`). */
export const AverageCostSchema = z.object({
  itemId: opt(fnText),
  stockPointId: opt(fnText.nullable()),
  averageCostInSEK: opt(fnNumberOrNull),
});
export type AverageCost = z.output<typeof AverageCostSchema>;

/** CustomOutboundDocument. */
export const OutboundDocumentSchema = z.object({
  id: opt(fnText),
  referenceType: opt(fnText),
  date: fnDate,
  deliveryState: DeliveryStateSchema,
  forcedDelivery: fnFlag(false),
  note: opt(fnText.nullable()),
  voided: fnFlag(false),
  warehouseReady: fnFlag(false),
  rows: z.array(OutboundDocumentRowSchema),
  averageCosts: z
    .array(AverageCostSchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type OutboundDocument = z.output<typeof OutboundDocumentSchema>;

export const StockBalanceSchema = z.object({
  itemId: fnId,
  stockPointCode: fnText,
  availableStock: fnNumber,
  inStock: fnNumber,
});
export type StockBalance = z.output<typeof StockBalanceSchema>;

/** StockPoint: `active` says whether it is in use (the list's `state` is only a filter). */
export const StockPointSchema = z.object({
  id: fnId,
  code: fnId,
  name: fnText,
  active: fnOptionalFlag,
});
export type StockPoint = z.output<typeof StockPointSchema>;

/** A Fortnox Lager purchase order (`/api/warehouse/purchaseorders-v1`); rows carry uuids and ordered/received quantities. */
export const PurchaseOrderRowSchema = z.object({
  id: opt(fnText.nullable()),
  rowNum: opt(fnNumberOrNull),
  itemId: fnId,
  itemDescription: opt(fnText.nullable()),
  itemUnit: opt(fnText.nullable()),
  orderedQuantity: fnAmount,
  receivedQuantity: fnAmount.default(0),
  price: opt(fnNumberOrNull),
  isStockItem: fnOptionalFlag,
  stockPointCode: opt(fnText.nullable()),
});
export type PurchaseOrderRow = z.output<typeof PurchaseOrderRowSchema>;

export const PurchaseOrderSchema = z.object({
  id: fnId,
  supplierNumber: fnText,
  supplierName: opt(fnText.nullable()),
  orderDate: opt(fnDate),
  deliveryDate: opt(fnDate),
  purchaseOrderState: opt(fnText),
  purchaseType: opt(fnText.nullable()),
  stockPointCode: opt(fnText.nullable()),
  note: opt(fnText.nullable()),
  voided: fnFlag(false),
  rows: fnList(PurchaseOrderRowSchema),
});
export type PurchaseOrder = z.output<typeof PurchaseOrderSchema>;

export const DocumentTypeSchema = z.object({
  category: z
    .string()
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(['INBOUND', 'OUTBOUND'])),
  referenceType: fnText,
});
export type DocumentType = z.output<typeof DocumentTypeSchema>;

// ---- request bodies (what we send; typed, no quirks) -----------------------------------------------------

export interface OrderRowInput {
  /** Present: update (or keep, when alone) that row. Absent: a new row. Rows left out of a PUT are removed. */
  RowId?: number;
  ArticleNumber?: string;
  Description?: string;
  /** Quantities are numbers here; the client sends them as the strings the OpenAPI declares. */
  OrderedQuantity?: number;
  DeliveredQuantity?: number;
  Price?: number;
  Discount?: number;
  DiscountType?: 'AMOUNT' | 'PERCENT';
  Unit?: string;
  VAT?: number;
  AccountNumber?: number;
  StockPointCode?: string;
}

export interface OrderInput {
  CustomerNumber: string;
  OrderDate?: string;
  DeliveryDate?: string;
  YourReference?: string;
  OurReference?: string;
  YourOrderNumber?: string;
  ExternalInvoiceReference1?: string;
  ExternalInvoiceReference2?: string;
  Remarks?: string;
  Comments?: string;
  WayOfDelivery?: string;
  TermsOfDelivery?: string;
  Phone1?: string;
  EmailInformation?: { EmailAddressTo?: string; EmailAddressCC?: string; EmailAddressBCC?: string };
  Address1?: string;
  Address2?: string;
  City?: string;
  ZipCode?: string;
  Country?: string;
  DeliveryName?: string;
  DeliveryAddress1?: string;
  DeliveryAddress2?: string;
  DeliveryZipCode?: string;
  DeliveryCity?: string;
  DeliveryCountry?: string;
  Currency?: string;
  /** Only with Lager active: never echo it back when Lager is off (the PUT fails). */
  DeliveryState?: DeliveryState;
  StockPointCode?: string;
  Sent?: boolean;
  OrderRows?: OrderRowInput[];
}

export type OrderPatch = Partial<OrderInput>;

export interface InvoiceRowInput {
  ArticleNumber?: string;
  Description?: string;
  /** Sent as a string, as the OpenAPI declares it. */
  DeliveredQuantity: number;
  Price?: number;
  Unit?: string;
  VAT?: number;
  AccountNumber?: number;
}

export interface InvoiceInput {
  CustomerNumber: string;
  InvoiceDate?: string;
  DueDate?: string;
  ExternalInvoiceReference1?: string;
  ExternalInvoiceReference2?: string;
  YourReference?: string;
  OurReference?: string;
  YourOrderNumber?: string;
  Currency?: string;
  /** Fortnox accepts at most 500 rows per invoice. */
  InvoiceRows: InvoiceRowInput[];
}

export interface ArticleInput {
  ArticleNumber?: string;
  Description: string;
  EAN?: string;
  Unit?: string;
  Weight?: number;
  Width?: number;
  Height?: number;
  Depth?: number;
  StockGoods?: boolean;
  SupplierNumber?: string;
  PurchasePrice?: number;
  SalesPrice?: number;
  Active?: boolean;
  Type?: 'STOCK' | 'SERVICE';
  VAT?: number;
  /** Without Lager only: with Lager active the warehouse owns stock (change it through warehouse documents). */
  QuantityInStock?: number;
  StockPlace?: string;
  DefaultStockPoint?: string;
  DefaultStockLocation?: string;
}

export type ArticlePatch = Partial<ArticleInput>;

export interface CustomerInput {
  CustomerNumber?: string;
  Name: string;
  Address1?: string;
  Address2?: string;
  ZipCode?: string;
  City?: string;
  CountryCode?: string;
  Email?: string;
  Phone1?: string;
  OrganisationNumber?: string;
  Currency?: string;
}

export interface InboundDocumentInput {
  date: string;
  note?: string;
  currency?: { currency: string; rate: number; unit?: number };
  rows: Array<{
    itemId: string;
    /** Negative: an outbound for that row (e.g. a credit row). */
    quantity: number;
    rowId?: number;
    itemDescription?: string;
    itemUnit?: string;
    batch?: string;
    directCost?: number;
    freightCost?: number;
    otherCost?: number;
    stockPointCode?: string;
    stockPointId?: string;
    stockLocationCode?: string;
    stockLocationId?: string;
  }>;
}

export interface OutboundDocumentInput {
  date: string;
  deliveryState: DeliveryState;
  /** Deliver the full quantity even into negative stock. */
  forcedDelivery?: boolean;
  note?: string;
  rows: Array<{
    itemId: string;
    /** Negative: an inbound for that row (e.g. a credit row). */
    quantity: number;
    rowId?: number;
    /** A uuid (GET stockpoints-v1): outbound rows take no stock point code. */
    stockPointId?: string;
    stockLocationId?: string;
  }>;
}

export interface StockPointInput {
  /** At most 10 characters. */
  code: string;
  /** At most 25 characters. */
  name: string;
}

/**
 * A new Lager purchase order (PurchaseOrder in Fortnox's OpenAPI): the head fields the OpenAPI requires are required
 * here. Each row's required `remainingOrderedQuantity` and `currencyCode` are filled in by the client (the ordered
 * quantity, the head's currency).
 */
export interface PurchaseOrderInput {
  supplierNumber: string;
  /** YYYY-MM-DD */
  orderDate: string;
  deliveryDate?: string;
  /** The delivery address: name (1-50), address (1-1024), zip code (1-10) and city (1-50). */
  deliveryName: string;
  deliveryAddress: string;
  deliveryZipCode: string;
  deliveryCity: string;
  deliveryCountryCode?: string;
  /** e.g. "30"; may be "" (at most 20 characters). */
  paymentTermsCode: string;
  /** e.g. "SEK" */
  currencyCode: string;
  /** 1 for the company's own currency. */
  currencyRate: number;
  stockPointCode?: string;
  note?: string;
  rows: Array<{
    itemId: string;
    orderedQuantity: number;
    price?: number;
    itemDescription?: string;
    stockPointCode?: string;
  }>;
}

export interface SupplierInput {
  SupplierNumber?: string;
  Name: string;
  Address1?: string;
  Address2?: string;
  ZipCode?: string;
  City?: string;
  CountryCode?: string;
  Email?: string;
  Phone1?: string;
  OrganisationNumber?: string;
}
