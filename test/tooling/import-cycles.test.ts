// No import cycles between the product's modules. A cycle makes load order matter (a value read before its module has
// run is undefined) and usually means a layer leans the wrong way, e.g. workflow code importing activity types from a
// module that imports workflow definitions back. eslint-plugin-import's no-cycle is not installed, so
// scripts/import-graph.ts parses the relative imports itself, `import type` and re-exports included: a type-only
// cycle is still a wrong-way layer. `npm run lint` runs the same check (scripts/check-import-cycles.ts).
import { describe, expect, it } from 'vitest';
import {
  findCycles,
  importGraph,
  loadedBy,
  PRODUCT_FOLDERS,
  productCycles,
  relativeSpecifiers,
  tsFiles,
} from '../../scripts/import-graph';

describe('import cycles', () => {
  it('finds a cycle, type-only imports included (the checker checks)', () => {
    expect(
      relativeSpecifiers(
        "import type { A } from './a';\nexport { b } from '../b';\nimport './c';\n// import { x } from './no';",
      ),
    ).toEqual(['./a', '../b', './c']);
    expect(
      relativeSpecifiers("import type { A } from './a';\nimport { b, type C } from './b';", { values: true }),
    ).toEqual(['./b']);
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it("none among the product's modules (also checked by npm run lint)", () => {
    expect(importGraph(PRODUCT_FOLDERS.flatMap(tsFiles)).size).toBeGreaterThan(50);
    expect(productCycles()).toEqual([]);
  });
});

describe('what clients load', () => {
  it("the webhook receiver loads the order workflow's messages, not the workflow code", () => {
    const workflowFiles = loadedBy('client/receiver-main.ts').filter((f) => f.startsWith('workflows/'));
    expect(workflowFiles).toEqual(['workflows/order/messages.ts']);
  });
});
