// Records a finished workflow's history into test/histories when RECORD_HISTORIES=1, so the replay test keeps
// checking that today's code can still replay it. Histories are named <workflowType>.<scenario>.json and written by
// `temporal workflow show --output json`, the same format an operator exports from a production cluster.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { resolveTemporalBinary } from '../../scripts/temporal-binary';

/** `runId`: one run of a chain (e.g. the run that continued as new); default the latest. */
export async function recordHistory(
  workflowId: string,
  workflowType: string,
  scenario: string,
  runId?: string,
): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const binary = await resolveTemporalBinary();
  if (!binary) throw new Error('Recording histories needs the Temporal CLI');
  const json = execFileSync(
    binary.path,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
      '--address',
      inject('temporalAddress'),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(join(import.meta.dirname, '..', 'histories', `${workflowType}.${scenario}.json`), json);
}
