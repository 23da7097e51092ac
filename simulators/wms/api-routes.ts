// Ongoing REST v1 goods-owner API under /{warehouse}/api/v1: Basic auth per goods owner, faults and call accounting.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SandboxHttpError } from './errors';
import { badBodyPayload, countCall, decideFault, type FaultDecision } from './faults';
import { invoiceChargeView } from './invoicing';
import { articleBody, orderBody, purchaseOrderBody, reportedNumberOfItemsBody } from './requests';
import type { WmsSandboxState } from './state';
import type { GoodsOwnerState } from './types';
import {
  articleView,
  inventoryAdjustmentsView,
  inventoryPerWarehouseView,
  orderView,
  purchaseOrderView,
} from './views';

export const API_PREFIX = '/:warehouse/api/v1';

type Query = Record<string, string | string[] | undefined>;

const owners = new WeakMap<FastifyRequest, GoodsOwnerState>();
const faults = new WeakMap<FastifyRequest, FaultDecision>();

function ownerOf(request: FastifyRequest): GoodsOwnerState {
  const owner = owners.get(request);
  if (!owner) throw new SandboxHttpError(401, 'Not authenticated.');
  return owner;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function many(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v !== '');
}

function intParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new SandboxHttpError(400, `Parameter ${name} must be a number.`);
  return n;
}

function timeParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new SandboxHttpError(400, `Parameter ${name} must be a date-time.`);
  return t;
}

/** goodsOwnerId travels in queries and bodies; it must be the API user's own. */
function checkGoodsOwnerId(owner: GoodsOwnerState, given: unknown): void {
  if (given === undefined || given === null || given === '') {
    throw new SandboxHttpError(400, 'goodsOwnerId is required.');
  }
  if (Number(given) !== owner.goodsOwnerId) {
    throw new SandboxHttpError(403, `This API user may not access goods owner ${String(given)}.`);
  }
}

/** Ongoing answers every match unless asked for a page: past the goods owner's unpagedListLimit that times out here. */
function refuseUnpaged(owner: GoodsOwnerState, max: number | undefined, matches: number, pageParameter: string): void {
  if (max === undefined && owner.unpagedListLimit !== undefined && matches > owner.unpagedListLimit) {
    throw new SandboxHttpError(500, `The request timed out: ${matches} objects match. Paginate with ${pageParameter}.`);
  }
}

function routeKey(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? request.url;
  return `${request.method} ${url.replace(API_PREFIX, '') || '/'}`;
}

export function registerApiRoutes(app: FastifyInstance, state: WmsSandboxState): void {
  app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        const { warehouse } = request.params as { warehouse: string };
        if (warehouse !== state.warehouse) {
          throw new SandboxHttpError(404, `Warehouse "${warehouse}" does not exist here.`);
        }
        const header = request.headers.authorization ?? '';
        const match = /^Basic\s+(.+)$/i.exec(header);
        const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
        const sep = decoded.indexOf(':');
        const owner = sep > 0 ? state.authenticate(decoded.slice(0, sep), decoded.slice(sep + 1)) : undefined;
        if (!owner) {
          reply.header('www-authenticate', 'Basic realm="Ongoing WMS sandbox"');
          throw new SandboxHttpError(401, 'Authorization has been denied for this request.');
        }
        owners.set(request, owner);
        const key = routeKey(request);
        countCall(owner, key);
        const decision = decideFault(owner, key);
        faults.set(request, decision);
        if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
        if (decision.error) throw new SandboxHttpError(503, 'Injected fault: service unavailable.');
      });
      // "Timeout after commit": the change is stored but the caller never gets the answer.
      api.addHook('onSend', async (request, reply, payload) => {
        const decision = faults.get(request);
        if (decision?.timeoutAfterCommit) request.raw.socket.destroy();
        if (decision?.badBody && reply.statusCode < 300) {
          const bad = badBodyPayload(decision.badBody);
          reply.header('content-type', bad.contentType);
          return bad.body;
        }
        return payload;
      });

      // ---- articles ----
      api.put('/articles', async (request, reply) => {
        const owner = ownerOf(request);
        const body = articleBody.parse(request.body);
        checkGoodsOwnerId(owner, body.goodsOwnerId);
        const { article, created } = state.upsertArticle(owner, body);
        return reply.code(created ? 201 : 200).send({
          articleSystemId: article.articleSystemId,
          message: created ? 'Article created.' : 'Article updated.',
        });
      });

      api.get('/articles', async (request) => {
        const owner = ownerOf(request);
        const q = request.query as Query;
        checkGoodsOwnerId(owner, one(q.goodsOwnerId));
        const articleNumbers = many(q.articleNumber);
        const idFrom = intParam(one(q.articleSystemIdFrom), 'articleSystemIdFrom');
        const max = intParam(one(q.maxArticlesToGet), 'maxArticlesToGet');
        const stockFrom = timeParam(one(q.stockInfoChangedFrom), 'stockInfoChangedFrom');
        const dataFrom = timeParam(one(q.articleDataLastUpdatedFrom), 'articleDataLastUpdatedFrom');
        let list = [...owner.articles.values()]
          .filter((a) => articleNumbers.length === 0 || articleNumbers.includes(a.articleNumber))
          .filter((a) => idFrom === undefined || a.articleSystemId >= idFrom)
          .filter((a) => stockFrom === undefined || Date.parse(a.stockChangedAt) >= stockFrom)
          .filter((a) => dataFrom === undefined || Date.parse(a.updatedAt) >= dataFrom)
          .sort((a, b) => a.articleSystemId - b.articleSystemId);
        refuseUnpaged(owner, max, list.length, 'articleSystemIdFrom and maxArticlesToGet');
        if (max !== undefined) list = list.slice(0, max);
        return list.map((a) => articleView(state, owner, a));
      });

      api.get('/articles/inventoryPerWarehouse', async (request) => {
        const owner = ownerOf(request);
        const q = request.query as Query;
        checkGoodsOwnerId(owner, one(q.goodsOwnerId));
        const wanted = many(q.articleNumbers);
        const idFrom = intParam(one(q.articleSystemIdFrom), 'articleSystemIdFrom');
        const max = intParam(one(q.maxArticlesToGet), 'maxArticlesToGet');
        let list = [...owner.articles.values()]
          .filter((a) => wanted.length === 0 || wanted.includes(a.articleNumber))
          .filter((a) => idFrom === undefined || a.articleSystemId >= idFrom)
          .sort((a, b) => a.articleSystemId - b.articleSystemId);
        refuseUnpaged(owner, max, list.length, 'articleSystemIdFrom and maxArticlesToGet');
        if (max !== undefined) list = list.slice(0, max);
        return list.map((a) => inventoryPerWarehouseView(state, owner, a));
      });

      // Stock per article at a moment in the past (GetHistoricalInventoryModel); `stockDate` is required.
      api.get('/articles/historicalInventory', async (request) => {
        const owner = ownerOf(request);
        const q = request.query as Query;
        checkGoodsOwnerId(owner, one(q.goodsOwnerId));
        const at = timeParam(one(q.stockDate), 'stockDate');
        if (at === undefined) throw new SandboxHttpError(400, 'stockDate is required.');
        const warehouseId = intParam(one(q.warehouseId), 'warehouseId');
        const articles = [...owner.articles.values()]
          .sort((a, b) => a.articleSystemId - b.articleSystemId)
          .map((a) => {
            const numberOfItems = state.stockAt(owner, a, at, warehouseId);
            return {
              articleSystemId: a.articleSystemId,
              articleNumber: a.articleNumber,
              articleName: a.articleName,
              productCode: a.productCode ?? null,
              numberOfItems,
              articleItems: numberOfItems === 0 ? [] : [{ numberOfItems, batch: null, serial: null }],
            };
          });
        return [{ articles }];
      });

      api.get('/articles/:articleSystemId', async (request) => {
        const owner = ownerOf(request);
        const { articleSystemId } = request.params as { articleSystemId: string };
        const article = owner.articles.get(Number(articleSystemId));
        if (!article) throw new SandboxHttpError(404, `Article ${articleSystemId} was not found.`);
        return articleView(state, owner, article);
      });

      api.get('/warehouses', async (request) => {
        const owner = ownerOf(request);
        return owner.warehouses.map((w) => ({ id: w.warehouseId, code: w.code, name: w.name }));
      });

      api.get('/inventoryAdjustments', async (request) => {
        const owner = ownerOf(request);
        const q = request.query as Query;
        checkGoodsOwnerId(owner, one(q.goodsOwnerId));
        const from = timeParam(one(q.from), 'from');
        // Ongoing's end of the period is `toTime` ("made before this time"); its `to` is "obsolete, do not use", and
        // the sandbox ignores it.
        const to = timeParam(one(q.toTime), 'toTime');
        return inventoryAdjustmentsView(
          owner,
          owner.adjustments.filter((a) => {
            const t = Date.parse(a.inventoryTime);
            return (from === undefined || t >= from) && (to === undefined || t < to);
          }),
        );
      });

      // ---- orders ----
      api.put('/orders', async (request, reply) => {
        const owner = ownerOf(request);
        const body = orderBody.parse(request.body);
        checkGoodsOwnerId(owner, body.goodsOwnerId);
        const { order, created } = state.upsertOrder(owner, body);
        return reply
          .code(created ? 201 : 200)
          .send({ orderId: order.orderId, message: created ? 'Order created.' : 'Order updated.' });
      });

      api.get('/orders', async (request) => {
        const owner = ownerOf(request);
        const q = request.query as Query;
        checkGoodsOwnerId(owner, one(q.goodsOwnerId));
        const orderNumber = one(q.orderNumber);
        const statusFrom = intParam(one(q.orderStatusFrom), 'orderStatusFrom');
        const statusTo = intParam(one(q.orderStatusTo), 'orderStatusTo');
        const changedFrom = timeParam(one(q.orderStatusChangedTimeFrom), 'orderStatusChangedTimeFrom');
        const shippedFrom = timeParam(one(q.shippedTimeFrom), 'shippedTimeFrom');
        const shippedTo = timeParam(one(q.shippedTimeTo), 'shippedTimeTo');
        const shipped = (o: { shippedTime: string | null }) =>
          o.shippedTime === null ? undefined : Date.parse(o.shippedTime);
        const idFrom = intParam(one(q.orderIdFrom), 'orderIdFrom');
        const max = intParam(one(q.maxOrdersToGet), 'maxOrdersToGet');
        const toReport = one(q.onlyOrdersWithOrderLinesToReport) === 'true';
        let list = [...owner.orders.values()]
          .filter((o) => orderNumber === undefined || o.orderNumber === orderNumber)
          .filter((o) => statusFrom === undefined || o.statusNumber >= statusFrom)
          .filter((o) => statusTo === undefined || o.statusNumber <= statusTo)
          .filter((o) => changedFrom === undefined || Date.parse(o.statusChangedTime) >= changedFrom)
          .filter((o) => shippedFrom === undefined || (shipped(o) ?? -Infinity) >= shippedFrom)
          // "Marked as shipped before this time": an order not shipped is not before anything.
          .filter((o) => shippedTo === undefined || (shipped(o) ?? Infinity) < shippedTo)
          .filter((o) => idFrom === undefined || o.orderId >= idFrom)
          .filter((o) => !toReport || o.lines.some((l) => l.pickedNumberOfItems !== (l.reportedNumberOfItems ?? 0)))
          .sort((a, b) => a.orderId - b.orderId);
        refuseUnpaged(owner, max, list.length, 'orderIdFrom and maxOrdersToGet');
        if (max !== undefined) list = list.slice(0, max);
        return list.map((o) => orderView(owner, o));
      });

      api.get('/orders/:orderId', async (request) => {
        const owner = ownerOf(request);
        const { orderId } = request.params as { orderId: string };
        return orderView(owner, state.order(owner, Number(orderId)));
      });

      // Ongoing: "This function requires an additional permission for the API user". Without it: 403, as for a goods
      // owner the user may not access.
      api.get('/orders/:orderId/invoiceCharges', async (request) => {
        const owner = ownerOf(request);
        if (!owner.permissions.invoiceCharges) {
          throw new SandboxHttpError(403, 'The API user does not have the permission to read invoice charges.');
        }
        const { orderId } = request.params as { orderId: string };
        return state.order(owner, Number(orderId)).invoiceCharges.map(invoiceChargeView);
      });

      api.delete('/orders/:orderId', async (request) => {
        const owner = ownerOf(request);
        const { orderId } = request.params as { orderId: string };
        const order = state.cancelOrderByGoodsOwner(owner, Number(orderId));
        return { orderId: order.orderId, message: 'Order cancelled.' };
      });

      api.patch('/orders/:orderId/setReportedNumberOfItemsToPickedNumberOfItems', async (request) => {
        const owner = ownerOf(request);
        const { orderId } = request.params as { orderId: string };
        const order = state.markOrderReported(owner, Number(orderId));
        return { orderId: order.orderId, message: 'Reported number of items set to picked number of items.' };
      });

      // ---- purchase orders ----
      api.put('/purchaseOrders', async (request, reply) => {
        const owner = ownerOf(request);
        const body = purchaseOrderBody.parse(request.body);
        checkGoodsOwnerId(owner, body.goodsOwnerId);
        const { purchaseOrder, created } = state.upsertPurchaseOrder(owner, body);
        return reply.code(created ? 201 : 200).send({
          purchaseOrderId: purchaseOrder.purchaseOrderId,
          message: created ? 'Purchase order created.' : 'Purchase order updated.',
        });
      });

      api.get('/purchaseOrders', async (request) => {
        const owner = ownerOf(request);
        const q = request.query as Query;
        checkGoodsOwnerId(owner, one(q.goodsOwnerId));
        const number = one(q.purchaseOrderNumber);
        const statusFrom = intParam(one(q.purchaseOrderStatusFrom), 'purchaseOrderStatusFrom');
        const statusTo = intParam(one(q.purchaseOrderStatusTo), 'purchaseOrderStatusTo');
        const receivedFrom = timeParam(one(q.lastReceiveTimeFrom), 'lastReceiveTimeFrom');
        const receivedTo = timeParam(one(q.lastReceiveTimeTo), 'lastReceiveTimeTo');
        const idFrom = intParam(one(q.purchaseOrderIdFrom), 'purchaseOrderIdFrom');
        const max = intParam(one(q.maxPurchaseOrdersToGet), 'maxPurchaseOrdersToGet');
        const numbers = q.purchaseOrderNumbers === undefined ? undefined : new Set(many(q.purchaseOrderNumbers));
        const toReport = one(q.onlyPurchaseOrdersWithOrderLinesToReport) === 'true';
        const received = (po: { lastReceiveTime?: string }) =>
          po.lastReceiveTime ? Date.parse(po.lastReceiveTime) : undefined;
        let list = [...owner.purchaseOrders.values()]
          .filter((po) => number === undefined || po.purchaseOrderNumber === number)
          .filter((po) => numbers === undefined || numbers.has(po.purchaseOrderNumber))
          // Ongoing: "at least one line has ReportedNumberOfItems != ReceivedNumberOfItems"; a line never reported counts as 0.
          .filter((po) => !toReport || po.lines.some((l) => l.receivedNumberOfItems !== (l.reportedNumberOfItems ?? 0)))
          .filter((po) => statusFrom === undefined || po.statusNumber >= statusFrom)
          .filter((po) => statusTo === undefined || po.statusNumber <= statusTo)
          .filter((po) => receivedFrom === undefined || (received(po) ?? -Infinity) >= receivedFrom)
          .filter((po) => receivedTo === undefined || (received(po) ?? Infinity) < receivedTo)
          .filter((po) => idFrom === undefined || po.purchaseOrderId >= idFrom)
          .sort((a, b) => a.purchaseOrderId - b.purchaseOrderId);
        refuseUnpaged(owner, max, list.length, 'purchaseOrderIdFrom and maxPurchaseOrdersToGet');
        if (max !== undefined) list = list.slice(0, max);
        return list.map((po) => purchaseOrderView(owner, po));
      });

      api.get('/purchaseOrders/:purchaseOrderId', async (request) => {
        const owner = ownerOf(request);
        const { purchaseOrderId } = request.params as { purchaseOrderId: string };
        return purchaseOrderView(owner, state.purchaseOrder(owner, Number(purchaseOrderId)));
      });

      api.patch(
        '/purchaseOrders/:purchaseOrderId/lines/:purchaseOrderLineId/reportedNumberOfItems',
        async (request) => {
          const owner = ownerOf(request);
          const { purchaseOrderId, purchaseOrderLineId } = request.params as {
            purchaseOrderId: string;
            purchaseOrderLineId: string;
          };
          const { reportedNumberOfItems } = reportedNumberOfItemsBody.parse(request.body);
          const po = state.setPurchaseOrderLineReported(
            owner,
            Number(purchaseOrderId),
            Number(purchaseOrderLineId),
            reportedNumberOfItems,
          );
          return { purchaseOrderId: po.purchaseOrderId, message: 'Reported number of items updated.' };
        },
      );
    },
    { prefix: API_PREFIX },
  );
}
