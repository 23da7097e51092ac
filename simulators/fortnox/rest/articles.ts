// Articles (`/3/articles`): the article register; with Lager active its stock figures come from the warehouse.
import type { FastifyInstance } from 'fastify';
import { FortnoxApiError, FortnoxCode } from '../errors';
import type { Article, Json, Tenant } from '../state';
import {
  baseUrl,
  bool,
  booleanQuery,
  envelope,
  lastModifiedFilter,
  num,
  paginate,
  queryOf,
  sortItems,
  str,
  tenantOf,
} from './common';

/** Stock figures: owned by the warehouse when Lager is active, by the article register otherwise. */
export function stockFigures(
  tenant: Tenant,
  article: Article,
): { QuantityInStock: number; ReservedQuantity: number; DisposableQuantity: number; StockValue: number } {
  if (tenant.lager) {
    const w = tenant.warehouse;
    return {
      QuantityInStock: w.inStock(article.ArticleNumber),
      ReservedQuantity: w.reserved(article.ArticleNumber),
      DisposableQuantity: w.available(article.ArticleNumber),
      StockValue: w.stockValue(article.ArticleNumber),
    };
  }
  return {
    QuantityInStock: article.QuantityInStock,
    ReservedQuantity: article.ReservedQuantity,
    DisposableQuantity: article.QuantityInStock - article.ReservedQuantity,
    StockValue: Math.round(article.QuantityInStock * article.PurchasePrice * 100) / 100,
  };
}

function fullView(tenant: Tenant, article: Article, url: string): Json {
  const { lastModified: _lastModified, ...fields } = article;
  const supplier = article.SupplierNumber ? tenant.suppliers.get(article.SupplierNumber) : undefined;
  return {
    '@url': `${url}/3/articles/${encodeURIComponent(article.ArticleNumber)}`,
    ...fields,
    ...stockFigures(tenant, article),
    SupplierName: supplier ? String(supplier.data.Name ?? '') : '',
  };
}

/**
 * ArticleListItem types DisposableQuantity, PurchasePrice, SalesPrice, ReservedQuantity, StockValue and VAT as strings
 * (QuantityInStock alone is a number), unlike the full Article: the list answers them so.
 */
function listView(tenant: Tenant, article: Article, url: string): Json {
  const stock = stockFigures(tenant, article);
  return {
    '@url': `${url}/3/articles/${encodeURIComponent(article.ArticleNumber)}`,
    ArticleNumber: article.ArticleNumber,
    Description: article.Description,
    DisposableQuantity: String(stock.DisposableQuantity),
    EAN: article.EAN,
    Housework: false,
    PurchasePrice: String(article.PurchasePrice),
    QuantityInStock: stock.QuantityInStock,
    ReservedQuantity: String(stock.ReservedQuantity),
    SalesPrice: String(article.SalesPrice),
    StockPlace: article.StockPlace,
    StockValue: String(stock.StockValue),
    Unit: article.Unit,
    VAT: String(article.VAT),
    WebshopArticle: article.WebshopArticle,
  };
}

const intOrNull = (value: unknown, field: string): number | null => {
  if (value === null || value === '') return null;
  const n = num(value, field);
  if (!Number.isInteger(n)) throw new FortnoxApiError(400, 2000108, `Värdet måste vara ett heltal (${field}).`);
  return n;
};

/** Applies the fields present in `input`; stock fields are refused silently under Lager (the warehouse owns them). */
function applyArticleInput(tenant: Tenant, article: Article, input: Json): void {
  const strings = ['EAN', 'Unit', 'StockPlace', 'Note', 'Manufacturer'] as const;
  for (const f of strings) if (input[f] !== undefined) article[f] = str(input[f], f);
  if (input.Description !== undefined) {
    const d = str(input.Description, 'Description', 200);
    if (d.trim() === '')
      throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, 'Benämning måste anges (Description).');
    article.Description = d;
  }
  for (const f of ['Weight', 'Width', 'Height', 'Depth'] as const)
    if (input[f] !== undefined) article[f] = intOrNull(input[f], f);
  for (const f of ['PurchasePrice', 'SalesPrice', 'VAT'] as const)
    if (input[f] !== undefined) article[f] = num(input[f], f);
  for (const f of ['StockGoods', 'Active', 'Expired', 'WebshopArticle'] as const)
    if (input[f] !== undefined) article[f] = bool(input[f], f);
  if (input.SupplierNumber !== undefined) {
    const s = str(input.SupplierNumber, 'SupplierNumber');
    if (s !== '' && !tenant.suppliers.has(s))
      throw new FortnoxApiError(400, FortnoxCode.SupplierNotFound, `Leverantören hittades inte (${s}).`);
    article.SupplierNumber = s;
  }
  if (input.Type !== undefined) {
    if (input.Type !== 'STOCK' && input.Type !== 'SERVICE')
      throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, 'Ogiltig typ (Type).');
    article.Type = input.Type;
  }
  if (input.DefaultStockPoint !== undefined)
    article.DefaultStockPoint =
      input.DefaultStockPoint === null ? null : str(input.DefaultStockPoint, 'DefaultStockPoint');
  if (input.DefaultStockLocation !== undefined)
    article.DefaultStockLocation =
      input.DefaultStockLocation === null ? null : str(input.DefaultStockLocation, 'DefaultStockLocation');
  if (!tenant.lager && input.QuantityInStock !== undefined)
    article.QuantityInStock = num(input.QuantityInStock, 'QuantityInStock');
}

/** Creates an article (also used by the seeder). */
export function createArticle(tenant: Tenant, input: Json, nowMs: number): Article {
  const requested = input.ArticleNumber;
  const number =
    requested === undefined || requested === ''
      ? String(++tenant.counters.article)
      : str(requested, 'ArticleNumber', 50);
  if (tenant.articles.has(number))
    throw new FortnoxApiError(400, FortnoxCode.ArticleNumberTaken, `Artikelnummer ${number} är redan upptaget.`);
  if (typeof input.Description !== 'string' || input.Description.trim() === '') {
    throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, 'Benämning måste anges (Description).');
  }
  const article: Article = {
    ArticleNumber: number,
    Description: '',
    EAN: '',
    Unit: 'st',
    Weight: null,
    Width: null,
    Height: null,
    Depth: null,
    StockGoods: false,
    QuantityInStock: 0,
    ReservedQuantity: 0,
    StockValue: 0,
    StockPlace: '',
    SupplierNumber: '',
    PurchasePrice: 0,
    SalesPrice: 0,
    VAT: 25,
    Active: true,
    Expired: false,
    Type: 'STOCK',
    DefaultStockPoint: null,
    DefaultStockLocation: null,
    WebshopArticle: false,
    Note: '',
    Manufacturer: '',
    lastModified: nowMs,
  };
  applyArticleInput(tenant, article, input);
  tenant.articles.set(number, article);
  tenant.emit('articles', 'article-created-v1', number);
  return article;
}

export function articleRoutes(app: FastifyInstance, nowMs: () => number): void {
  const find = (tenant: Tenant, number: string): Article => {
    const article = tenant.articles.get(number);
    if (!article) throw new FortnoxApiError(404, FortnoxCode.ArticleNotFound, `Kunde inte hitta artikeln (${number}).`);
    return article;
  };

  app.get('/3/articles', async (request) => {
    const tenant = tenantOf(request);
    const query = queryOf(request);
    const since = lastModifiedFilter(query);
    let articles = [...tenant.articles.values()];
    if (query.filter === 'active') articles = articles.filter((a) => a.Active);
    else if (query.filter === 'inactive') articles = articles.filter((a) => !a.Active);
    else if (query.filter)
      throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, 'Ogiltig parameter i anropet. (filter)');
    if (since !== undefined) articles = articles.filter((a) => a.lastModified >= since);
    if (query.articlenumber)
      articles = articles.filter((a) =>
        a.ArticleNumber.toLowerCase().includes(String(query.articlenumber).toLowerCase()),
      );
    if (query.description)
      articles = articles.filter((a) => a.Description.toLowerCase().includes(String(query.description).toLowerCase()));
    if (query.ean) articles = articles.filter((a) => a.EAN === query.ean);
    if (query.suppliernumber) articles = articles.filter((a) => a.SupplierNumber === query.suppliernumber);
    const webshop = booleanQuery(query, 'webshop');
    if (webshop !== undefined) articles = articles.filter((a) => a.WebshopArticle === webshop);
    const url = baseUrl(request);
    const items = sortItems(
      articles.map((a) => listView(tenant, a, url)),
      query,
      {
        articlenumber: 'ArticleNumber',
        quantityinstock: 'QuantityInStock',
        reservedquantity: 'ReservedQuantity',
        stockvalue: 'StockValue',
      },
    );
    const page = paginate(items, query);
    return { MetaInformation: page.meta, Articles: page.items };
  });

  app.get('/3/articles/:ArticleNumber', async (request) => {
    const tenant = tenantOf(request);
    const { ArticleNumber } = request.params as { ArticleNumber: string };
    return { Article: fullView(tenant, find(tenant, ArticleNumber), baseUrl(request)) };
  });

  app.post('/3/articles', async (request, reply) => {
    const tenant = tenantOf(request);
    const article = createArticle(tenant, envelope(request.body, 'Article'), nowMs());
    reply.code(201);
    return { Article: fullView(tenant, article, baseUrl(request)) };
  });

  app.put('/3/articles/:ArticleNumber', async (request) => {
    const tenant = tenantOf(request);
    const { ArticleNumber } = request.params as { ArticleNumber: string };
    const article = find(tenant, ArticleNumber);
    // Validate on a copy so a refused update changes nothing.
    const draft = { ...article };
    applyArticleInput(tenant, draft, envelope(request.body, 'Article'));
    Object.assign(article, draft, { lastModified: nowMs() });
    tenant.emit('articles', 'article-updated-v1', article.ArticleNumber);
    return { Article: fullView(tenant, article, baseUrl(request)) };
  });
}
