// Replays every recorded history in test/histories against the current workflow code: a change that would break
// running workflows (non-determinism) fails here before it reaches a deployment. Replay needs no server, so this runs
// in the fast project. Histories come in two kinds: ones recorded from the code of their day (they keep old branches
// honest) and ones recorded from today's code through every patched() branch (they keep the new branches honest).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import * as workflows from '../../workflows';
import { workflowsPath } from '../../workers/worker';
import { patchIdsIn, patchIdsOf } from './patches';

const dir = join(import.meta.dirname, '..', 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

let code: string;
beforeAll(async () => {
  ({ code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') }));
}, 120_000);

describe('recorded histories replay against the current workflow code', () => {
  it('has recorded histories of every workflow type', () => {
    const types = new Set(files.map((f) => f.split('.')[0]));
    expect([...types].sort()).toEqual(Object.keys(workflows).sort());
  });

  it('has a history through every patched() branch of the workflow code', () => {
    const recorded = new Set(files.flatMap((f) => patchIdsOf(read(f))));
    const inCode = patchIdsIn(join(import.meta.dirname, '..', '..', 'workflows'));
    expect(inCode.length).toBeGreaterThan(0);
    expect(inCode.filter((id) => !recorded.has(id))).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: { code } }, read(file), file);
  });
});
