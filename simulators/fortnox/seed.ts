// Demo data for a tenant: customers, suppliers, stock-goods articles with opening stock, and sent orders.
import { createArticle } from './rest/articles';
import { createOrder } from './rest/orders';
import { createCustomer, createSupplier } from './rest/registers';
import type { Json, SandboxState, Tenant } from './state';

export interface SeedResult {
  customers: string[];
  suppliers: string[];
  articles: string[];
  orders: string[];
  openingStock: { type: string; id: string } | { articleRegister: true };
}

const CUSTOMERS = [
  {
    Name: 'Kaffekompaniet i Umeå AB',
    Address1: 'Storgatan 12',
    ZipCode: '903 26',
    City: 'Umeå',
    Email: 'order@kaffekompaniet.se',
    Phone1: '090-123 45',
  },
  {
    Name: 'Fjällbutiken Åre',
    Address1: 'Årevägen 3',
    ZipCode: '837 52',
    City: 'Åre',
    Email: 'info@fjallbutiken.se',
    Phone1: '0647-500 00',
  },
  {
    Name: 'Skärgårdshandeln HB',
    Address1: 'Hamnen 1',
    ZipCode: '130 39',
    City: 'Sandhamn',
    Email: 'handel@skargard.se',
    Phone1: '08-571 530 00',
  },
];

const SUPPLIERS = [
  { Name: 'Nordiska Grossisten AB', City: 'Göteborg', Email: 'sales@grossisten.se' },
  { Name: 'Småländska Trävaror', City: 'Växjö', Email: 'order@smatra.se' },
];

const ARTICLES: Array<[string, string, number, number, number]> = [
  // ArticleNumber, Description, PurchasePrice, SalesPrice, opening stock
  ['A100', 'Kaffebryggare 1,2 l', 320, 599, 40],
  ['A101', 'Termos 1 l', 95, 199, 60],
  ['A102', 'Kaffekopp keramik', 28, 69, 200],
  ['A103', 'Skärbräda ek', 140, 299, 35],
  ['A104', 'Fjällryggsäck 30 l', 450, 899, 20],
  ['A105', 'Ullsockor par', 45, 119, 150],
  ['A106', 'Pannlampa LED', 110, 249, 80],
  ['A107', 'Grytlapp linne', 18, 49, 300],
  ['A108', 'Vattenflaska stål', 75, 179, 90],
  ['A109', 'Sittunderlag', 35, 89, 120],
];

/** Seeding twice must not collide with the first round's article numbers. */
function uniqueNumber(tenant: Tenant, base: string): string {
  let candidate = base;
  for (let n = 2; tenant.articles.has(candidate); n += 1) candidate = `${base}-${n}`;
  return candidate;
}

export function seedTenant(state: SandboxState, tenant: Tenant): SeedResult {
  const now = state.clock.nowMs();
  const today = state.today();
  const suppliers = SUPPLIERS.map((s) => String(createSupplier(tenant, s, now).SupplierNumber));
  const customers = CUSTOMERS.map((c) =>
    String(
      createCustomer(
        tenant,
        {
          ...c,
          DeliveryName: c.Name,
          DeliveryAddress1: c.Address1,
          DeliveryZipCode: c.ZipCode,
          DeliveryCity: c.City,
          DeliveryCountry: 'Sverige',
        },
        now,
      ).CustomerNumber,
    ),
  );
  const articles = ARTICLES.map(([number, description, purchase, sales, opening], i) => {
    const input: Json = {
      ArticleNumber: uniqueNumber(tenant, number),
      Description: description,
      EAN: `73500000${String(10000 + i * 7 + tenant.articles.size).slice(-5)}`,
      Unit: 'st',
      Weight: 200 + i * 150,
      Width: 100 + i * 10,
      Height: 80 + i * 5,
      Depth: 60 + i * 4,
      StockGoods: true,
      SupplierNumber: suppliers[i % suppliers.length],
      PurchasePrice: purchase,
      SalesPrice: sales,
      ...(tenant.lager ? {} : { QuantityInStock: opening }),
    };
    return createArticle(tenant, input, now).ArticleNumber;
  });
  let openingStock: SeedResult['openingStock'] = { articleRegister: true };
  if (tenant.lager) {
    // Opening stock arrives as a released inbound document: FIFO lots at the purchase price.
    const id = String(tenant.warehouse.documents.size + 1);
    tenant.warehouse.saveDocument('INBOUND', 'SANDBOXOPENING', id, {
      date: today,
      rows: articles.map((itemId, i) => ({
        itemId,
        quantity: ARTICLES[i]?.[4] ?? 0,
        directCost: ARTICLES[i]?.[2] ?? 0,
      })),
      note: 'Sandbox opening stock',
    });
    tenant.warehouse.release('INBOUND', 'SANDBOXOPENING', id);
    openingStock = { type: 'SANDBOXOPENING', id };
  }
  const orders = [0, 1, 2, 3, 4].map((i) => {
    const rows = [articles[i], articles[(i + 3) % articles.length]].map((articleNumber, j) => ({
      ArticleNumber: articleNumber,
      OrderedQuantity: 1 + ((i + j) % 4),
    }));
    const order = createOrder(
      tenant,
      {
        CustomerNumber: customers[i % customers.length],
        YourOrderNumber: `WEB-${1000 + i}`,
        YourReference: 'Demo',
        Sent: true,
        Remarks: i === 2 ? 'Lämnas vid bakdörren' : '',
        OrderRows: rows,
      },
      now,
      today,
    );
    return String(order.DocumentNumber);
  });
  return { customers, suppliers, articles, orders, openingStock };
}
