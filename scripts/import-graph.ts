// Reading the repository's TypeScript import graph (relative specifiers only), for `npm run lint`'s cycle check and the
// tooling tests: import cycles, and what a process loads at run time.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

export function tsFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.split(/[\\/]/).includes('node_modules'))
    .map((f) => join(root, folder, f));
}

/**
 * The relative specifiers a file imports or re-exports from (static, type-only and dynamic import()); with
 * `{ values: true }` only the ones that load the module at run time (not `import type` / `export type`).
 */
export function relativeSpecifiers(source: string, options: { values?: boolean } = {}): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*()['"]([^'"]+)['"]/g,
    /\bimport\(\s*()['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const m of code.matchAll(pattern)) if (m[2]!.startsWith('.') && !(options.values && m[1])) found.push(m[2]!);
  }
  return found;
}

/** The import graph of files: each file → the files it imports (resolved relative specifiers). */
export function importGraph(files: string[], options: { values?: boolean } = {}): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = relativeSpecifiers(readFileSync(file, 'utf8'), options)
      .map((s) => resolveSpecifier(file, s))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every file a file loads at run time, following value imports only. */
export function loadedBy(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [resolve(root, entry)];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(importGraph([file], { values: true }).get(file) ?? []));
  }
  return [...seen].map((f) => relative(root, f)).sort();
}

export function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile() && candidate.endsWith('.ts')) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Every cycle, as the files along it (each cycle once, starting from its alphabetically first file). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(next));
        const first = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        cycles.set(rotated.join(' → '), rotated);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

/** The product's folders: what `npm run lint` and the import-cycle test check. */
export const PRODUCT_FOLDERS = [
  'activities',
  'bench',
  'chaos',
  'client',
  'config',
  'domain',
  'observability',
  'scripts',
  'simulators',
  'workers',
  'workflows',
];

/** The import cycles among the product's modules, each as "a.ts → b.ts → a.ts" (relative to the repository). */
export function productCycles(): string[] {
  const graph = importGraph(PRODUCT_FOLDERS.flatMap(tsFiles));
  return findCycles(graph).map((cycle) => [...cycle, cycle[0]!].map((f) => relative(root, f)).join(' → '));
}
