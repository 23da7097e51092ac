// The workflow bundle the worker runs, built once per version of the code in a child process and kept on disk. Built
// in the worker's own process, webpack's few hundred MB would stay in its heap for as long as it runs; a child returns
// that memory to the system when it exits. The file is named by a hash of what goes into it, so a worker never runs
// a bundle of other code than its own, and a restart with unchanged code starts at once.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
/** What a workflow bundle is made of: workflow code, the domain it imports, the types it names, the locked packages. */
const SOURCES = ['workflows', 'domain', 'activities'];

export function workflowSourceHash(): string {
  const hash = createHash('sha256');
  const files = SOURCES.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(root, folder, f)),
  );
  for (const file of [...files.sort(), join(root, 'package-lock.json')]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The path of a bundle of the current code under the data directory, built by a child process if not there yet. */
export async function ensureWorkflowBundle(dataDir: string): Promise<string> {
  const dir = join(dataDir, 'workflow-bundles');
  const path = join(dir, `workflow-bundle-${workflowSourceHash()}.js`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'workers', 'build-workflow-bundle.ts'), path],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`building the workflow bundle failed (exit ${code})`)),
    );
  });
  return path;
}
