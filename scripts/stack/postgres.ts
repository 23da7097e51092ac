// PostgreSQL from Debian's packages for `npm run stack`: a cluster of its own in a folder (initdb once), on loopback
// and a port of its choosing, with the compose file's user and password. PostgreSQL refuses to run as root, so as
// root its commands run as the `postgres` user the Debian package creates.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const execFileAsync = promisify(execFile);

export interface PostgresOptions {
  /** The cluster's folder (created; its parent must be reachable by the postgres user). */
  dir: string;
  port: number;
  user: string;
  password: string;
  log?: (line: string) => void;
}

export interface Postgres {
  port: number;
  dataDir: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops and starts it again (fast shutdown: open connections are cut); the downtime in ms. */
  restart(): Promise<number>;
}

function binDirFromDebian(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

/** initdb, pg_ctl and postgres: PG_BIN_DIR, else Debian's newest, else installed now with apt (as root). */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): string {
  if (env.PG_BIN_DIR) return env.PG_BIN_DIR;
  const found = binDirFromDebian();
  if (found) return found;
  if (process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    log("Installing PostgreSQL from Debian's packages (apt-get install postgresql)");
    const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
    });
    if (install.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'ignore' });
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], {
        env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
        stdio: 'ignore',
      });
    }
    const installed = binDirFromDebian();
    if (installed) return installed;
  }
  throw new Error('PostgreSQL is not installed: apt-get install postgresql, or set PG_BIN_DIR to its bin folder');
}

export async function startPostgres(options: PostgresOptions): Promise<Postgres> {
  const log = options.log ?? (() => {});
  const binDir = postgresBinDir(process.env, log);
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? userIds('postgres') : undefined;
  const dataDir = join(options.dir, 'data');
  // Asynchronous: a restart in a soak must not stall the sandboxes running in the same process.
  const run = async (command: string, args: string[]): Promise<void> => {
    const argv = asRoot
      ? ['runuser', '-u', 'postgres', '--', join(binDir, command), ...args]
      : [join(binDir, command), ...args];
    try {
      await execFileAsync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: options.dir });
    } catch (err) {
      const e = err as { code?: number; stderr?: string; stdout?: string };
      throw new Error(
        `${command} ${args[0] ?? ''} failed (${e.code}): ${(e.stderr || e.stdout || String(err)).trim()}`,
      );
    }
  };
  mkdirSync(options.dir, { recursive: true });
  if (owner) {
    chownSync(options.dir, owner.uid, owner.gid);
    chmodSync(options.dir, 0o700);
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const passwordFile = join(options.dir, 'initdb-password');
    writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (owner) chownSync(passwordFile, owner.uid, owner.gid);
    try {
      log(`initdb ${dataDir}`);
      await run('initdb', [
        '-D',
        dataDir,
        '-U',
        options.user,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
      ]);
    } finally {
      rmSync(passwordFile, { force: true });
    }
  }
  const serverOptions = `-p ${options.port} -c listen_addresses=127.0.0.1 -k ${dataDir} -c max_connections=200`;
  const postgres: Postgres = {
    port: options.port,
    dataDir,
    async start() {
      await run('pg_ctl', [
        'start',
        '-D',
        dataDir,
        '-l',
        join(options.dir, 'postgres.log'),
        '-w',
        '-t',
        '60',
        '-o',
        serverOptions,
      ]);
    },
    async stop() {
      if (existsSync(join(dataDir, 'postmaster.pid')))
        await run('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60']);
    },
    async restart() {
      const started = Date.now();
      await postgres.stop();
      await postgres.start();
      return Date.now() - started;
    },
  };
  return postgres;
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0)
    throw new Error(`PostgreSQL will not run as root, and there is no \`${name}\` user to run it as`);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}
