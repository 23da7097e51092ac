// `node --import tsx workers/build-workflow-bundle.ts <file>`: bundles the workflows into <file> (written whole, then
// renamed, so a worker never reads half a bundle). Run by workers/workflow-bundle.ts in a child process.
import { renameSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { workflowsPath } from './worker';

const out = process.argv[2];
if (!out) throw new Error('usage: build-workflow-bundle.ts <file>');
const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
const temp = `${out}.${process.pid}.tmp`;
writeFileSync(temp, code);
renameSync(temp, out);
