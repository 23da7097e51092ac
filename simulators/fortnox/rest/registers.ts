// Customers (`/3/customers`) and suppliers (`/3/suppliers`): simple registers with numbers, lastmodified and paging.
import type { FastifyInstance } from 'fastify';
import { FortnoxApiError, FortnoxCode } from '../errors';
import type { Json, RegisterEntry, Tenant } from '../state';
import { baseUrl, envelope, lastModifiedFilter, paginate, queryOf, sortItems, str, tenantOf } from './common';

interface RegisterSpec {
  path: 'customers' | 'suppliers';
  single: 'Customer' | 'Supplier';
  plural: 'Customers' | 'Suppliers';
  numberField: 'CustomerNumber' | 'SupplierNumber';
  notFoundCode: number;
  map: (tenant: Tenant) => Map<string, RegisterEntry>;
  nextNumber: (tenant: Tenant) => string;
  /** Fields of a list item (a thin view, like Fortnox's). */
  listFields: string[];
  defaults: Json;
}

const customerSpec: RegisterSpec = {
  path: 'customers',
  single: 'Customer',
  plural: 'Customers',
  numberField: 'CustomerNumber',
  notFoundCode: FortnoxCode.CustomerNotFound,
  map: (t) => t.customers,
  nextNumber: (t) => String(++t.counters.customer),
  // CustomerListItem has no Active (the supplier list item has).
  listFields: [
    'CustomerNumber',
    'Name',
    'Address1',
    'Address2',
    'City',
    'ZipCode',
    'Email',
    'Phone',
    'OrganisationNumber',
  ],
  defaults: {
    Active: true,
    Address1: '',
    Address2: '',
    City: '',
    ZipCode: '',
    CountryCode: 'SE',
    Country: 'Sverige',
    Email: '',
    Phone1: '',
    OrganisationNumber: '',
    Currency: 'SEK',
    Type: 'COMPANY',
    DeliveryName: '',
    DeliveryAddress1: '',
    DeliveryAddress2: '',
    DeliveryCity: '',
    DeliveryZipCode: '',
    DeliveryCountry: '',
  },
};

const supplierSpec: RegisterSpec = {
  path: 'suppliers',
  single: 'Supplier',
  plural: 'Suppliers',
  numberField: 'SupplierNumber',
  notFoundCode: FortnoxCode.SupplierNotFound,
  map: (t) => t.suppliers,
  nextNumber: (t) => String(++t.counters.supplier),
  listFields: [
    'SupplierNumber',
    'Name',
    'Address1',
    'Address2',
    'City',
    'ZipCode',
    'Email',
    'Phone',
    'OrganisationNumber',
    'Active',
  ],
  defaults: {
    Active: true,
    Address1: '',
    Address2: '',
    City: '',
    ZipCode: '',
    CountryCode: 'SE',
    Email: '',
    Phone1: '',
    OrganisationNumber: '',
    VATNumber: '',
    Currency: 'SEK',
    OurCustomerNumber: '',
    Comments: '',
  },
};

/** Creates an entry (also used by the seeder); `Name` is required as in Fortnox. */
export function createRegisterEntry(spec: RegisterSpec, tenant: Tenant, input: Json, nowMs: number): Json {
  if (typeof input.Name !== 'string' || input.Name.trim() === '') {
    throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, `Namn måste anges (Name).`);
  }
  const map = spec.map(tenant);
  const requested = input[spec.numberField];
  const number =
    requested === undefined || requested === '' ? spec.nextNumber(tenant) : str(requested, spec.numberField, 50);
  if (map.has(number))
    throw new FortnoxApiError(
      400,
      FortnoxCode.NumberTaken,
      `Nummer ${number} är redan upptaget (${spec.numberField}).`,
    );
  const data: Json = { ...spec.defaults, ...input, [spec.numberField]: number };
  map.set(number, { data, lastModified: nowMs });
  tenant.emit(spec.path, `${spec.single.toLowerCase()}-created-v1`, number);
  return data;
}

export const createCustomer = (tenant: Tenant, input: Json, nowMs: number): Json =>
  createRegisterEntry(customerSpec, tenant, input, nowMs);
export const createSupplier = (tenant: Tenant, input: Json, nowMs: number): Json =>
  createRegisterEntry(supplierSpec, tenant, input, nowMs);

function registerRoutes(app: FastifyInstance, spec: RegisterSpec, nowMs: () => number): void {
  const view = (data: Json, url: string): Json => ({
    '@url': `${url}/3/${spec.path}/${String(data[spec.numberField])}`,
    ...data,
  });
  const find = (tenant: Tenant, number: string): RegisterEntry => {
    const entry = spec.map(tenant).get(number);
    if (!entry)
      throw new FortnoxApiError(
        404,
        spec.notFoundCode,
        `Kunde inte hitta ${spec.single === 'Customer' ? 'kunden' : 'leverantören'} (${number}).`,
      );
    return entry;
  };

  app.get(`/3/${spec.path}`, async (request) => {
    const tenant = tenantOf(request);
    const query = queryOf(request);
    const since = lastModifiedFilter(query);
    let entries = [...spec.map(tenant).values()];
    if (since !== undefined) entries = entries.filter((e) => e.lastModified >= since);
    if (query.filter === 'active') entries = entries.filter((e) => e.data.Active !== false);
    else if (query.filter === 'inactive') entries = entries.filter((e) => e.data.Active === false);
    if (query.name)
      entries = entries.filter((e) => String(e.data.Name).toLowerCase().includes(String(query.name).toLowerCase()));
    const url = baseUrl(request);
    let items = entries.map((e) => {
      const item: Json = { '@url': `${url}/3/${spec.path}/${String(e.data[spec.numberField])}` };
      for (const field of spec.listFields) item[field] = field === 'Phone' ? e.data.Phone1 : e.data[field];
      return item;
    });
    items = sortItems(items, query, { [spec.numberField.toLowerCase()]: spec.numberField, name: 'Name' });
    const page = paginate(items, query);
    return { MetaInformation: page.meta, [spec.plural]: page.items };
  });

  app.get(`/3/${spec.path}/:number`, async (request) => {
    const { number } = request.params as { number: string };
    return { [spec.single]: view(find(tenantOf(request), number).data, baseUrl(request)) };
  });

  app.post(`/3/${spec.path}`, async (request, reply) => {
    const data = createRegisterEntry(spec, tenantOf(request), envelope(request.body, spec.single), nowMs());
    reply.code(201);
    return { [spec.single]: view(data, baseUrl(request)) };
  });

  app.put(`/3/${spec.path}/:number`, async (request) => {
    const { number } = request.params as { number: string };
    const entry = find(tenantOf(request), number);
    const input = envelope(request.body, spec.single);
    if (input.Name !== undefined && (typeof input.Name !== 'string' || input.Name.trim() === '')) {
      throw new FortnoxApiError(400, FortnoxCode.InvalidParameter, 'Namn måste anges (Name).');
    }
    const tenant = tenantOf(request);
    entry.data = { ...entry.data, ...input, [spec.numberField]: number };
    entry.lastModified = nowMs();
    tenant.emit(spec.path, `${spec.single.toLowerCase()}-updated-v1`, number);
    return { [spec.single]: view(entry.data, baseUrl(request)) };
  });
}

export function customerRoutes(app: FastifyInstance, nowMs: () => number): void {
  registerRoutes(app, customerSpec, nowMs);
}

export function supplierRoutes(app: FastifyInstance, nowMs: () => number): void {
  registerRoutes(app, supplierSpec, nowMs);
}
