// The worker's workflow bundle is built in a child process (webpack's memory leaves with it) into a file named by the
// hash of its sources: the file replays a recorded history, and a second start with the same code reuses it.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { ensureWorkflowBundle, workflowSourceHash } from '../../workers/workflow-bundle';

describe('the workflow bundle', () => {
  it('is built once per version of the code, in a file that replays real histories', async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // installed already
    }
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    const path = await ensureWorkflowBundle(dir);
    expect(basename(path)).toBe(`workflow-bundle-${workflowSourceHash()}.js`);
    const built = statSync(path).mtimeMs;
    expect(await ensureWorkflowBundle(dir)).toBe(path);
    expect(statSync(path).mtimeMs).toBe(built);
    const history = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', 'histories', 'orderWorkflow.happy-path.json'), 'utf8'),
    );
    await Worker.runReplayHistory({ workflowBundle: { codePath: path } }, history, 'happy-path');
    // Each workflow evaluates its own copy of every module it imports (the SDK shares only its own): a library pulled
    // into the workflow code multiplies (zod, through a schema beside a pure rule: 1.4 MB per cached workflow, not 0.4).
    const packages = new Set(
      [...readFileSync(path, 'utf8').matchAll(/"\.\/node_modules\/((?:@[^/"]+\/)?[^/"]+)\//g)].map((m) => m[1]),
    );
    expect([...packages].sort()).toEqual(['@temporalio/common', '@temporalio/workflow', 'long', 'ms', 'nexus-rpc']);
  }, 120_000);

  it('is named by a hash that is stable for the same code', () => {
    expect(workflowSourceHash()).toMatch(/^[0-9a-f]{16}$/);
    expect(workflowSourceHash()).toBe(workflowSourceHash());
  });
});
