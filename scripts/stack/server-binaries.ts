// The Temporal server and its SQL schema tool for `npm run stack`, built once with `go install` from
// go.temporal.io/server at the compose file's version (the module has no replace directives), and cached in
// .tools/temporal-server-<version>/ with the schema files and the config template the server image uses.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { goAvailable, goInstall, isExecutable, toolsDir } from '../temporal-binary';

export interface ServerBinaries {
  dir: string;
  server: string;
  sqlTool: string;
  /** The server's schema/ folder (postgresql/v12/...). */
  schemaDir: string;
  /** config/docker.yaml: the template the server image renders from its environment. */
  configTemplate: string;
}

export function serverBinariesIn(version: string): ServerBinaries {
  const dir = join(toolsDir, `temporal-server-${version}`);
  return {
    dir,
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    schemaDir: join(dir, 'schema'),
    configTemplate: join(dir, 'config', 'docker.yaml'),
  };
}

const complete = (b: ServerBinaries) =>
  isExecutable(b.server) && isExecutable(b.sqlTool) && existsSync(b.configTemplate) && existsSync(b.schemaDir);

/** Files from the Go module cache are read-only: make the copies writable so the cache can be removed. */
function makeWritable(path: string): void {
  chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

let pending: Promise<ServerBinaries> | undefined;

/** The cached binaries, built on first use (needs Go and the Go module proxy). */
export function resolveServerBinaries(
  version: string,
  log: (line: string) => void = (line) => console.error(line),
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerBinaries> {
  pending ??= (async () => {
    const binaries = serverBinariesIn(version);
    if (complete(binaries)) return binaries;
    if (!goAvailable(env))
      throw new Error(`npm run stack builds the Temporal server ${version} with Go, and there is no \`go\` on PATH`);
    const staging = `${binaries.dir}.building-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const module = 'go.temporal.io/server';
    await goInstall(
      [
        {
          what: 'the Temporal server',
          module: `${module}/cmd/server@v${version}`,
          builtName: 'server',
          target: join(staging, 'temporal-server'),
        },
        {
          what: 'its SQL schema tool',
          module: `${module}/cmd/tools/sql@v${version}`,
          builtName: 'sql',
          target: join(staging, 'temporal-sql-tool'),
        },
      ],
      log,
      env,
    );
    // The schema and the config template are in the module's source, which `go install` left in the module cache.
    const modCache = spawnSync('go', ['env', 'GOMODCACHE'], { env, encoding: 'utf8' }).stdout.trim();
    const source = join(modCache, `${module}@v${version}`);
    cpSync(join(source, 'schema'), join(staging, 'schema'), { recursive: true });
    mkdirSync(join(staging, 'config'), { recursive: true });
    cpSync(join(source, 'config', 'docker.yaml'), join(staging, 'config', 'docker.yaml'));
    makeWritable(join(staging, 'schema'));
    makeWritable(join(staging, 'config'));
    // Another process may have finished the same build meanwhile: keep its copy.
    if (complete(binaries)) rmSync(staging, { recursive: true, force: true });
    else {
      rmSync(binaries.dir, { recursive: true, force: true });
      renameSync(staging, binaries.dir);
    }
    return binaries;
  })();
  return pending;
}
