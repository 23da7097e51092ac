// `npm run stack` and `npm run chaos -- --stack`: the compose file's Temporal deployment, run natively (no container
// engine here): PostgreSQL from Debian's packages, the schema job, the Temporal server built from Go modules, and the
// namespace/search-attribute job. Everything it runs or sets comes from docker-compose.yml and the scripts it mounts.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import getPort, { portNumbers } from 'get-port';
import { resolveTemporalBinary } from '../temporal-binary';
import { readComposeStack, type ComposeStack } from './compose';
import { startPostgres, type Postgres } from './postgres';
import { resolveServerBinaries } from './server-binaries';
import { SERVER_PORT_VARIABLES, startServerProcess, type ServerPorts, type ServerProcess } from './temporal-server';

export interface StackOptions {
  /** Where PostgreSQL's cluster and the logs live (kept between runs: the schema job migrates, never recreates). */
  dir: string;
  postgresPort: number;
  /** The server's ports; the config template's defaults (7233 for gRPC) when omitted. */
  ports?: Partial<ServerPorts>;
  namespace?: string;
  log?: (line: string) => void;
}

export interface Stack {
  address: string;
  namespace: string;
  postgres: Postgres;
  serverLog: string;
  /** Stops the Temporal server and starts it again on the same ports and database; the downtime in ms. */
  restartServer(): Promise<number>;
  /** Stops PostgreSQL under the running server and starts it again; the downtime in ms. */
  restartPostgres(): Promise<number>;
  stop(): Promise<void>;
}

const templateDefaultPorts: ServerPorts = {
  FRONTEND_GRPC_PORT: 7233,
  FRONTEND_HTTP_PORT: 7243,
  FRONTEND_MEMBERSHIP_PORT: 6933,
  INTERNAL_FRONTEND_GRPC_PORT: 7236,
  INTERNAL_FRONTEND_HTTP_PORT: 7246,
  INTERNAL_FRONTEND_MEMBERSHIP_PORT: 6936,
  HISTORY_GRPC_PORT: 7234,
  HISTORY_MEMBERSHIP_PORT: 6934,
  MATCHING_GRPC_PORT: 7235,
  MATCHING_MEMBERSHIP_PORT: 6935,
  WORKER_GRPC_PORT: 7239,
  WORKER_MEMBERSHIP_PORT: 6939,
};

/**
 * Free ports for every server port (tests and the chaos run, beside a dev server or another stack), below 32768: the
 * server stores membership ports in a smallint column, and the kernel hands out ephemeral ports above it.
 */
export async function freeServerPorts(): Promise<ServerPorts> {
  const ports = {} as ServerPorts;
  const taken = new Set<number>();
  for (const name of SERVER_PORT_VARIABLES) {
    let port: number;
    do port = await getPort({ port: portNumbers(20_000, 32_000) });
    while (taken.has(port));
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}

/**
 * The compose file's server environment with what differs on a host over it: PostgreSQL's address (the visibility
 * store takes its port from VISIBILITY_DB_PORT, not DB_PORT), the server's own on loopback, the dynamic config's path.
 */
export function hostServerEnvironment(compose: ComposeStack, postgresPort: number): Record<string, string> {
  return {
    ...compose.serverEnvironment,
    POSTGRES_SEEDS: '127.0.0.1',
    DB_PORT: String(postgresPort),
    VISIBILITY_DB_PORT: String(postgresPort),
    BIND_ON_IP: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: compose.dynamicConfigFile,
  };
}

/** Runs one of the deploy/ scripts with sh, as the compose job does with its image's shell. */
function runJob(script: string, env: Record<string, string>, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      appendFileSync(logFile, chunk);
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${script} exited with ${code} (see ${logFile}):\n${output}`)),
    );
  });
}

/** The compose jobs restart on failure (the server's namespace cache takes a few seconds): so do these. */
async function runJobWithRetries(
  script: string,
  env: Record<string, string>,
  logFile: string,
  log: (l: string) => void,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runJob(script, env, logFile);
    } catch (err) {
      if (attempt >= 10) throw err;
      log(
        `${script.split('/').pop()} failed (attempt ${attempt}), retrying: ${(err as Error).message.split('\n').at(-2) ?? ''}`,
      );
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? ((line: string) => console.error(line));
  const compose = readComposeStack();
  const namespace = options.namespace ?? 'default';
  mkdirSync(options.dir, { recursive: true, mode: 0o711 });
  const [binaries, cli] = await Promise.all([
    resolveServerBinaries(compose.serverVersion, log),
    resolveTemporalBinary(log),
  ]);
  if (!cli) throw new Error('npm run stack needs the Temporal CLI for its setup job (npm run temporal:binary)');

  const postgres = await startPostgres({
    dir: join(options.dir, 'postgresql'),
    port: options.postgresPort,
    user: compose.postgres.user,
    password: compose.postgres.password,
    log,
  });
  await postgres.start();
  let server: ServerProcess | undefined;
  const ports = { ...templateDefaultPorts, ...options.ports };
  const serverLog = join(options.dir, 'temporal-server.log');
  const environment = hostServerEnvironment(compose, postgres.port);
  try {
    log(`PostgreSQL on 127.0.0.1:${postgres.port}`);
    // A job sees the compose job's environment and what any shell has (the CLI keeps its config under HOME).
    const jobEnv = (dir: string) => ({
      HOME: process.env.HOME ?? options.dir,
      PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
    });
    const jobLog = join(options.dir, 'jobs.log');
    await runJobWithRetries(
      compose.schemaJob.script,
      {
        ...compose.schemaJob.environment,
        SQL_HOST: '127.0.0.1',
        SQL_PORT: String(postgres.port),
        SCHEMA_DIR: binaries.schemaDir,
        ...jobEnv(binaries.dir),
      },
      jobLog,
      log,
    );

    server = await startServerProcess({ binaries, environment, ports, logFile: serverLog });
    log(`Temporal server ${compose.serverVersion} on ${server.address} (log: ${serverLog})`);
    await runJobWithRetries(
      compose.setupJob.script,
      {
        ...compose.setupJob.environment,
        TEMPORAL_ADDRESS: server.address,
        NAMESPACE: namespace,
        ...jobEnv(dirname(cli.path)),
      },
      jobLog,
      log,
    );
  } catch (err) {
    await server?.stop();
    await postgres.stop();
    throw err;
  }
  let running = server;
  return {
    address: running.address,
    namespace,
    postgres,
    serverLog,
    async restartServer() {
      const started = Date.now();
      await running.stop();
      running = await startServerProcess({ binaries, environment, ports, logFile: serverLog });
      return Date.now() - started;
    },
    restartPostgres: () => postgres.restart(),
    async stop() {
      await running.stop();
      await postgres.stop();
    },
  };
}
