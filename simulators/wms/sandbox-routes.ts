// Sandbox controls under /_sandbox: goods owners, reset, seed, webhooks, invoicing, the warehouse floor, faults, calls.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Autopilot } from './autopilot';
import { installLocalControlGuard } from '../local-control-guard';
import { setFaultRules } from './faults';
import {
  addLineBody,
  bulkPurchaseOrdersBody,
  limitsBody,
  autopilotBody,
  faultsBody,
  goodsOwnerBody,
  invoiceArticlesBody,
  permissionsBody,
  pickBody,
  receiveBody,
  sendBody,
  stockAdjustmentBody,
  webhookBody,
} from './requests';
import type { WmsSandboxState } from './state';
import type { WebhookAuthConfig } from './types';
import type { WebhookDispatcher } from './webhooks';
import { articleView, orderView, purchaseOrderView } from './views';

/** The state view shows which authentication a webhook uses, not its password or secret. */
function hideSecrets(auth: WebhookAuthConfig): WebhookAuthConfig {
  if (auth.type === 'basic') return { ...auth, password: '***' };
  if (auth.type === 'hmac') return { ...auth, secret: '***' };
  return auth;
}

export function registerSandboxRoutes(
  app: FastifyInstance,
  deps: { state: WmsSandboxState; webhooks: WebhookDispatcher; autopilot: Autopilot; listenHost?: string },
): void {
  const { state, webhooks, autopilot } = deps;
  const ownerOf = (request: FastifyRequest) =>
    state.goodsOwner(Number((request.params as { goodsOwnerId: string }).goodsOwnerId));
  const orderIdOf = (request: FastifyRequest) => Number((request.params as { orderId: string }).orderId);

  app.register(
    async (sb) => {
      // The controls alone are guarded against browser pages: the Ongoing API keeps answering whatever Host it gets.
      installLocalControlGuard(sb, { listenHost: deps.listenHost });
      sb.post('/goods-owners', async (request, reply) => {
        const { name } = goodsOwnerBody.parse(request.body);
        const owner = state.createGoodsOwner(name);
        return reply.code(201).send({
          goodsOwnerId: owner.goodsOwnerId,
          username: owner.username,
          password: owner.password,
          warehouse: state.warehouse,
        });
      });

      sb.post('/reset', async () => {
        webhooks.cancelAll();
        state.reset();
        return { ok: true };
      });

      sb.post('/goods-owners/:goodsOwnerId/seed', async (request) => {
        const owner = ownerOf(request);
        state.seed(owner);
        return { articles: [...owner.articles.values()].map((a) => articleView(state, owner, a)) };
      });

      sb.get('/goods-owners/:goodsOwnerId/state', async (request) => {
        const owner = ownerOf(request);
        return {
          goodsOwnerId: owner.goodsOwnerId,
          name: owner.name,
          warehouses: owner.warehouses,
          articles: [...owner.articles.values()].map((a) => articleView(state, owner, a)),
          orders: [...owner.orders.values()].map((o) => orderView(owner, o)),
          purchaseOrders: [...owner.purchaseOrders.values()].map((po) => purchaseOrderView(owner, po)),
          invoiceArticles: owner.invoiceArticles,
          permissions: owner.permissions,
          webhook: owner.webhook ? { ...owner.webhook, auth: hideSecrets(owner.webhook.auth) } : null,
          webhookAttempts: owner.webhookAttempts,
          calls: owner.calls,
          faults: owner.faultRules.map(({ random: _r, ...rule }) => rule),
        };
      });

      // ---- webhooks ----
      sb.put('/goods-owners/:goodsOwnerId/webhooks', async (request) => {
        const owner = ownerOf(request);
        owner.webhook = webhookBody.parse(request.body);
        return owner.webhook;
      });
      sb.get('/goods-owners/:goodsOwnerId/webhooks', async (request, reply) => {
        const owner = ownerOf(request);
        if (!owner.webhook) return reply.code(404).send({ message: 'No webhook configured.' });
        return owner.webhook;
      });
      sb.delete('/goods-owners/:goodsOwnerId/webhooks', async (request) => {
        const owner = ownerOf(request);
        owner.webhook = undefined;
        return { ok: true };
      });
      sb.get('/goods-owners/:goodsOwnerId/webhook-attempts', async (request) => ownerOf(request).webhookAttempts);

      // ---- invoicing: what sent orders are charged, and the API user's permission to read it ----
      sb.put('/goods-owners/:goodsOwnerId/invoice-articles', async (request) => {
        const owner = ownerOf(request);
        return { articles: state.setInvoiceArticles(owner, invoiceArticlesBody.parse(request.body).articles) };
      });
      sb.get('/goods-owners/:goodsOwnerId/invoice-articles', async (request) => ({
        articles: ownerOf(request).invoiceArticles,
      }));
      sb.put('/goods-owners/:goodsOwnerId/permissions', async (request) => {
        const owner = ownerOf(request);
        owner.permissions = permissionsBody.parse(request.body);
        return owner.permissions;
      });
      sb.get('/goods-owners/:goodsOwnerId/permissions', async (request) => ownerOf(request).permissions);

      // ---- the warehouse floor ----
      sb.post('/goods-owners/:goodsOwnerId/orders/:orderId/release', async (request) => {
        const owner = ownerOf(request);
        return orderView(owner, state.release(owner, orderIdOf(request)));
      });
      sb.post('/goods-owners/:goodsOwnerId/orders/:orderId/allocate', async (request) => {
        const owner = ownerOf(request);
        return orderView(owner, state.allocate(owner, orderIdOf(request)));
      });
      sb.post('/goods-owners/:goodsOwnerId/orders/:orderId/pick', async (request) => {
        const owner = ownerOf(request);
        const { lines } = pickBody.parse(request.body);
        return orderView(owner, state.pick(owner, orderIdOf(request), lines));
      });
      sb.post('/goods-owners/:goodsOwnerId/orders/:orderId/send', async (request) => {
        const owner = ownerOf(request);
        return orderView(owner, state.send(owner, orderIdOf(request), sendBody.parse(request.body)));
      });
      sb.post('/goods-owners/:goodsOwnerId/orders/:orderId/cancel', async (request) => {
        const owner = ownerOf(request);
        return orderView(owner, state.cancelOnFloor(owner, orderIdOf(request)));
      });
      sb.post('/goods-owners/:goodsOwnerId/orders/:orderId/lines', async (request) => {
        const owner = ownerOf(request);
        return orderView(owner, state.addLineOnFloor(owner, orderIdOf(request), addLineBody.parse(request.body)));
      });
      sb.post('/goods-owners/:goodsOwnerId/purchase-orders/:purchaseOrderId/receive', async (request) => {
        const owner = ownerOf(request);
        const { purchaseOrderId } = request.params as { purchaseOrderId: string };
        const { lines, finish } = receiveBody.parse(request.body);
        return purchaseOrderView(owner, state.receivePurchaseOrder(owner, Number(purchaseOrderId), lines, finish));
      });
      sb.post('/goods-owners/:goodsOwnerId/purchase-orders/bulk', async (request, reply) => {
        const owner = ownerOf(request);
        const { purchaseOrders, receive } = bulkPurchaseOrdersBody.parse(request.body);
        const purchaseOrderIds = purchaseOrders.map((body) => {
          const { purchaseOrder } = state.upsertPurchaseOrder(owner, { ...body, goodsOwnerId: owner.goodsOwnerId });
          if (receive) state.receivePurchaseOrder(owner, purchaseOrder.purchaseOrderId);
          return purchaseOrder.purchaseOrderId;
        });
        return reply.code(201).send({ purchaseOrderIds });
      });
      sb.post('/goods-owners/:goodsOwnerId/stock-adjustments', async (request) => {
        const owner = ownerOf(request);
        const { article, delta } = state.adjustStock(owner, stockAdjustmentBody.parse(request.body));
        return { delta, article: articleView(state, owner, article) };
      });

      // ---- faults and call accounting ----
      sb.put('/goods-owners/:goodsOwnerId/faults', async (request) => {
        const owner = ownerOf(request);
        const { rules } = faultsBody.parse(request.body);
        setFaultRules(owner, rules);
        return { rules };
      });
      sb.delete('/goods-owners/:goodsOwnerId/faults', async (request) => {
        setFaultRules(ownerOf(request), []);
        return { rules: [] };
      });
      sb.get('/goods-owners/:goodsOwnerId/calls', async (request) => ownerOf(request).calls);
      // A test knob: list calls without a page size that match more than this many objects time out (null: never).
      sb.put('/goods-owners/:goodsOwnerId/limits', async (request) => {
        const owner = ownerOf(request);
        const { unpagedListLimit } = limitsBody.parse(request.body);
        owner.unpagedListLimit = unpagedListLimit ?? undefined;
        return { unpagedListLimit: owner.unpagedListLimit ?? null };
      });
      sb.delete('/goods-owners/:goodsOwnerId/calls', async (request) => {
        const owner = ownerOf(request);
        owner.calls = { total: 0, byRoute: {} };
        return owner.calls;
      });

      // ---- autopilot ----
      sb.put('/autopilot', async (request) => {
        autopilot.configure(autopilotBody.parse(request.body));
        return autopilot.status;
      });
      sb.get('/autopilot', async () => autopilot.status);
    },
    { prefix: '/_sandbox' },
  );
}
