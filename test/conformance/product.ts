// The schema the product reads each endpoint's answer with: the same schemas the clients pass to their parsers.
import { z } from 'zod';
import {
  ArticleListItemSchema,
  ArticleSchema,
  CompanyInformationSchema,
  CustomerListItemSchema,
  CustomerSchema,
  DocumentTypeSchema,
  InboundDocumentSchema,
  InvoiceListItemSchema,
  InvoiceSchema,
  OrderListItemSchema,
  OrderSchema,
  OutboundDocumentSchema,
  PurchaseOrderSchema,
  StockBalanceSchema,
  StockPointSchema,
  SupplierListItemSchema,
  SupplierSchema,
  WarehouseTenantSchema,
  list,
  single,
} from '../../activities/fortnox/schemas';
import {
  historicalInventorySchema,
  inventoryAdjustmentsLineSchema,
  inventoryPerWarehouseSchema,
  orderInvoiceChargeSchema,
  orderPutResponseSchema,
  wmsArticleSchema,
  wmsOrderSchema,
  wmsPurchaseOrderSchema,
  wmsWarehouseSchema,
} from '../../activities/wms/schemas';

/** `undefined`: the client reads no body (Fortnox release/void). */
export type ProductSchema = z.ZodType | undefined;

const custom = '/api/warehouse/documentdeliveries/custom';

/** As in activities/fortnox/client.ts, endpoint by endpoint. */
export const fortnoxProduct: Record<string, ProductSchema> = {
  'GET /3/orders': list('Orders', OrderListItemSchema),
  'POST /3/orders': single('Order', OrderSchema),
  'GET /3/orders/{DocumentNumber}': single('Order', OrderSchema),
  'PUT /3/orders/{DocumentNumber}': single('Order', OrderSchema),
  'PUT /3/orders/{DocumentNumber}/createinvoice': single('Invoice', InvoiceSchema),
  'PUT /3/orders/{DocumentNumber}/cancel': single('Order', OrderSchema),
  'GET /3/invoices': list('Invoices', InvoiceListItemSchema),
  'POST /3/invoices': single('Invoice', InvoiceSchema),
  'GET /3/invoices/{DocumentNumber}': single('Invoice', InvoiceSchema),
  'GET /3/articles': list('Articles', ArticleListItemSchema),
  'POST /3/articles': single('Article', ArticleSchema),
  'GET /3/articles/{ArticleNumber}': single('Article', ArticleSchema),
  'PUT /3/articles/{ArticleNumber}': single('Article', ArticleSchema),
  'GET /3/suppliers': list('Suppliers', SupplierListItemSchema),
  'POST /3/suppliers': single('Supplier', SupplierSchema),
  'GET /3/suppliers/{SupplierNumber}': single('Supplier', SupplierSchema),
  'PUT /3/suppliers/{SupplierNumber}': single('Supplier', SupplierSchema),
  'GET /3/customers': list('Customers', CustomerListItemSchema),
  'POST /3/customers': single('Customer', CustomerSchema),
  'GET /3/customers/{CustomerNumber}': single('Customer', CustomerSchema),
  'GET /3/companyinformation': single('CompanyInformation', CompanyInformationSchema),
  'GET /api/warehouse/tenants-v4': WarehouseTenantSchema,
  [`GET ${custom}/inbound-v1/{type}/{id}`]: InboundDocumentSchema,
  [`PUT ${custom}/inbound-v1/{type}/{id}`]: InboundDocumentSchema,
  [`PUT ${custom}/inbound-v1/{type}/{id}/release`]: undefined,
  [`PUT ${custom}/inbound-v1/{type}/{id}/void`]: undefined,
  [`GET ${custom}/outbound-v1/{type}/{id}`]: OutboundDocumentSchema,
  [`PUT ${custom}/outbound-v1/{type}/{id}`]: OutboundDocumentSchema,
  [`PUT ${custom}/outbound-v1/{type}/{id}/release`]: undefined,
  [`PUT ${custom}/outbound-v1/{type}/{id}/void`]: undefined,
  [`GET ${custom}/documenttypes-v1`]: z.array(DocumentTypeSchema),
  'GET /api/warehouse/status-v1/stockbalance': z.array(StockBalanceSchema),
  'GET /api/warehouse/stockpoints-v1': z.array(StockPointSchema),
  'POST /api/warehouse/stockpoints-v1': StockPointSchema,
  // No client method yet: the product's model of a stock point.
  'GET /api/warehouse/stockpoints-v1/{id}': StockPointSchema,
  'GET /api/warehouse/purchaseorders-v1': z.array(PurchaseOrderSchema),
  'POST /api/warehouse/purchaseorders-v1': PurchaseOrderSchema,
  'GET /api/warehouse/purchaseorders-v1/{id}': PurchaseOrderSchema,
};

/** activities/wms/client.ts `putResponse(idField)` (not exported): `{ <idField>: int, message?: string | null }`. */
const putResponse = (idField: string) => z.object({ [idField]: z.number().int(), message: z.string().nullish() });

/** As in activities/wms/client.ts, endpoint by endpoint. */
export const wmsProduct: Record<string, ProductSchema> = {
  'PUT /articles': putResponse('articleSystemId'),
  'GET /articles': z.array(wmsArticleSchema),
  'GET /articles/{articleSystemId}': wmsArticleSchema,
  'GET /articles/inventoryPerWarehouse': z.array(inventoryPerWarehouseSchema),
  'GET /articles/historicalInventory': z.array(historicalInventorySchema),
  'GET /inventoryAdjustments': z.array(inventoryAdjustmentsLineSchema),
  'GET /warehouses': z.array(wmsWarehouseSchema),
  'PUT /orders': orderPutResponseSchema,
  'GET /orders': z.array(wmsOrderSchema),
  'GET /orders/{orderId}': wmsOrderSchema,
  'DELETE /orders/{orderId}': z.unknown(),
  'PATCH /orders/{orderId}/setReportedNumberOfItemsToPickedNumberOfItems': z.unknown(),
  'GET /orders/{orderId}/invoiceCharges': z.array(orderInvoiceChargeSchema),
  'PUT /purchaseOrders': putResponse('purchaseOrderId'),
  'GET /purchaseOrders': z.array(wmsPurchaseOrderSchema),
  // No client method yet (the client lists by number): the product's model of a purchase order.
  'GET /purchaseOrders/{purchaseOrderId}': wmsPurchaseOrderSchema,
  'PATCH /purchaseOrders/{purchaseOrderId}/lines/{purchaseOrderLineId}/reportedNumberOfItems': z.unknown(),
};

const identity = 'an identifier: the product cannot follow up, match or update what it cannot name';
const stock = 'a stock figure or whose stock it is: the product does not guess stock (a guess would be written back)';
const quantity = 'a quantity the product reports to Fortnox (picked, received): not guessed as 0';

/**
 * Fields the product needs although the specification lets them be unset (null or absent) in an answer, keyed by path
 * as issue lines print it (a list answer's leading `[].` left out), with why the product refuses such an answer rather
 * than guess. fixtures.test.ts checks that the product accepts every OTHER field unset.
 */
export const productRequires: Record<'fortnox' | 'wms', Record<string, string>> = {
  fortnox: {
    'Order.DocumentNumber': identity,
    'Orders[].DocumentNumber': identity,
    'Order.OrderRows[].RowId': `${identity} (an order row is kept or updated on a PUT only by its RowId)`,
    'Invoice.DocumentNumber': identity,
    'Invoices[].DocumentNumber': identity,
    'Invoices[].CustomerNumber': `${identity} (invoices are matched to the goods owner's customer)`,
    'Article.ArticleNumber': identity,
    'Articles[].ArticleNumber': identity,
    'Supplier.SupplierNumber': identity,
    'Suppliers[].SupplierNumber': identity,
    'Customer.CustomerNumber': identity,
    'Customers[].CustomerNumber': identity,
    // Lager: stock points and purchase orders (`id`), stock balances.
    id: identity,
    itemId: stock,
    stockPointCode: stock,
    availableStock: stock,
    inStock: stock,
    activated: 'whether Lager is active decides which API owns stock: not guessed',
  },
  wms: {
    // Warehouses (`id`), articles, inventory.
    id: identity,
    articleNumber: identity,
    'article.articleSystemId': identity,
    'inventoryInfo.numberOfItems': stock,
    'inventoryInfo.sellableNumberOfItems': stock,
    'inventoryInfo.allocatedNumberOfItems': stock,
    'inventoryPerWarehouse[].warehouseId': stock,
    'inventoryPerWarehouse[].numberOfItems': stock,
    'inventoryAdjustments[].inventoryId': identity,
    'inventoryAdjustments[].numberOfItems': stock,
    'inventoryAdjustments[].inventoryTime': `${stock} (the time decides which stock run counts the adjustment)`,
    articleSystemId: `${identity} (the PUT answer's id of the article written)`,
    orderId: `${identity} (the PUT answer's id of the order written)`,
    purchaseOrderId: `${identity} (the PUT answer's id of the purchase order written)`,
    article: identity,
    'article.articleNumber': identity,
    inventoryInfo: stock,
    orderInfo: 'the order itself (number, status): an answer without it is not an order',
    'orderInfo.orderId': identity,
    'orderInfo.orderNumber': identity,
    'orderInfo.orderStatus': 'the status decides every next step of the order workflow: not guessed',
    'orderInfo.orderStatus.number': 'the status decides every next step of the order workflow: not guessed',
    orderLines: 'the lines decide what is reported to Fortnox as delivered: no lines are not read as nothing picked',
    'orderLines[].id': identity,
    'orderLines[].article': identity,
    'orderLines[].article.articleSystemId': identity,
    'orderLines[].article.articleNumber': identity,
    'orderLines[].orderedNumberOfItems': quantity,
    'orderLines[].allocatedNumberOfItems': quantity,
    'orderLines[].pickedNumberOfItems': quantity,
    'orderLines[].pickedArticleItems[].numberOfItems': quantity,
    purchaseOrderInfo: 'the purchase order itself (number, status): an answer without it is not a purchase order',
    'purchaseOrderInfo.purchaseOrderId': identity,
    'purchaseOrderInfo.purchaseOrderNumber': identity,
    'purchaseOrderInfo.purchaseOrderStatus': 'the status decides whether receipts are posted: not guessed',
    'purchaseOrderInfo.purchaseOrderStatus.number': 'the status decides whether receipts are posted: not guessed',
    purchaseOrderLines:
      'the lines decide what is posted to Fortnox as received: no lines are not read as nothing received',
    'purchaseOrderLines[].id': identity,
    'purchaseOrderLines[].article': identity,
    'purchaseOrderLines[].article.articleSystemId': identity,
    'purchaseOrderLines[].article.articleNumber': identity,
    'purchaseOrderLines[].advisedNumberOfItems': quantity,
    'purchaseOrderLines[].receivedNumberOfItems': quantity,
    // 3PL invoicing: what is billed is never guessed.
    price: 'what a charge costs: the 3PL invoices it, so a charge without a price is refused, not billed at 0',
    numberOfItems:
      'how many of a charge: the 3PL invoices it, so a charge without a number is refused, not billed as 0',
    'articles[].numberOfItems': `${stock} (storage is billed per item in stock at the period's end)`,
  },
};
