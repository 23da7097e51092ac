// Small helpers the conformance tests share: zod issues as short readable lines, and the keys a product schema reads
// that the specification's model does not define.
import type { z } from 'zod';

/** Array indices collapse to `[]` so one drift is reported once, not once per element. */
function pathOf(path: PropertyKey[], root: string): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? '[]' : String(p)))
      .join('.')
      .replace(/\.\[\]/g, '[]') || root
  );
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined),
    value,
  );
}

/** The problems `schema` finds in `value`, one line each, without repeats. Empty when it parses. */
export function issuesOf(schema: z.ZodType, value: unknown, root = '(body)'): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const lines = result.error.issues.map((issue) => {
    const at = pathOf(issue.path, root);
    if (issue.code === 'unrecognized_keys') return `${at}: key(s) not in the specification: ${issue.keys.join(', ')}`;
    // A union says only "Invalid input": name what was there.
    if (issue.code === 'invalid_union')
      return `${at}: ${issue.message} (got ${JSON.stringify(valueAt(value, issue.path))})`;
    return `${at}: ${issue.message}`;
  });
  return [...new Set(lines)];
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Through optional/nullable/default/transform wrappers to the object or array underneath, if any. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let current = schema; ;) {
    const def = defOf(current);
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (
      !next ||
      !['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'pipe'].includes(def.type)
    ) {
      return current;
    }
    current = next;
  }
}

/**
 * Keys the product schema declares (reads) at some path where the specification's model has no such key. A lenient
 * product schema (z.object strips unknown keys) never fails on these: it reads a field that a spec-shaped answer never
 * carries, so the product sees `undefined` (or its default) where it expects data.
 */
export function keysNotInSpec(product: z.ZodType, spec: z.ZodType, at = ''): string[] {
  const p = defOf(unwrap(product));
  const s = defOf(unwrap(spec));
  if (p.type === 'array' && s.type === 'array' && p.element && s.element)
    return keysNotInSpec(p.element, s.element, `${at}[]`);
  if (p.type !== 'object' || s.type !== 'object' || !p.shape || !s.shape) return [];
  const found: string[] = [];
  for (const [key, productField] of Object.entries(p.shape)) {
    const path = at ? `${at}.${key}` : key;
    const specField = s.shape[key];
    if (!specField) found.push(path);
    else found.push(...keysNotInSpec(productField, specField, path));
  }
  return found;
}

/** How the specification lets a field of an answer go unset. */
export interface Unsettable {
  path: PropertyKey[];
  optional: boolean;
  nullable: boolean;
}

function wrappers(schema: z.ZodType): { optional: boolean; nullable: boolean; inner: z.ZodType } {
  let optional = false;
  let nullable = false;
  for (let current = schema; ;) {
    const def = defOf(current);
    if (def.type === 'optional' && def.innerType) {
      optional = true;
      current = def.innerType;
    } else if (def.type === 'nullable' && def.innerType) {
      nullable = true;
      current = def.innerType;
    } else return { optional, nullable, inner: current };
  }
}

/**
 * Every field present in `value` (an example answer) that `spec` lets be absent or null, at any depth; in an array only
 * the first element is walked (its fields stand for every element's).
 */
export function unsettableFields(value: unknown, spec: z.ZodType, at: PropertyKey[] = []): Unsettable[] {
  const def = defOf(wrappers(spec).inner);
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    return value.length > 0 ? unsettableFields(value[0], def.element, [...at, 0]) : [];
  }
  if (def.type !== 'object' || !def.shape || !value || typeof value !== 'object') return [];
  const found: Unsettable[] = [];
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const fieldSpec = def.shape[key];
    if (!fieldSpec) continue;
    const { optional, nullable } = wrappers(fieldSpec);
    if (optional || nullable) found.push({ path: [...at, key], optional, nullable });
    found.push(...unsettableFields(field, fieldSpec, [...at, key]));
  }
  return found;
}

/** A copy of `value` with the field at `path` left out (`absent`) or set to null. */
export function unset(value: unknown, path: PropertyKey[], how: 'absent' | 'null'): unknown {
  const copy = structuredClone(value) as Record<PropertyKey, unknown>;
  const parent = path
    .slice(0, -1)
    .reduce<Record<PropertyKey, unknown>>((v, key) => v[key] as Record<PropertyKey, unknown>, copy);
  const last = path[path.length - 1] as PropertyKey;
  if (how === 'absent') delete parent[last];
  else parent[last] = null;
  return copy;
}

/** `Order.OrderRows.0.RowId` → `Order.OrderRows[].RowId`, as issue lines print paths. */
export const fieldPath = (path: PropertyKey[]) => pathOf(path, '(body)');
