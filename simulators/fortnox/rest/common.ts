// Shared REST v3 helpers: envelopes, lenient value parsing, paging with MetaInformation, lastmodified and sorting.
import type { FastifyRequest } from 'fastify';
import { FortnoxApiError, FortnoxCode, badParameter } from '../errors';
import { parseStockholmLocal } from '../stockholm-time';
import type { Json, Tenant } from '../state';

export type Query = Record<string, string | undefined>;

export const queryOf = (request: FastifyRequest): Query => (request.query ?? {}) as Query;

export function tenantOf(request: FastifyRequest): Tenant {
  if (!request.tenant)
    throw new FortnoxApiError(
      401,
      FortnoxCode.MissingCredentials,
      'Kan inte logga in, access-token eller client-secret saknas.',
    );
  return request.tenant;
}

export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The `{"Order": {...}}` envelope of a write; a missing one is Fortnox's "empty or wrong body". */
export function envelope(body: unknown, name: string): Json {
  const inner = body && typeof body === 'object' ? (body as Json)[name] : undefined;
  if (!inner || typeof inner !== 'object' || Array.isArray(inner)) {
    throw new FortnoxApiError(400, FortnoxCode.EmptyBody, `Ogiltig eller tom förfrågan: saknar ${name}.`);
  }
  return inner as Json;
}

/** Numbers may arrive as strings (`"10.00"`), as Fortnox itself sends them. */
export function num(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new FortnoxApiError(400, 2000108, `Värdet måste vara numeriskt (${field}).`);
}

export function bool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new FortnoxApiError(400, 2000134, `Värdet måste vara en boolean (${field}).`);
}

export function str(value: unknown, field: string, maxLength = 1024): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new FortnoxApiError(400, 2000106, `Värdet måste vara en textsträng (${field}).`);
  if (value.length > maxLength) throw new FortnoxApiError(400, 2000359, `Värdet är för långt (${field}).`);
  return value;
}

export function dateValue(value: unknown, field: string): string {
  const text = str(value, field);
  if (text !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(text))
    throw new FortnoxApiError(400, 2000588, `Ogiltigt datum (${field}).`);
  return text;
}

/** Copies the listed string fields that are present in `input` onto `target`. */
export function assignStrings<T extends object>(target: T, input: Json, fields: ReadonlyArray<keyof T & string>): void {
  for (const field of fields) {
    if (input[field] !== undefined) (target as Record<string, unknown>)[field] = str(input[field], field);
  }
}

/**
 * A date as answered: Fortnox leaves an unset date `null` (the OpenAPI types it `date`, so `""` would be a wrong type).
 * Stored as `""` inside the sandbox.
 */
export const dateOrNull = (date: string): string | null => (date === '' ? null : date);

/** Amounts and quantities in Fortnox's string form ("10.00"), as order rows carry them. */
export const quantityString = (n: number): string => n.toFixed(2);

/** The `lastmodified` filter: Stockholm local time, `YYYY-MM-DD HH:MM[:SS]`. */
export function lastModifiedFilter(query: Query): number | undefined {
  const raw = query.lastmodified;
  if (raw === undefined || raw === '') return undefined;
  const instant = parseStockholmLocal(raw);
  if (!instant) throw badParameter('lastmodified');
  return instant.getTime();
}

export interface Page<T> {
  items: T[];
  meta: { '@TotalResources': number; '@TotalPages': number; '@CurrentPage': number };
}

export function paginate<T>(all: T[], query: Query): Page<T> {
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  const page = query.page === undefined ? 1 : Number(query.page);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badParameter('limit');
  if (!Number.isInteger(page) || page < 1) throw badParameter('page');
  const totalPages = Math.max(1, Math.ceil(all.length / limit));
  return {
    items: all.slice((page - 1) * limit, page * limit),
    meta: { '@TotalResources': all.length, '@TotalPages': totalPages, '@CurrentPage': page },
  };
}

/** `sortby` + `sortorder` over the serialized list items; unknown keys are refused like Fortnox does. */
export function sortItems(items: Json[], query: Query, allowed: Record<string, string>): Json[] {
  if (!query.sortby) return items;
  const field = allowed[query.sortby.toLowerCase()];
  if (!field) throw badParameter('sortby');
  const direction = query.sortorder?.toLowerCase() === 'descending' ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = a[field];
    const y = b[field];
    const nx = Number(x);
    const ny = Number(y);
    const cmp =
      Number.isFinite(nx) && Number.isFinite(ny) && x !== '' && y !== ''
        ? nx - ny
        : String(x ?? '').localeCompare(String(y ?? ''), 'sv');
    return cmp * direction;
  });
}

export function booleanQuery(query: Query, name: string): boolean | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false') throw badParameter(name);
  return raw === 'true';
}
