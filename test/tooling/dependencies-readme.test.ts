// The README's dependency table is what a reviewer of the supply chain reads: every production dependency must be in
// it, with the version package-lock.json installs, so a bump or a new package cannot slip in unexplained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string }>;
};
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('## Dependencies and why'));

describe('README dependency table', () => {
  it('lists every production dependency with its installed version and a reason', () => {
    const rows = table.split('\n').filter((line) => line.startsWith('| `'));
    for (const name of Object.keys(pkg.dependencies)) {
      const installed = lock.packages[`node_modules/${name}`]!.version;
      const short = name.replace(/^@temporalio\//, '');
      const row = rows.find(
        (r) =>
          r.split('|')[1]!.includes(`\`${name}\``) || (name.startsWith('@temporalio/') && r.includes(`\`${short}\``)),
      );
      expect(row, `${name} has no row in the README's dependency table`).toBeDefined();
      const [, , version, why] = row!.split('|').map((cell) => cell.trim());
      expect(version, `${name}: the README says ${version}, package-lock.json installs ${installed}`).toBe(installed);
      expect(why!.length, `${name}: say why it is there`).toBeGreaterThan(10);
    }
  });
});
