// The lint rules that keep workflow code deterministic are part of the product: check they still bite.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const lint = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
};

describe('workflow determinism lint rules', () => {
  it('reject Node built-ins, activity implementations and process in workflow files', async () => {
    const messages = await lint(
      [
        "import { readFileSync } from 'node:fs';",
        "import { createActivities } from '../activities';",
        'export const x = () => [readFileSync, createActivities, process.env];',
      ].join('\n'),
      'workflows/fixture.ts',
    );
    expect(messages).toHaveLength(3);
    expect(messages.join('\n')).toMatch(/no Node built-ins/);
    expect(messages.join('\n')).toMatch(/activities as types only/);
    expect(messages.join('\n')).toMatch(/read configuration in activities/);
  });

  it('apply in workflow subfolders too (workflows/order/)', async () => {
    const messages = await lint(
      [
        "import { readFileSync } from 'node:fs';",
        "import { createActivities } from '../../activities';",
        'export const x = () => [readFileSync, createActivities, process.env];',
      ].join('\n'),
      'workflows/order/fixture.ts',
    );
    expect(messages).toHaveLength(3);
  });

  it('allow type-only activity imports in workflows', async () => {
    const messages = await lint(
      "import type { Activities } from '../activities';\nexport type A = Activities;\n",
      'workflows/fixture.ts',
    );
    expect(messages).toEqual([]);
  });

  it('keep the domain module free of I/O and Temporal', async () => {
    const messages = await lint(
      "import { Client } from '@temporalio/client';\nexport const c = Client;\n",
      'domain/fixture.ts',
    );
    expect(messages.join('\n')).toMatch(/domain module is pure/);
  });
});
