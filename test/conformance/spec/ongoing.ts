// Strict schemas of the Ongoing WMS goods-owner REST API v1 as its swagger documents it, one entry per endpoint.
//
// Source: github.com/Undefined-Stories-AB/ongoing_wms_rest_api_client @ 273f7af3 (openapi-python-client output of
// Ongoing's swagger), files ongoing_wms_rest_api_client/models/*.py and api/*/*.py. Each model's attribute list is
// transcribed: `X` (no Unset) is required, `Union[Unset, X]` optional and never null, `Union[Unset, None, X]`
// optional and nullable. A key the model does not define is an error (strictObject). Python `datetime` is an ISO 8601
// string. Nested models the product never reads are `z.unknown()` under their own key.
import { z } from 'zod';
import { dateTime, int, q, type EndpointSpec } from './types';

/** `Union[Unset, X]`: may be left out, never null. */
const o = <T extends z.ZodType>(schema: T) => schema.optional();
/** `Union[Unset, None, X]`: may be left out or null. */
const on = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const str = on(z.string());
const float = z.number();
const unknown = on(z.unknown());

// CodeNamePair (models/code_name_pair.py)
const CodeNamePair = z.strictObject({ code: str, name: str });

// ---- articles ------------------------------------------------------------------------------------------------

// GetArticleGoodsOwner (models/get_article_goods_owner.py); GetOrderGoodsOwner and GetPurchaseOrderGoodsOwner are the same.
const GoodsOwner = z.strictObject({ id: o(int), name: str });

// GetArticleSupplierInfo (models/get_article_supplier_info.py)
const GetArticleSupplierInfo = z.strictObject({
  supplierArticleNumber: str,
  supplierNumber: str,
  supplierName: str,
  alternativeSuppliers: unknown,
});

// GetArticleBarCodeInfo (models/get_article_bar_code_info.py)
const GetArticleBarCodeInfo = z.strictObject({
  barCode: str,
  barCodePackage: str,
  barCodePallet: str,
  alternativeBarCodes: unknown,
});

// GetArticleInventoryInfo (models/get_article_inventory_info.py): no stockInfoChanged.
const GetArticleInventoryInfo = z.strictObject({
  numberOfItems: o(float),
  numberOfBookedItems: o(float),
  numberOfLockedItems: o(float),
  toReceiveNumberOfItems: o(float),
  allocatedNumberOfItems: o(float),
  lockedForSaleNumberOfItems: o(float),
  pickedToBeCollectedNumberOfItems: o(float),
  receivedToBeFinishedNumberOfItems: o(float),
  lastInDate: on(dateTime),
  sellableNumberOfItems: o(float),
  totalStockValue: o(float),
});

// GetArticleModel (models/get_article_model.py): articleColor and articleSize are not returned.
const GetArticleModel = z.strictObject({
  goodsOwner: on(GoodsOwner),
  articleSystemId: o(int),
  articleNumber: str,
  articleName: str,
  productCode: str,
  unitCode: str,
  description: str,
  isStockArticle: on(z.boolean()),
  isActive: on(z.boolean()),
  supplierInfo: on(GetArticleSupplierInfo),
  barCodeInfo: on(GetArticleBarCodeInfo),
  quantityPerPackage: on(int),
  quantityPerPallet: on(int),
  weight: on(float),
  length: on(float),
  width: on(float),
  height: on(float),
  volume: on(float),
  purchasePrice: on(float),
  stockValuationPrice: on(float),
  customerPrice: on(float),
  purcaseCurrencyCode: str,
  countryOfOriginCode: str,
  statisticsNumber: str,
  articleGroup: on(CodeNamePair),
  articleCategory: on(CodeNamePair),
  inventoryInfo: on(GetArticleInventoryInfo),
  articleDataLastUpdated: on(dateTime),
  articleKind: str,
  stockLimit: on(int),
  minimumReorderQuantity: on(float),
  netWeight: on(float),
  freeValues: unknown,
  subQuantityPerItem: on(float),
  classes: unknown,
  customsDescription: str,
  taricNumbersInfo: unknown,
  defaultLocationMaxNumberOfItems: on(float),
  defaultLocationStockLimit: on(float),
  linkToPicture: str,
  storageProperties: unknown,
  defaultLocation: unknown,
});

// PostArticleSupplierInfo (models/post_article_supplier_info.py)
const PostArticleSupplierInfo = z.strictObject({ supplierArticleNumber: str, supplierNumber: str, supplierName: str });

// PostArticleBarCodeInfo (models/post_article_bar_code_info.py)
const PostArticleBarCodeInfo = z.strictObject({
  barCode: str,
  barCodePackage: str,
  barCodePallet: str,
  alternativeBarCodes: unknown,
});

// PostArticleModel (models/post_article_model.py): goodsOwnerId and articleNumber required.
const PostArticleModel = z.strictObject({
  goodsOwnerId: int,
  articleNumber: z.string(),
  articleGroup: on(CodeNamePair),
  articleCategory: on(CodeNamePair),
  articleColor: on(CodeNamePair),
  articleSize: on(CodeNamePair),
  articleName: str,
  productCode: str,
  unitCode: str,
  description: str,
  isStockArticle: on(z.boolean()),
  isActive: on(z.boolean()),
  supplierInfo: on(PostArticleSupplierInfo),
  barCodeInfo: on(PostArticleBarCodeInfo),
  quantityPerPackage: on(int),
  quantityPerPallet: on(int),
  weight: on(float),
  length: on(float),
  width: on(float),
  height: on(float),
  volume: on(float),
  purchasePrice: on(float),
  stockValuationPrice: on(float),
  customerPrice: on(float),
  purcaseCurrencyCode: str,
  countryOfOriginCode: str,
  statisticsNumber: str,
  articleNameTranslations: unknown,
  stockLimit: on(int),
  minimumReorderQuantity: on(float),
  netWeight: on(float),
  linkToPicture: str,
  structureDefinition: unknown,
  quantityPerLayerOnPallet: on(int),
  subQuantityPerItem: on(float),
  minDaysToExpiryDateAllowedOnDelivery: on(int),
  storageProperties: unknown,
  freeValues: unknown,
  storageClass: unknown,
  customsDescription: str,
  taricNumbersInfo: unknown,
});

// PostArticleResponse (models/post_article_response.py)
const PostArticleResponse = z.strictObject({ articleSystemId: on(int), message: str });

// GetArticleInventoryPerWarehouseReportedInfo (models/get_article_inventory_per_warehouse_reported_info.py)
const ReportedInfo = z.strictObject({
  pickedToBeReportedNumberOfItems: o(float),
  returnedToBeReportedNumberOfItems: o(float),
  receivedToBeReportedNumberOfItems: o(float),
});

// GetArticleInventoryPerWarehouseInfo (models/get_article_inventory_per_warehouse_info.py): warehouseId only, no code/name.
const GetArticleInventoryPerWarehouseInfo = z.strictObject({
  warehouseId: o(int),
  numberOfItems: o(float),
  numberOfLockedItems: o(float),
  sellableNumberOfItems: o(float),
  availableForSaleNumberOfItems: o(float),
  reported: on(ReportedInfo),
});

// GetArticleInventoryPerWarehouseModel (models/get_article_inventory_per_warehouse_model.py)
const GetArticleInventoryPerWarehouseModel = z.strictObject({
  articleSystemId: o(int),
  articleNumber: str,
  inventoryPerWarehouse: on(z.array(GetArticleInventoryPerWarehouseInfo)),
});

// ---- inventory adjustments and warehouses --------------------------------------------------------------------

// GetInventoryAdjustmentArticle (models/get_inventory_adjustment_article.py)
const GetInventoryAdjustmentArticle = z.strictObject({
  articleSystemId: o(int),
  articleNumber: str,
  articleName: str,
  productCode: str,
});

// GetInventoryAdjustmentWarehouse (models/get_inventory_adjustment_warehouse.py)
const GetInventoryAdjustmentWarehouse = z.strictObject({ id: o(int), code: str, name: str });

// GetInventoryAdjustment (models/get_inventory_adjustment.py): numberOfItems is a signed delta.
const GetInventoryAdjustment = z.strictObject({
  inventoryId: o(int),
  numberOfItems: o(float),
  inventoryTime: o(dateTime),
  articleItemComment: str,
  inventoryItemComment: str,
  inventoryAdjustmentCause: on(CodeNamePair),
  location: str,
  batchNumber: str,
  serial: str,
  articleItemStatus: on(CodeNamePair),
  expiryDate: on(dateTime),
  warehouse: on(GetInventoryAdjustmentWarehouse),
});

// GetInventoryAdjustmentsLine (models/get_inventory_adjustments_line.py)
const GetInventoryAdjustmentsLine = z.strictObject({
  article: on(GetInventoryAdjustmentArticle),
  inventoryAdjustments: on(z.array(GetInventoryAdjustment)),
});

// WarehouseModel (models/warehouse_model.py); WarehouseAddressModel is not read by the product.
const WarehouseModel = z.strictObject({ id: o(int), code: str, name: str, address: unknown });

// ---- orders --------------------------------------------------------------------------------------------------

// GetOrderStatus (models/get_order_status.py)
const GetOrderStatus = z.strictObject({ number: o(int), text: str });

// GetOrderNotification (models/get_order_notification.py)
const GetOrderNotification = z.strictObject({ toBeNotified: o(z.boolean()), value: str });

// GetOrderWarehouse (models/get_order_warehouse.py)
const GetOrderWarehouse = z.strictObject({ id: o(int), code: str, name: str });

// GetOrderInfo (models/get_order_info.py): no orderStatusChangedTime, no goodsOwnerOrderReference.
const GetOrderInfo = z.strictObject({
  orderId: o(int),
  orderNumber: str,
  goodsOwnerOrderId: str,
  referenceNumber: str,
  salesCode: str,
  orderRemark: str,
  deliveryInstruction: str,
  servicePointCode: str,
  freeText1: str,
  freeText2: str,
  freeText3: str,
  orderType: on(CodeNamePair),
  wayOfDelivery: on(CodeNamePair),
  deliveryDate: o(dateTime),
  createdDate: o(dateTime),
  shippedTime: on(dateTime),
  wayBill: str,
  returnWayBill: str,
  orderStatus: on(GetOrderStatus),
  emailNotification: on(GetOrderNotification),
  smsNotification: on(GetOrderNotification),
  telephoneNotification: on(GetOrderNotification),
  orderedNumberOfItems: o(float),
  allocatedNumberOfItems: o(float),
  pickedNumberOfItems: o(float),
  customsInfo: unknown,
  preparedTransportDocumentId: str,
  warehouse: on(GetOrderWarehouse),
  termsOfDeliveryType: on(CodeNamePair),
  customerPrice: on(float),
  consigneeOrderNumber: str,
  warehouseInstruction: str,
  marketPlace: unknown,
  pickingPriority: on(int),
  productionCode: str,
  advanced: unknown,
});

// GetOrderConsignee (models/get_order_consignee.py): no e-mail or phone fields.
const GetOrderConsignee = z.strictObject({
  customerNumber: str,
  name: str,
  address1: str,
  address2: str,
  address3: str,
  postCode: str,
  city: str,
  countryCode: str,
  countryStateCode: str,
  remark: str,
  doorCode: str,
  advanced: unknown,
  invoiceAddress: unknown,
  id: o(int),
});

// GetOrderArticle (models/get_order_article.py)
const GetOrderArticle = z.strictObject({
  articleSystemId: o(int),
  articleNumber: str,
  articleName: str,
  productCode: str,
  articleKind: str,
});

// GetOrderPickedArticleItem (models/get_order_picked_article_item.py)
const GetOrderPickedArticleItem = z.strictObject({
  articleItemId: o(int),
  numberOfItems: o(float),
  inDate: o(dateTime),
  serial: str,
  caseNumber: str,
  batchNumber: str,
  container: str,
  comment: str,
  weight: on(float),
  volume: on(float),
  isPicked: o(z.boolean()),
  isReturned: o(z.boolean()),
  expiryDate: on(dateTime),
  returnDate: on(dateTime),
  pickedTime: on(dateTime),
  returnCause: on(CodeNamePair),
  location: str,
  locationTypeCode: str,
  articleItemStatus: on(CodeNamePair),
  freeText1: str,
  packedTime: on(dateTime),
  zoneName: str,
  handling: unknown,
  parcel: unknown,
});

// GetOrderLine (models/get_order_line.py): rowNumber is a nullable string (null on lines added in the WMS).
const GetOrderLine = z.strictObject({
  id: o(int),
  rowNumber: str,
  article: on(GetOrderArticle),
  comment: str,
  orderedNumberOfItems: o(float),
  allocatedNumberOfItems: o(float),
  pickedNumberOfItems: o(float),
  packedNumberOfItems: o(float),
  reportedNumberOfItems: on(float),
  shouldBePicked: o(z.boolean()),
  pickedArticleItems: on(z.array(GetOrderPickedArticleItem)),
  // List[GetOrderLine]: not read by the product.
  subOrderLines: unknown,
  serialNumber: str,
  lineTotalCustomsValue: on(float),
  batchNumber: str,
  reportedReturnedNumberOfItems: on(float),
  lineType: on(CodeNamePair),
  prices: unknown,
  customerArticleNumber: str,
  externalId: str,
  returnedNumberOfItems: o(float),
  freeValues: unknown,
});

// GetOrderParcelTracking (models/get_order_parcel_tracking.py)
const GetOrderParcelTracking = z.strictObject({ trackingUrl: str });

// GetOrderParcel (models/get_order_parcel.py)
const GetOrderParcel = z.strictObject({
  id: o(int),
  parcelNumber: str,
  isReturnParcel: o(z.boolean()),
  tracking: on(GetOrderParcelTracking),
  advanced: unknown,
});

// GetOrderTracking (models/get_order_tracking.py)
const GetOrderTracking = z.strictObject({ trackingUrl: str, waybill: str, created: o(dateTime) });

// GetOrderModel (models/get_order_model.py)
const GetOrderModel = z.strictObject({
  goodsOwner: on(GoodsOwner),
  orderInfo: on(GetOrderInfo),
  consignee: on(GetOrderConsignee),
  parcels: on(z.array(GetOrderParcel)),
  orderLines: on(z.array(GetOrderLine)),
  // GetOrderTransporter, GetOrderClass, GetOrderShipmentInfo: not read by the product.
  transporter: unknown,
  returnTransporter: unknown,
  tracking: on(z.array(GetOrderTracking)),
  classes: unknown,
  shipmentInfo: unknown,
});

// PostOrderNotification (models/post_order_notification.py)
const PostOrderNotification = z.strictObject({ toBeNotified: o(z.boolean()), value: str });

// PostOrderConsignee (models/post_order_consignee.py): no email, mobilePhone or telephone (use the notifications).
const PostOrderConsignee = z.strictObject({
  customerNumber: str,
  name: str,
  address1: str,
  address2: str,
  address3: str,
  postCode: str,
  city: str,
  countryCode: str,
  countryStateCode: str,
  remark: str,
  doorCode: str,
  advanced: unknown,
  invoiceAddress: unknown,
  organisationNumber: str,
  vatNumber: str,
});

// PostOrderLine (models/post_order_line.py): rowNumber is a required string.
const PostOrderLine = z.strictObject({
  rowNumber: z.string(),
  articleNumber: z.string(),
  numberOfItems: o(float),
  comment: str,
  shouldBePicked: on(z.boolean()),
  serialNumber: str,
  lineTotalCustomsValue: on(float),
  batchNumber: str,
  lineType: on(CodeNamePair),
  prices: unknown,
  customerArticleNumber: str,
  warehouseInstruction: str,
  externalId: str,
  articleItemStatus: on(CodeNamePair),
  lineFreeValues: unknown,
});

// PostOrderModel (models/post_order_model.py): goodsOwnerId, orderNumber, deliveryDate and consignee required.
const PostOrderModel = z.strictObject({
  goodsOwnerId: int,
  orderNumber: z.string(),
  deliveryDate: dateTime,
  consignee: PostOrderConsignee,
  referenceNumber: str,
  goodsOwnerOrderId: str,
  salesCode: str,
  orderRemark: str,
  deliveryInstruction: str,
  servicePointCode: str,
  freeText1: str,
  freeText2: str,
  freeText3: str,
  orderFreeDateTime1: on(dateTime),
  orderType: on(CodeNamePair),
  wayOfDelivery: on(CodeNamePair),
  emailNotification: on(PostOrderNotification),
  smsNotification: on(PostOrderNotification),
  telephoneNotification: on(PostOrderNotification),
  transporter: unknown,
  returnTransporter: unknown,
  orderLines: on(z.array(PostOrderLine)),
  customsInfo: unknown,
  preparedTransportDocumentId: str,
  freightPrice: on(float),
  warehouseId: on(int),
  classes: unknown,
  termsOfDeliveryType: on(CodeNamePair),
  customerPrice: on(float),
  advanced: unknown,
  consigneeOrderNumber: str,
  warehouseInstruction: str,
  marketPlace: unknown,
  pickingPriority: on(int),
  productionCode: str,
  transporterBulkId: str,
});

// PostOrderResponse (models/post_order_response.py)
const PostOrderResponse = z.strictObject({ orderId: on(int), message: str });

// PatchOrderResponse (models/patch_order_response.py)
const PatchOrderResponse = z.strictObject({ orderId: o(int), message: str });

// GetOrderInvoiceArticleModel (models/get_order_invoice_article_model.py)
const GetOrderInvoiceArticleModel = z.strictObject({ invoiceArticleId: o(int), code: str, title: str, account: str });

// GetOrderInvoiceChargeModel (models/get_order_invoice_charge_model.py)
const GetOrderInvoiceChargeModel = z.strictObject({
  invoiceId: o(int),
  chargeId: o(int),
  price: o(float),
  numberOfItems: o(float),
  actionDate: on(dateTime),
  comment: str,
  profitCenter: on(CodeNamePair),
  invoiceArticle: on(GetOrderInvoiceArticleModel),
});

// GetHistoricalInventoryArticleModel (models/get_historical_inventory_article_model.py)
const GetHistoricalInventoryArticleModel = z.strictObject({
  articleItems: on(z.array(z.unknown())),
  articleSystemId: o(int),
  articleNumber: str,
  articleName: str,
  productCode: str,
  numberOfItems: o(float),
});

// GetHistoricalInventoryModel (models/get_historical_inventory_model.py)
const GetHistoricalInventoryModel = z.strictObject({ articles: on(z.array(GetHistoricalInventoryArticleModel)) });

// ---- purchase orders -----------------------------------------------------------------------------------------

// GetPurchaseOrderStatus (models/get_purchase_order_status.py)
const GetPurchaseOrderStatus = z.strictObject({ number: o(int), text: str });

// GetPurchaseOrderInfo (models/get_purchase_order_info.py): goodsOwnerReference, not goodsOwnerOrderReference.
const GetPurchaseOrderInfo = z.strictObject({
  purchaseOrderId: o(int),
  purchaseOrderNumber: str,
  supplierOrderNumber: str,
  goodsOwnerReference: str,
  referenceNumber: str,
  purchaseOrderStatus: on(GetPurchaseOrderStatus),
  purchaseOrderType: on(CodeNamePair),
  inDate: on(dateTime),
  purchaseOrderRemark: str,
  warehouse: unknown,
  createdDate: on(dateTime),
  advanced: unknown,
  freeValues: unknown,
});

// GetPurchaseOrderArticle (models/get_purchase_order_article.py)
const GetPurchaseOrderArticle = z.strictObject({
  articleSystemId: o(int),
  articleNumber: str,
  articleName: str,
  productCode: str,
});

// GetPurchaseOrderLine (models/get_purchase_order_line.py)
const GetPurchaseOrderLine = z.strictObject({
  id: o(int),
  rowNumber: str,
  article: on(GetPurchaseOrderArticle),
  comment: str,
  rowPrice: on(float),
  advisedNumberOfItems: o(float),
  receivedNumberOfItems: o(float),
  reportedNumberOfItems: on(float),
  articleItems: unknown,
  subPurchaseOrderLines: unknown,
  externalOrderLineId: str,
  lineType: on(CodeNamePair),
  freeValues: unknown,
});

// GetPurchaseOrderSupplierInfo (models/get_purchase_order_supplier_info.py): no address on GET.
const GetPurchaseOrderSupplierInfo = z.strictObject({ supplierNumber: str, supplierName: str });

// GetPurchaseOrderModel (models/get_purchase_order_model.py)
const GetPurchaseOrderModel = z.strictObject({
  goodsOwner: on(GoodsOwner),
  supplierInfo: on(GetPurchaseOrderSupplierInfo),
  purchaseOrderInfo: on(GetPurchaseOrderInfo),
  purchaseOrderLines: on(z.array(GetPurchaseOrderLine)),
  sellerInfo: unknown,
});

// PostPurchaseOrderSupplierInfo (models/post_purchase_order_supplier_info.py); its address model is not built by the product.
const PostPurchaseOrderSupplierInfo = z.strictObject({
  supplierNumber: str,
  supplierName: str,
  supplierAddress: unknown,
});

// PostPurchaseOrderLine (models/post_purchase_order_line.py): rowNumber and articleNumber required.
const PostPurchaseOrderLine = z.strictObject({
  rowNumber: z.string(),
  articleNumber: z.string(),
  numberOfItems: o(float),
  comment: str,
  rowPrice: on(float),
  currencyCode: str,
  articleItemStatusId: on(int),
  batchNumber: str,
  externalOrderLineId: str,
  inDate: on(dateTime),
  serialNumber: str,
  expiryDate: on(dateTime),
  productionDate: on(dateTime),
  lineFreeValues: unknown,
  lineType: on(CodeNamePair),
});

// PostPurchaseOrderModel (models/post_purchase_order_model.py): goodsOwnerReference, not goodsOwnerOrderReference.
const PostPurchaseOrderModel = z.strictObject({
  goodsOwnerId: int,
  purchaseOrderNumber: z.string(),
  supplierOrderNumber: str,
  goodsOwnerReference: str,
  referenceNumber: str,
  inDate: on(dateTime),
  supplierInfo: on(PostPurchaseOrderSupplierInfo),
  purchaseOrderType: on(CodeNamePair),
  purchaseOrderLines: on(z.array(PostPurchaseOrderLine)),
  purchaseOrderRemark: str,
  warehouseId: on(int),
  freeValues: unknown,
  advanced: unknown,
  customsInfo: unknown,
  sellerInfo: unknown,
});

// PatchPurchaseOrderReportedNumberOfItemsModel (models/patch_purchase_order_reported_number_of_items_model.py): required.
const PatchPurchaseOrderReportedNumberOfItemsModel = z.strictObject({ reportedNumberOfItems: float });

// PostPurchaseOrderResponse (models/post_purchase_order_response.py)
const PostPurchaseOrderResponse = z.strictObject({ purchaseOrderId: on(int), message: str });

// ---- query parameters (api/*/*.py `_get_kwargs` params; descriptions in the PHP client of the newer spec) ---------

const goodsOwnerId = z.string().regex(/^\d+$/, { error: 'goodsOwnerId (int) is required' });
const qTime = dateTime.optional();

const articlesQuery = z.strictObject({
  goodsOwnerId,
  articleNumber: q.str,
  articleSystemIdFrom: q.int,
  maxArticlesToGet: q.int,
  stockInfoChangedFrom: qTime,
  articleNumbers: q.list,
  articleDataLastUpdatedFrom: qTime,
  onlyArticlesInStock: q.bool,
  productCode: q.str,
  productCodes: q.list,
  articleNameContains: q.list,
  articleClassIds: q.list,
  barCodes: q.list,
  onlyArticlesBelowStockLimit: q.bool,
  onlyArticlesBelowStockLimitConsideringNumberOfBookedItems: q.bool,
});
const inventoryPerWarehouseQuery = z.strictObject({
  goodsOwnerId,
  articleSystemIdFrom: q.int,
  maxArticlesToGet: q.int,
  articleNumbers: q.list,
  warehouseIds: q.list,
  onlyArticlesInStock: q.bool,
  stockInfoChangedFrom: qTime,
});
/** `from` and `toTime`; `to` is declared but documented "Obsolete, do not use." (PHP InventoryAdjustmentsApi). */
const inventoryAdjustmentsQuery = z.strictObject({
  goodsOwnerId,
  from: qTime,
  to: z.never({ error: '`to` is obsolete ("do not use"): the end of the period is `toTime`' }).optional(),
  toTime: qTime,
  isReported: q.bool,
});
/** `stockDate` (date-time) is required: "the historical stock balances for all articles at a specific time". */
const historicalInventoryQuery = z.strictObject({
  goodsOwnerId,
  stockDate: dateTime,
  warehouseId: q.int,
});
const ordersQuery = z.strictObject({
  goodsOwnerId,
  orderNumber: q.str,
  shippedTimeFrom: qTime,
  shippedTimeTo: qTime,
  orderStatusFrom: q.int,
  orderStatusTo: q.int,
  onlyOrdersWithOrderLinesToReport: q.bool,
  orderIdFrom: q.int,
  maxOrdersToGet: q.int,
  orderStatusChangedTimeFrom: qTime,
  lastReturnedFrom: qTime,
  orderNumbers: q.list,
  orderCreatedTimeFrom: qTime,
  orderCreatedTimeTo: qTime,
  onlyOrdersWithOrderLinesToReportReturned: q.bool,
  onlyIfTransportPrinted: q.bool,
  shipmentId: q.int,
  pickable: q.str,
  parcelNumber: q.str,
  articleNumbers: q.list,
  serial: q.str,
  marketPlace: q.str,
  orderUpdatedTimeFrom: qTime,
  backOrderForOrderId: q.int,
});
const purchaseOrdersQuery = z.strictObject({
  goodsOwnerId,
  purchaseOrderNumber: q.str,
  lastReceiveTimeFrom: qTime,
  lastReceiveTimeTo: qTime,
  purchaseOrderStatusFrom: q.int,
  purchaseOrderStatusTo: q.int,
  onlyPurchaseOrdersWithOrderLinesToReport: q.bool,
  purchaseOrderIdFrom: q.int,
  maxPurchaseOrdersToGet: q.int,
  purchaseOrderStatusChangedTimeFrom: qTime,
  purchaseOrderNumbers: q.list,
  articleNumbers: q.list,
  inDateFrom: qTime,
  inDateTo: qTime,
});

// ---- endpoints -----------------------------------------------------------------------------------------------

const SRC = 'Undefined-Stories-AB/ongoing_wms_rest_api_client';
/** The list endpoints answer `Optional[List[...]]`: the body may be null. */
const list = <T extends z.ZodType>(item: T) => z.array(item).nullable();

export const ongoingSpec: Record<string, EndpointSpec> = {
  'PUT /articles': {
    source: `${SRC} api/articles/articles_put_3.py: PostArticleModel → PostArticleResponse`,
    request: PostArticleModel,
    response: PostArticleResponse,
  },
  'GET /articles': {
    source: `${SRC} api/articles/articles_get_all.py → List[GetArticleModel]`,
    response: list(GetArticleModel),
    query: articlesQuery,
  },
  'GET /articles/{articleSystemId}': {
    source: `${SRC} api/articles/articles_get.py → GetArticleModel`,
    response: GetArticleModel,
  },
  'GET /articles/inventoryPerWarehouse': {
    source: `${SRC} api/articles/articles_get_inventory_per_warehouse.py → List[GetArticleInventoryPerWarehouseModel]`,
    response: list(GetArticleInventoryPerWarehouseModel),
    query: inventoryPerWarehouseQuery,
  },
  'GET /inventoryAdjustments': {
    source: `${SRC} api/inventory_adjustments/inventory_adjustments_get_all.py (query goodsOwnerId, from, to (obsolete), toTime, isReported) → List[GetInventoryAdjustmentsLine]`,
    response: list(GetInventoryAdjustmentsLine),
    query: inventoryAdjustmentsQuery,
  },
  'GET /articles/historicalInventory': {
    source: `${SRC} api/articles/articles_get_historical_inventory.py → List[GetHistoricalInventoryModel]`,
    response: list(GetHistoricalInventoryModel),
    query: historicalInventoryQuery,
  },
  'GET /warehouses': {
    source: `${SRC} api/warehouses/warehouses_get.py → List[WarehouseModel]`,
    response: list(WarehouseModel),
  },
  'PUT /orders': {
    source: `${SRC} api/orders/orders_put_order.py: PostOrderModel → PostOrderResponse`,
    request: PostOrderModel,
    response: PostOrderResponse,
  },
  'GET /orders': {
    source: `${SRC} api/orders/orders_get_all.py → List[GetOrderModel]`,
    response: list(GetOrderModel),
    query: ordersQuery,
  },
  'GET /orders/{orderId}': { source: `${SRC} api/orders/orders_get.py → GetOrderModel`, response: GetOrderModel },
  'DELETE /orders/{orderId}': {
    source: `${SRC} api/orders/orders_delete.py → PostOrderResponse`,
    response: PostOrderResponse,
  },
  'PATCH /orders/{orderId}/setReportedNumberOfItemsToPickedNumberOfItems': {
    source: `${SRC} api/orders/orders_patch_set_reported_number_of_items_to_picked_number_of_items.py → PatchOrderResponse`,
    response: PatchOrderResponse,
  },
  'GET /orders/{orderId}/invoiceCharges': {
    source: `${SRC} api/orders/orders_get_invoice_charges.py → List[GetOrderInvoiceChargeModel]`,
    response: list(GetOrderInvoiceChargeModel),
  },
  'PUT /purchaseOrders': {
    source: `${SRC} api/purchase_orders/purchase_orders_put_2.py: PostPurchaseOrderModel → PostPurchaseOrderResponse`,
    request: PostPurchaseOrderModel,
    response: PostPurchaseOrderResponse,
  },
  'GET /purchaseOrders': {
    source: `${SRC} api/purchase_orders/purchase_orders_get_all.py → List[GetPurchaseOrderModel]`,
    response: list(GetPurchaseOrderModel),
    query: purchaseOrdersQuery,
  },
  'GET /purchaseOrders/{purchaseOrderId}': {
    source: `${SRC} api/purchase_orders/purchase_orders_get.py → GetPurchaseOrderModel`,
    response: GetPurchaseOrderModel,
  },
  // The 200 has no schema in the swagger (the generated client returns the raw bytes as `File`): any body is in spec.
  'PATCH /purchaseOrders/{purchaseOrderId}/lines/{purchaseOrderLineId}/reportedNumberOfItems': {
    source: `${SRC} api/purchase_orders/purchase_orders_patch_reported_number_of_items.py: PatchPurchaseOrderReportedNumberOfItemsModel → File`,
    request: PatchPurchaseOrderReportedNumberOfItemsModel,
    response: z.unknown(),
  },
};
