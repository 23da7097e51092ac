// Finds a Temporal CLI (dev server + Web UI) without internet, in one place for `npm start` and `npm test`:
// TEMPORAL_CLI, else `temporal` on PATH, else a cached build in .tools/bin (built with `go install` when Go is
// present), else null, meaning "let the SDK use its own cached download".
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

export function isExecutable(path: string): boolean {
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

export function goAvailable(env: NodeJS.ProcessEnv): boolean {
  return spawnSync('go', ['version'], { env, stdio: 'ignore' }).status === 0;
}

export interface GoInstallTarget {
  /** What it is, for the log: "the Temporal CLI". */
  what: string;
  /** `module/path/cmd/x@version`. */
  module: string;
  /** The name `go install` gives the binary (the last path element of the package). */
  builtName: string;
  /** Where the binary is cached. */
  target: string;
}

/**
 * Builds Go binaries with `go install` into their cache paths (one `go install` for all, so shared modules compile
 * once). Writes to a temporary GOBIN first so a half-built binary is never used.
 */
export async function goInstall(
  targets: GoInstallTarget[],
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  // One staging folder per build: two builds in one process (the CLI and the server) must not share it.
  const stagingBin = join(toolsDir, `bin.building-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(stagingBin, { recursive: true });
  const what = targets.map((t) => t.what).join(' and ');
  log(
    `Building ${what} from Go modules (${targets.map((t) => t.module).join(', ')}).\n` +
      '  This happens once: the first build downloads a few hundred modules and compiles them, which takes\n' +
      '  about 3-15 minutes on 2 cores. Later runs reuse the cached binaries.',
  );
  const started = Date.now();
  const ticker = setInterval(
    () => log(`  ... still building (${Math.round((Date.now() - started) / 1000)} s)`),
    30_000,
  );
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const child = spawn('go', ['install', ...targets.map((t) => t.module)], {
        env: { ...env, CGO_ENABLED: '0', GOBIN: stagingBin },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`go install exited with ${code}`))));
    });
  } finally {
    clearInterval(ticker);
  }
  for (const t of targets) {
    mkdirSync(dirname(t.target), { recursive: true });
    renameSync(join(stagingBin, t.builtName), t.target);
    const sizeMb = (statSync(t.target).size / 1024 / 1024).toFixed(0);
    log(`Built ${t.what} in ${Math.round((Date.now() - started) / 1000)} s (${sizeMb} MiB): ${t.target}`);
  }
  rmSync(stagingBin, { recursive: true, force: true });
}

async function buildWithGo(log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<string> {
  await goInstall(
    [{ what: 'the Temporal CLI', module: TEMPORAL_CLI_MODULE, builtName: 'temporal', target: cachedBinary }],
    log,
    env,
  );
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
