// Small helpers the conformance tests share: zod issues as short readable lines, and the keys a product schema reads
// that the specification's model does not define.
import type { z } from 'zod';

/** Array indices collapse to `[]` so one drift is reported once, not once per element. */
function pathOf(path: PropertyKey[], root: string): string {
  return path.map((p) => (typeof p === 'number' ? '[]' : String(p))).join('.').replace(/\.\[\]/g, '[]') || root;
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), value);
}

/** The problems `schema` finds in `value`, one line each, without repeats. Empty when it parses. */
export function issuesOf(schema: z.ZodType, value: unknown, root = '(body)'): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  const lines = result.error.issues.map((issue) => {
    const at = pathOf(issue.path, root);
    if (issue.code === 'unrecognized_keys') return `${at}: key(s) not in the specification: ${issue.keys.join(', ')}`;
    // A union says only "Invalid input": name what was there.
    if (issue.code === 'invalid_union') return `${at}: ${issue.message} (got ${JSON.stringify(valueAt(value, issue.path))})`;
    return `${at}: ${issue.message}`;
  });
  return [...new Set(lines)];
}

interface Def { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType; element?: z.ZodType }
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Through optional/nullable/default/transform wrappers to the object or array underneath, if any. */
function unwrap(schema: z.ZodType): z.ZodType {
  for (let current = schema; ;) {
    const def = defOf(current);
    const next = def.type === 'pipe' ? def.in : def.innerType;
    if (!next || !['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional', 'pipe'].includes(def.type)) {
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
  if (p.type === 'array' && s.type === 'array' && p.element && s.element) return keysNotInSpec(p.element, s.element, `${at}[]`);
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
