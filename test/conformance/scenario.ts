// One run of the product against both sandboxes, through recording proxies: the product's own activities where they
// build request bodies (order, article, purchase-order and stock syncs, fulfilment reporting), the clients for the
// rest, and plain HTTP with the same credentials where no client method exists yet. Every call is recorded; a step
// that fails is noted and the run goes on, so one broken endpoint does not hide the others.
import got from 'got';
import { MockActivityEnvironment } from '@temporalio/testing';
import { tenantSchema } from '../../config/tenants';
import { createArticleActivities } from '../../activities/articles';
import { formatStockholmTimestamp, MemoryTokenStore, Pacer } from '../../activities/fortnox';
import { createFortnoxOrderActivities, createWmsOrderActivities } from '../../activities/orders';
import { integrationFailureInterceptor } from '../../activities/integration-error';
import { reportFulfilmentStepwise, type FulfilmentSteps } from '../../workflows/order/fulfilment';
import { createPurchaseOrderActivities } from '../../activities/purchase-orders';
import { createStockActivities } from '../../activities/stock';
import { TenantRegistry } from '../../activities/tenant-registry';
import { toWmsOrder } from '../../domain/order';
import { startFortnoxSandbox, type FortnoxSandbox } from '../../simulators/fortnox/server';
import { startWmsSandbox, type WmsSandbox } from '../../simulators/wms/server';
import { createTenant } from '../fortnox-client/sandbox';
import { clientCredentialsToken } from '../fortnox-sandbox/helpers';
import { control, type GoodsOwnerCredentials } from '../wms/helpers';
import { startRecorder, type Recorder } from './recorder';

export interface Scenario {
  fortnox: Recorder;
  wms: Recorder;
  /** Steps that threw: the product's call failed (at the sandbox, or parsing its answer). */
  failures: Array<{ step: string; error: string }>;
  close(): Promise<void>;
}

const stockholmDate = (offsetDays = 0) =>
  formatStockholmTimestamp(new Date(Date.now() + offsetDays * 86_400_000)).slice(0, 10);

export async function runScenario(): Promise<Scenario> {
  const fortnoxSandbox = await startFortnoxSandbox({ rateLimit: false });
  const wmsSandbox = await startWmsSandbox({ port: 0 });
  const fortnoxRecorder = await startRecorder(fortnoxSandbox.url);
  const wmsRecorder = await startRecorder(wmsSandbox.url, { stripPrefix: /^\/[^/]+\/api\/v1/ });
  const close = async () => {
    await fortnoxRecorder.close();
    await wmsRecorder.close();
    await fortnoxSandbox.close();
    await wmsSandbox.close();
  };
  try {
    return await runSteps(fortnoxSandbox, wmsSandbox, fortnoxRecorder, wmsRecorder, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function runSteps(
  fortnoxSandbox: FortnoxSandbox,
  wmsSandbox: WmsSandbox,
  fortnoxRecorder: Recorder,
  wmsRecorder: Recorder,
  close: () => Promise<void>,
): Promise<Scenario> {
  const failures: Scenario['failures'] = [];
  // With the worker's interceptor, so activities fail here as they fail under a worker.
  const env = new MockActivityEnvironment(undefined, { interceptors: [integrationFailureInterceptor] });
  /** Runs one of the product's activities in a mocked activity context (heartbeats, cancellation), typed. */
  const activity = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    env.run(fn as (...args: unknown[]) => Promise<R>, ...args);

  async function step<T>(name: string, action: () => Promise<T>): Promise<T | undefined> {
    fortnoxRecorder.setStep(name);
    wmsRecorder.setStep(name);
    try {
      return await action();
    } catch (error) {
      failures.push({ step: name, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }

  /** A tenant of the product: a Fortnox tenant and a WMS goods owner, both reached through the recorders. */
  async function productTenant(id: string, lager: boolean, stockPoints: Record<string, string>) {
    const fortnoxTenant = await createTenant(fortnoxSandbox.url, { lager });
    const owner = await control<GoodsOwnerCredentials>(wmsSandbox, 'POST', '/goods-owners', {
      name: `Conformance ${id}`,
    });
    const tenant = tenantSchema.parse({
      id,
      fortnox: {
        apiBaseUrl: fortnoxRecorder.url,
        authBaseUrl: fortnoxSandbox.url,
        auth: {
          mode: 'client_credentials',
          clientId: fortnoxTenant.clientId,
          clientSecret: fortnoxTenant.clientSecret,
          tenantId: fortnoxTenant.tenantId,
        },
      },
      wms: {
        baseUrl: `${wmsRecorder.url}/${owner.warehouse}`,
        username: owner.username,
        password: owner.password,
        goodsOwnerId: owner.goodsOwnerId,
        webhook: { auth: 'off' },
      },
      settings: { stockPoints, notifications: { sms: true, email: true } },
    });
    const floor = (method: 'POST' | 'PUT', path: string, body?: unknown) =>
      control<Record<string, unknown>>(wmsSandbox, method, `/goods-owners/${owner.goodsOwnerId}${path}`, body);
    return { tenant, fortnoxTenant, owner, floor };
  }

  const main = await productTenant('conformance', true, { Main: 'LAGER' });
  const plain = await productTenant('conformance-plain', false, {});
  const registry = new TenantRegistry([main.tenant, plain.tenant], {
    tokenStore: new MemoryTokenStore(),
    pacer: new Pacer({ requests: 1_000_000, safety: { requests: 0 } }),
  });
  const fortnox = registry.fortnox(main.tenant.id);
  const wms = registry.wms(main.tenant.id);
  const orders = { ...createFortnoxOrderActivities(registry), ...createWmsOrderActivities(registry) };
  const lagerActive = createPurchaseOrderActivities(registry).lagerActive;
  const articles = createArticleActivities(registry);
  const purchaseOrders = createPurchaseOrderActivities(registry);
  const stock = createStockActivities(registry);
  const yesterday = stockholmDate(-1);
  const since = new Date(Date.now() - 3_600_000);

  // ---- Fortnox registers, through the client ----
  await step('client: company information and Lager activation', async () => {
    await fortnox.getCompanyInformation();
    await fortnox.getWarehouseTenant();
  });
  const customer = await step('client: create customer', () =>
    fortnox.createCustomer({
      Name: 'Kund AB',
      Address1: 'Storgatan 1',
      ZipCode: '111 22',
      City: 'Stockholm',
      CountryCode: 'SE',
      Email: 'info@kund.se',
      Phone1: '08-123 456 78',
      OrganisationNumber: '556677-8899',
      Currency: 'SEK',
    }),
  );
  const customerNumber = customer?.CustomerNumber ?? '1';
  await step('client: read customers', async () => {
    await fortnox.getCustomer(customerNumber);
    await fortnox.listCustomers({ lastModifiedSince: since, page: 1, limit: 100 });
  });
  const supplier = await step('client: create supplier', () =>
    fortnox.createSupplier({
      Name: 'Nordic Widgets AB',
      Address1: 'Industrivägen 1',
      ZipCode: '411 01',
      City: 'Göteborg',
      CountryCode: 'SE',
      Email: 'order@nordicwidgets.se',
      Phone1: '031-123 45 67',
      OrganisationNumber: '556123-4567',
    }),
  );
  const supplierNumber = supplier?.SupplierNumber ?? '1';
  await step('client: read and update supplier', async () => {
    await fortnox.getSupplier(supplierNumber);
    await fortnox.updateSupplier(supplierNumber, { Email: 'inkop@nordicwidgets.se' });
    await fortnox.listSuppliers({ lastModifiedSince: since, page: 1, limit: 100 });
  });
  for (const [ArticleNumber, Description, PurchasePrice] of [
    ['WIDGET-1', 'Widget, blue', 40],
    ['GADGET-1', 'Gadget deluxe', 100],
  ] as const) {
    await step(`client: create article ${ArticleNumber}`, () =>
      fortnox.createArticle({
        ArticleNumber,
        Description,
        StockGoods: true,
        Type: 'STOCK',
        Unit: 'st',
        EAN: '7350000000011',
        Weight: 400,
        Width: 100,
        Height: 50,
        Depth: 200,
        SupplierNumber: supplierNumber,
        PurchasePrice,
        SalesPrice: PurchasePrice * 2.5,
        VAT: 25,
      }),
    );
  }
  await step('client: update article', () => fortnox.updateArticle('WIDGET-1', { SalesPrice: 110 }));

  // ---- Fortnox Lager, through the client ----
  await step('client: stock points', async () => {
    await fortnox.listStockPoints();
    await fortnox.createStockPoint({ code: 'GBG', name: 'Göteborg' });
  });
  await step('plain HTTP (no client method): GET stockpoints-v1/{id}', async () => {
    const token = await clientCredentialsToken(fortnoxSandbox, main.fortnoxTenant);
    await got(`${fortnoxRecorder.url}/api/warehouse/stockpoints-v1/LAGER`, {
      headers: { authorization: `Bearer ${token}` },
      throwHttpErrors: false,
    });
  });
  await step('client: inbound document, saved, read, released', async () => {
    await fortnox.putInboundDocument('CONF-IN', '1', {
      date: yesterday,
      note: 'Opening stock',
      rows: [
        { itemId: 'WIDGET-1', quantity: 10, directCost: 40, stockPointCode: 'LAGER' },
        { itemId: 'GADGET-1', quantity: 20, directCost: 100, stockPointCode: 'LAGER' },
      ],
    });
    await fortnox.getInboundDocument('CONF-IN', '1');
    await fortnox.releaseDocument('inbound', 'CONF-IN', '1');
  });
  await step('client: inbound document, saved then voided', async () => {
    await fortnox.putInboundDocument('CONF-IN', '2', {
      date: yesterday,
      rows: [{ itemId: 'WIDGET-1', quantity: 1, directCost: 40 }],
    });
    await fortnox.voidDocument('inbound', 'CONF-IN', '2');
  });
  await step('client: outbound document, saved, read, voided', async () => {
    await fortnox.putOutboundDocument('CONF-OUT', '1', {
      date: yesterday,
      deliveryState: 'reservation',
      rows: [{ itemId: 'GADGET-1', quantity: 1 }],
    });
    await fortnox.getOutboundDocument('CONF-OUT', '1');
    await fortnox.voidDocument('outbound', 'CONF-OUT', '1', { force: true });
  });
  await step('client: outbound document released', async () => {
    await fortnox.putOutboundDocument('CONF-OUT', '2', {
      date: yesterday,
      deliveryState: 'delivery',
      rows: [{ itemId: 'GADGET-1', quantity: 1 }],
    });
    await fortnox.releaseDocument('outbound', 'CONF-OUT', '2');
  });
  await step('client: stock balance', () => fortnox.getStockBalance({ itemIds: ['WIDGET-1', 'GADGET-1'] }));

  // ---- articles into the WMS: the article sync builds PUT /articles ----
  await step('article sync (syncChangedArticles)', () => activity(articles.syncChangedArticles, main.tenant.id, null));
  await step('WMS floor: stock counts', async () => {
    await main.floor('POST', '/stock-adjustments', {
      articleNumber: 'WIDGET-1',
      warehouse: 'Main',
      count: 30,
      reason: 'count',
    });
    await main.floor('POST', '/stock-adjustments', {
      articleNumber: 'GADGET-1',
      warehouse: 'Main',
      count: 5,
      reason: 'count',
    });
    await main.floor('POST', '/stock-adjustments', {
      articleNumber: 'WIDGET-1',
      warehouse: 'Main',
      delta: -1,
      reason: 'damage',
    });
  });
  await step('client: WMS warehouses, inventory, adjustments, article', async () => {
    await wms.listWarehouses();
    await wms.getInventoryPerWarehouse();
    await wms.getHistoricalInventory(new Date());
    await wms.listInventoryAdjustments({ from: since, to: new Date(Date.now() + 60_000) });
    const article = await wms.getArticleByNumber('WIDGET-1');
    if (article) await wms.getArticle(article.articleSystemId);
  });

  // ---- orders: Fortnox → WMS (toWmsOrder + upsertWmsOrder), fulfilment back (reportFulfilment) ----
  const orderInput = (withDeliveryDate: boolean) => ({
    CustomerNumber: customerNumber,
    YourOrderNumber: 'PO-7781',
    YourReference: 'Bertil Berg',
    Remarks: 'Leverans via lastkaj 2',
    DeliveryName: 'Kund AB Lager',
    DeliveryAddress1: 'Lagervägen 4',
    DeliveryZipCode: '151 36',
    DeliveryCity: 'Södertälje',
    DeliveryCountry: 'Sverige',
    Phone1: '0701234567',
    EmailInformation: { EmailAddressTo: 'inkop@kund.se' },
    Sent: true,
    ...(withDeliveryDate ? { DeliveryDate: stockholmDate(2) } : {}),
    OrderRows: [
      { ArticleNumber: 'WIDGET-1', OrderedQuantity: 2, Price: 110 },
      { ArticleNumber: 'GADGET-1', OrderedQuantity: 1, Price: 250 },
      { Description: 'Fraktfritt över 500 kr' },
    ],
  });
  const first = await step('client: create order (with DeliveryDate)', () => fortnox.createOrder(orderInput(true)));
  const second = await step('client: create order (without DeliveryDate)', () =>
    fortnox.createOrder(orderInput(false)),
  );
  const toWms = async (documentNumber: string | undefined) => {
    const snapshot = documentNumber ? await activity(orders.fetchFortnoxOrder, main.tenant.id, documentNumber) : null;
    if (!snapshot) throw new Error('no Fortnox order to send');
    return activity(orders.upsertWmsOrder, main.tenant.id, toWmsOrder(snapshot, main.tenant.settings.notifications));
  };
  const firstWms = await step('order sync: toWmsOrder + upsertWmsOrder (order with DeliveryDate)', () =>
    toWms(first?.DocumentNumber),
  );
  const secondWms = await step('order sync: toWmsOrder + upsertWmsOrder (order without DeliveryDate)', () =>
    toWms(second?.DocumentNumber),
  );
  await step('order workflow: findWmsOrder', () =>
    activity(orders.findWmsOrder, main.tenant.id, first?.DocumentNumber ?? ''),
  );
  await step('WMS floor: release, allocate, pick, send', async () => {
    const path = `/orders/${firstWms?.orderId}`;
    await main.floor('POST', `${path}/release`);
    await main.floor('POST', `${path}/allocate`);
    await main.floor('POST', `${path}/pick`, {});
    await main.floor('POST', `${path}/send`, { parcels: 1 });
  });
  await step('order workflow: findWmsOrder (sent, with parcels)', () =>
    activity(orders.findWmsOrder, main.tenant.id, first?.DocumentNumber ?? ''),
  );
  const view = await step('order workflow: getWmsOrder', () =>
    activity(orders.getWmsOrder, main.tenant.id, firstWms?.orderId ?? 0),
  );
  const report = await step('order workflow: report, one request per activity', async () => {
    // The workflow's own report logic (workflows/order/fulfilment.ts), each step run as the activity it is.
    const steps: FulfilmentSteps = {
      fetchFortnoxOrder: (t, d) => activity(orders.fetchFortnoxOrder, t, d),
      readFortnoxOrderForReport: (t, d) => activity(orders.readFortnoxOrderForReport, t, d),
      moveFortnoxOrderToDelivery: (t, d) => activity(orders.moveFortnoxOrderToDelivery, t, d),
      createInvoiceFromOrder: (t, d) => activity(orders.createInvoiceFromOrder, t, d),
      lagerActive: (t) => activity(lagerActive, t),
      writeDeliveredQuantities: (t, d, rows) => activity(orders.writeDeliveredQuantities, t, d, rows),
      pause: async () => undefined,
    };
    const outcome = await reportFulfilmentStepwise(
      steps,
      main.tenant.id,
      first?.DocumentNumber ?? '',
      view?.pickedLines ?? [],
    );
    if (outcome.outcome !== 'invoiced')
      throw new Error(`expected the order to be invoiced: ${JSON.stringify(outcome)}`);
    return outcome;
  });
  await step('order workflow: markWmsOrderReported', () =>
    activity(orders.markWmsOrderReported, main.tenant.id, firstWms?.orderId ?? 0),
  );
  await step('order workflow: cancelWmsOrder', () =>
    activity(orders.cancelWmsOrder, main.tenant.id, secondWms?.orderId ?? 0),
  );
  await step('client: cancel Fortnox order', () => fortnox.cancelOrder(second?.DocumentNumber ?? ''));
  await step('client: list orders', () => fortnox.listAllOrders({ lastModifiedSince: since }));
  await step('client: WMS orders to report', () =>
    wms.listOrders({ orderStatusFrom: 450, orderStatusTo: 500, onlyOrdersWithOrderLinesToReport: true }),
  );
  await step('client: invoice charges of the sent order', () => wms.getOrderInvoiceCharges(firstWms?.orderId ?? 0));

  // ---- invoices, through the client ----
  const invoiceNumber = report && 'invoiceNumber' in report ? report.invoiceNumber : undefined;
  await step('client: read invoices', async () => {
    if (invoiceNumber) await fortnox.getInvoice(invoiceNumber);
    await fortnox.listInvoices({ customerNumber, lastModifiedSince: since, page: 1, limit: 100 });
  });
  await step('client: create invoice', () =>
    fortnox.createInvoice({
      CustomerNumber: customerNumber,
      InvoiceDate: stockholmDate(),
      ExternalInvoiceReference1: 'wms-billing:conformance:2024-05',
      YourReference: 'Cecilia',
      InvoiceRows: [
        { ArticleNumber: 'WIDGET-1', Description: 'Plock per orderrad', DeliveredQuantity: 12, Price: 4.5, VAT: 25 },
      ],
    }),
  );

  // ---- purchase orders: Fortnox → WMS (a to-WMS page builds PUT /purchaseOrders), receipts back and marked reported ----
  const purchaseOrder = await step('client: create Lager purchase order', () =>
    fortnox.createPurchaseOrder({
      supplierNumber,
      orderDate: stockholmDate(),
      deliveryDate: stockholmDate(7),
      currencyCode: 'SEK',
      currencyRate: 1,
      paymentTermsCode: '30',
      deliveryName: '3PL Lager AB',
      deliveryAddress: 'Lagervägen 4',
      deliveryZipCode: '151 36',
      deliveryCity: 'Södertälje',
      stockPointCode: 'LAGER',
      note: 'Leverans till port 2',
      rows: [{ itemId: 'WIDGET-1', orderedQuantity: 10, price: 40 }],
    }),
  );
  await step('purchase-order sync (syncPurchaseOrdersToWms): to the WMS', async () => {
    const result = await activity(purchaseOrders.syncPurchaseOrdersToWms, main.tenant.id, { after: null, limit: 100 });
    if (result.createdInWms !== 1)
      throw new Error(`expected one purchase order created in the WMS: ${JSON.stringify(result)}`);
  });
  const wmsPurchaseOrder = await step('client: WMS purchase order by number', () =>
    wms.getPurchaseOrderByNumber(String(purchaseOrder?.id ?? '')),
  );
  await step('WMS floor: receive 4 of 10', () =>
    main.floor('POST', `/purchase-orders/${wmsPurchaseOrder?.purchaseOrderInfo.purchaseOrderId}/receive`, {
      lines: [{ rowNumber: wmsPurchaseOrder?.purchaseOrderLines[0]?.rowNumber ?? '1', receivedNumberOfItems: 4 }],
    }),
  );
  await step('purchase-order sync (postPurchaseOrderReceipts): receipt to Fortnox', async () => {
    const result = await activity(purchaseOrders.postPurchaseOrderReceipts, main.tenant.id, { from: 0, limit: 100 });
    if (result.receiptsPosted !== 1) throw new Error(`expected one receipt posted: ${JSON.stringify(result)}`);
  });
  await step('client: read Lager purchase order', () => fortnox.getPurchaseOrder(purchaseOrder?.id ?? ''));
  await step('plain HTTP (no client method): GET /purchaseOrders/{purchaseOrderId}', () =>
    got(`${main.tenant.wms.baseUrl}/api/v1/purchaseOrders/${wmsPurchaseOrder?.purchaseOrderInfo.purchaseOrderId}`, {
      username: main.tenant.wms.username,
      password: main.tenant.wms.password,
      throwHttpErrors: false,
    }),
  );

  // ---- stock sync: with Lager it builds the custom inbound/outbound documents, without it PUT /3/articles ----
  await step('stock sync with Lager (syncStockLevels)', async () => {
    const result = await activity(stock.syncStockLevels, main.tenant.id, Date.now());
    if (!result.inboundRows || !result.outboundRows)
      throw new Error(`expected inbound and outbound rows: ${JSON.stringify(result)}`);
  });
  await step('client: document types', () => fortnox.listDocumentTypes());
  await step('stock sync without Lager: set-up', async () => {
    await registry
      .fortnox(plain.tenant.id)
      .createArticle({ ArticleNumber: 'PLAIN-1', Description: 'Plain article', StockGoods: true, Unit: 'st' });
    await registry
      .wms(plain.tenant.id)
      .upsertArticle({ articleNumber: 'PLAIN-1', articleName: 'Plain article', isStockArticle: true });
    await plain.floor('POST', '/stock-adjustments', {
      articleNumber: 'PLAIN-1',
      warehouse: 'Main',
      count: 7,
      reason: 'count',
    });
  });
  await step('stock sync without Lager (syncStockLevels)', async () => {
    const result = await activity(stock.syncStockLevels, plain.tenant.id, Date.now());
    if (!result.articlesUpdated) throw new Error(`expected QuantityInStock written: ${JSON.stringify(result)}`);
  });

  return { fortnox: fortnoxRecorder, wms: wmsRecorder, failures, close };
}
