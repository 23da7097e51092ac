// Finds a Temporal CLI (dev server + Web UI) without internet, in one place for `npm start` and `npm test`:
// TEMPORAL_CLI, else `temporal` on PATH, else a cached build in .tools/bin (built with `go install` when Go is
// present), else null, meaning "let the SDK use its own cached download".
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = join(projectRoot, '.tools');
export const cachedBinary = join(toolsDir, 'bin', 'temporal');

export type BinarySource = 'TEMPORAL_CLI' | 'PATH' | 'cached build' | 'go install';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function goAvailable(env: NodeJS.ProcessEnv): boolean {
  return spawnSync('go', ['version'], { env, stdio: 'ignore' }).status === 0;
}

/** Builds the CLI with `go install` into .tools/bin. Writes to a temporary GOBIN first so a half-built binary is never used. */
async function buildWithGo(log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<string> {
  const stagingBin = join(toolsDir, `bin.building-${process.pid}`);
  mkdirSync(stagingBin, { recursive: true });
  log(
    `Building the Temporal CLI from Go modules (${TEMPORAL_CLI_MODULE}) into ${cachedBinary}.\n` +
      '  This happens once: the first build downloads a few hundred modules and compiles them, which takes\n' +
      '  about 5-15 minutes on 2 cores. Later runs reuse the binary.',
  );
  const started = Date.now();
  const ticker = setInterval(
    () => log(`  ... still building (${Math.round((Date.now() - started) / 1000)} s)`),
    30_000,
  );
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], {
        env: { ...env, CGO_ENABLED: '0', GOBIN: stagingBin },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`go install exited with ${code}`))));
    });
  } finally {
    clearInterval(ticker);
  }
  mkdirSync(dirname(cachedBinary), { recursive: true });
  renameSync(join(stagingBin, 'temporal'), cachedBinary);
  rmSync(stagingBin, { recursive: true, force: true });
  const seconds = Math.round((Date.now() - started) / 1000);
  const sizeMb = (statSync(cachedBinary).size / 1024 / 1024).toFixed(0);
  log(`Built the Temporal CLI in ${seconds} s (${sizeMb} MiB): ${cachedBinary}`);
  return cachedBinary;
}

let pending: Promise<ResolvedBinary | null> | undefined;

/**
 * Returns a usable Temporal CLI, building it once if needed, or null when only the SDK's download remains.
 * Concurrent callers in one process share one build.
 */
export function resolveTemporalBinary(
  log: (line: string) => void = (line) => console.error(line),
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedBinary | null> {
  pending ??= (async () => {
    if (env.TEMPORAL_CLI) {
      if (!isExecutable(env.TEMPORAL_CLI))
        throw new Error(`TEMPORAL_CLI: ${env.TEMPORAL_CLI} is not an executable file`);
      return { path: env.TEMPORAL_CLI, source: 'TEMPORAL_CLI' as const };
    }
    const fromPath = onPath('temporal', env);
    if (fromPath) return { path: fromPath, source: 'PATH' as const };
    if (isExecutable(cachedBinary)) return { path: cachedBinary, source: 'cached build' as const };
    if (goAvailable(env)) return { path: await buildWithGo(log, env), source: 'go install' as const };
    log("No Temporal CLI and no Go toolchain: falling back to the Temporal SDK's cached download (needs internet).");
    return null;
  })();
  return pending;
}

// `npm run temporal:binary`: build or locate the CLI and print its path.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  resolveTemporalBinary()
    .then((binary) => console.log(binary ? `${binary.path} (${binary.source})` : 'SDK cached download'))
    .catch((err) => {
      console.error(err.message);
      process.exit(1);
    });
}
