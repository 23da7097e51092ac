// Renders stored records as Ongoing REST v1 JSON (GetOrderModel, GetArticleModel, GetPurchaseOrderModel, ...).
import type { WmsSandboxState } from './state';
import {
  ORDER_STATUS_TEXT,
  PURCHASE_ORDER_STATUS_TEXT,
  type GoodsOwnerState,
  type StoredAdjustment,
  type StoredArticle,
  type StoredOrder,
  type StoredPurchaseOrder,
} from './types';

const goodsOwnerView = (owner: GoodsOwnerState) => ({ id: owner.goodsOwnerId, name: owner.name });

export function articleView(state: WmsSandboxState, owner: GoodsOwnerState, a: StoredArticle) {
  return {
    goodsOwner: goodsOwnerView(owner),
    articleSystemId: a.articleSystemId,
    articleNumber: a.articleNumber,
    articleName: a.articleName,
    productCode: a.productCode ?? null,
    unitCode: a.unitCode ?? null,
    barCodeInfo: { barCode: a.barCode ?? null },
    weight: a.weight ?? null,
    length: a.length ?? null,
    width: a.width ?? null,
    height: a.height ?? null,
    volume: a.volume ?? null,
    isStockArticle: a.isStockArticle,
    supplierInfo: a.supplierInfo
      ? {
          supplierArticleNumber: a.supplierInfo.supplierArticleNumber ?? null,
          supplierNumber: a.supplierInfo.supplierNumber ?? null,
          supplierName: a.supplierInfo.supplierName ?? null,
          alternativeSuppliers: null,
        }
      : null,
    articleDataLastUpdated: a.updatedAt,
    inventoryInfo: state.inventoryInfo(owner, a),
  };
}

export function inventoryPerWarehouseView(state: WmsSandboxState, owner: GoodsOwnerState, a: StoredArticle) {
  return {
    articleSystemId: a.articleSystemId,
    articleNumber: a.articleNumber,
    inventoryPerWarehouse: owner.warehouses.map((w) => {
      const info = state.inventoryInfo(owner, a, w.warehouseId);
      // Like Ongoing: only the warehouse's id (its code and name come from GET /warehouses).
      return {
        warehouseId: w.warehouseId,
        numberOfItems: info.numberOfItems,
        numberOfLockedItems: info.numberOfLockedItems,
        sellableNumberOfItems: info.sellableNumberOfItems,
        availableForSaleNumberOfItems: info.sellableNumberOfItems,
      };
    }),
  };
}

export function orderView(owner: GoodsOwnerState, o: StoredOrder) {
  return {
    goodsOwner: goodsOwnerView(owner),
    // GetOrderInfo: there is no status-changed time in Ongoing's model (filter on orderStatusChangedTimeFrom instead).
    orderInfo: {
      orderId: o.orderId,
      orderNumber: o.orderNumber,
      goodsOwnerOrderId: o.goodsOwnerOrderId ?? null,
      referenceNumber: o.referenceNumber ?? null,
      consigneeOrderNumber: o.consigneeOrderNumber ?? null,
      orderRemark: o.orderRemark ?? null,
      deliveryDate: o.deliveryDate,
      createdDate: o.createdDate,
      shippedTime: o.shippedTime,
      wayBill: o.wayBill,
      orderStatus: { number: o.statusNumber, text: ORDER_STATUS_TEXT[o.statusNumber] ?? String(o.statusNumber) },
      emailNotification: o.emailNotification,
      smsNotification: o.smsNotification,
      warehouse: { id: o.warehouseId, code: null, name: null },
    },
    consignee: o.consignee,
    orderLines: o.lines.map((l) => ({
      id: l.id,
      rowNumber: l.rowNumber,
      article: {
        articleSystemId: l.articleSystemId,
        articleNumber: l.articleNumber,
        articleName: l.articleName,
        productCode: null,
      },
      comment: l.comment ?? null,
      orderedNumberOfItems: l.orderedNumberOfItems,
      allocatedNumberOfItems: l.allocatedNumberOfItems,
      pickedNumberOfItems: l.pickedNumberOfItems,
      reportedNumberOfItems: l.reportedNumberOfItems,
      pickedArticleItems: l.pickedArticleItems,
    })),
    parcels: o.parcels.map((p) => ({
      id: p.id,
      parcelNumber: p.parcelNumber,
      isReturnParcel: false,
      tracking: { trackingUrl: p.trackingUrl },
    })),
    tracking: o.parcels.map((p) => ({
      trackingUrl: p.trackingUrl,
      waybill: o.wayBill,
      created: o.shippedTime ?? o.createdDate,
    })),
  };
}

export function purchaseOrderView(owner: GoodsOwnerState, po: StoredPurchaseOrder) {
  return {
    goodsOwner: goodsOwnerView(owner),
    purchaseOrderInfo: {
      purchaseOrderId: po.purchaseOrderId,
      purchaseOrderNumber: po.purchaseOrderNumber,
      goodsOwnerReference: po.goodsOwnerReference ?? null,
      purchaseOrderRemark: po.purchaseOrderRemark ?? null,
      inDate: po.inDate ?? null,
      createdDate: po.createdDate,
      purchaseOrderStatus: {
        number: po.statusNumber,
        text: PURCHASE_ORDER_STATUS_TEXT[po.statusNumber] ?? String(po.statusNumber),
      },
    },
    supplierInfo: po.supplierInfo
      ? { supplierNumber: po.supplierInfo.supplierNumber ?? null, supplierName: po.supplierInfo.supplierName ?? null }
      : null,
    purchaseOrderLines: po.lines.map((l) => ({
      id: l.id,
      rowNumber: l.rowNumber,
      article: {
        articleSystemId: l.articleSystemId,
        articleNumber: l.articleNumber,
        articleName: owner.articles.get(l.articleSystemId)?.articleName ?? null,
        productCode: null,
      },
      comment: l.comment ?? null,
      advisedNumberOfItems: l.advisedNumberOfItems,
      receivedNumberOfItems: l.receivedNumberOfItems,
      reportedNumberOfItems: l.reportedNumberOfItems,
    })),
  };
}

/** GET /inventoryAdjustments: Ongoing groups adjustments per article. */
export function inventoryAdjustmentsView(owner: GoodsOwnerState, adjustments: StoredAdjustment[]) {
  const byArticle = new Map<number, StoredAdjustment[]>();
  for (const a of adjustments) byArticle.set(a.articleSystemId, [...(byArticle.get(a.articleSystemId) ?? []), a]);
  return [...byArticle.entries()].map(([articleSystemId, list]) => ({
    article: { articleSystemId, articleNumber: list[0]!.articleNumber },
    inventoryAdjustments: list.map((a) => {
      const warehouse = owner.warehouses.find((w) => w.warehouseId === a.warehouseId);
      return {
        inventoryId: a.inventoryId,
        numberOfItems: a.numberOfItems,
        inventoryTime: a.inventoryTime,
        inventoryAdjustmentCause: {
          code: a.reason.toUpperCase(),
          name: a.reason === 'damage' ? 'Damaged' : 'Stock count',
        },
        warehouse: { id: a.warehouseId, code: warehouse?.code ?? null, name: warehouse?.name ?? null },
      };
    }),
  }));
}
