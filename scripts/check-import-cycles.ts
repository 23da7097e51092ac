// `npm run lint`'s import-cycle check: prints every cycle among the product's modules (`import type` included) and
// exits 1 if there is one. eslint-plugin-import's no-cycle is not installed; scripts/import-graph.ts reads the graph.
import { productCycles } from './import-graph';

const cycles = productCycles();
for (const cycle of cycles) process.stderr.write(`import cycle: ${cycle}\n`);
if (cycles.length) process.exit(1);
process.stdout.write('no import cycles\n');
