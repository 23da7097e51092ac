// One Temporal dev server for the whole test run, and the workflow code bundled once. Test files connect to it with
// the address and bundle path provided here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import getPort from 'get-port';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../scripts/dev-server';
import { workflowsPath } from '../../workers/worker';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'wms-fortnox-test-'));
  const server = await startDevServer({ port: await getPort(), dbFilename: join(dir, 'temporal.sqlite') });
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
