// Reads the endpoints the product's clients call straight from their source: method and path template, with every
// `${...}` written as `{name}`, so the list cannot drift from the code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ClientCall {
  method: string;
  path: string;
}

const source = (relative: string) => readFileSync(fileURLToPath(new URL(`../../${relative}`, import.meta.url)), 'utf8');

/** `${id(documentNumber)}` → `{documentNumber}`: the last identifier inside the interpolation names the parameter. */
function placeholders(template: string): string {
  return template.replace(/\$\{([^}]*)\}/g, (_, expr: string) => `{${expr.match(/\w+/g)?.pop() ?? 'param'}}`);
}

const unquote = (literal: string) => literal.slice(1, -1);

/** activities/fortnox/client.ts: every `this.call({ method: 'X', path: ... })`, customPath(...) expanded. */
export function fortnoxClientCalls(): ClientCall[] {
  const text = source('activities/fortnox/client.ts');
  const helper = /function customPath\((\w+)[^)]*\)[^{]*\{\s*return (`[^`]*`)/.exec(text);
  const directions =
    /type WarehouseDirection = ([^;]+);/
      .exec(text)?.[1]
      ?.match(/'[^']*'/g)
      ?.map(unquote) ?? [];
  /** customPath(arg, ...) → one template per direction the argument can take. */
  const expand = (arg: string): string[] => {
    if (!helper?.[1] || !helper[2]) throw new Error('customPath(...) not found in activities/fortnox/client.ts');
    const [, param, body] = helper;
    const values = /^'.*'$/.test(arg) ? [unquote(arg)] : directions;
    return values.map((value) => unquote(body).split(`\${${param}}`).join(value));
  };
  const calls: ClientCall[] = [];
  for (const match of text.matchAll(/method:\s*'(\w+)',\s*path:\s*('[^']*'|`[^`]*`|customPath\(([^,)]*)[^)]*\))/g)) {
    const [, method = '', path = '', customArg] = match;
    let templates: string[];
    if (customArg !== undefined) templates = expand(customArg.trim());
    else if (path.startsWith("'")) templates = [unquote(path)];
    else {
      const inner = /\$\{customPath\(([^,)]*)[^)]*\)\}/.exec(path);
      templates = inner?.[1]
        ? expand(inner[1].trim()).map((base) => unquote(path).replace(inner[0], base))
        : [unquote(path)];
    }
    for (const template of templates) calls.push({ method, path: placeholders(template) });
  }
  return dedupe(calls);
}

/** activities/wms/client.ts: every `this.request('X', path, ...)`; paths are relative to `/api/v1`. */
export function wmsClientCalls(): ClientCall[] {
  const text = source('activities/wms/client.ts');
  const calls = [...text.matchAll(/this\.request\(\s*'(\w+)',\s*('[^']*'|`[^`]*`)/g)].map(
    ([, method = '', path = '']) => ({ method, path: placeholders(unquote(path)) }),
  );
  return dedupe(calls);
}

function dedupe(calls: ClientCall[]): ClientCall[] {
  const seen = new Map(calls.map((c) => [`${c.method} ${c.path}`, c]));
  return [...seen.values()];
}

/** Method and path with parameter names and a trailing slash ignored, for matching a call to a fixture's endpoint. */
export const endpointKey = (endpoint: string) => endpoint.replace(/\{[^}]*\}/g, '{}').replace(/\/$/, '');
