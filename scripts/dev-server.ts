// Starts a Temporal dev server (SQLite file, Web UI, the product's search attributes) and stops it without leaving
// a process behind. Used by `npm start` and by the test suite's global setup.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { parse as parseYaml } from 'yaml';
import { productSearchAttributes } from '../workflows/search-attributes';
import { prepareDatabaseFile, tightenDatabaseFiles, withPrivateUmask } from './private-database-file';
import { resolveTemporalBinary } from './temporal-binary';

export interface DevServerOptions {
  port: number;
  /** Web UI port; omit for no UI. */
  uiPort?: number;
  /** SQLite file; omit for an in-memory server. */
  dbFilename?: string;
  namespace?: string;
  /** The codec server the Web UI decodes payloads with (it appends /decode and /encode). */
  uiCodecEndpoint?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** Process id of the server, when this process spawned it itself. */
  pid?: number;
  stop(): Promise<void>;
}

const cliTypeNames: Record<string, string> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export const searchAttributeArgs = (): string[] =>
  productSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeNames[key.type]}`]);

export async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Temporal server exited with code ${child.exitCode} during start-up`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`Temporal server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

/** The server's dynamic config, shared with docker-compose.yml (which mounts the same file into its server). */
export const DYNAMIC_CONFIG_FILE = fileURLToPath(new URL('../deploy/temporal-dynamic-config.yaml', import.meta.url));

/**
 * The file's unconstrained values as the dev server's `--dynamic-config-value key=<json>` flags (the dev server takes
 * no file). A constrained value (per namespace or queue) cannot be said that way: refused, rather than applied to all.
 */
export function devServerDynamicConfigArgs(file = DYNAMIC_CONFIG_FILE): string[] {
  const config = parseYaml(readFileSync(file, 'utf8')) as Record<
    string,
    Array<{ value: unknown; constraints?: unknown }>
  >;
  return Object.entries(config).flatMap(([key, entries]) =>
    entries.flatMap((entry) => {
      if (entry.constraints !== undefined)
        throw new Error(`${file}: ${key} has constraints, which the dev server cannot take`);
      return ['--dynamic-config-value', `${key}=${JSON.stringify(entry.value)}`];
    }),
  );
}

const codecArgs = (options: DevServerOptions) =>
  options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : [];

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const namespace = options.namespace ?? 'default';
  const binary = await resolveTemporalBinary(log);
  if (options.dbFilename) prepareDatabaseFile(options.dbFilename);

  if (!binary) {
    // Last resort: the SDK downloads and manages its own server binary.
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: options.port,
        uiPort: options.uiPort,
        ui: options.uiPort !== undefined,
        dbFilename: options.dbFilename,
        namespace,
        searchAttributes: [...productSearchAttributes],
        extraArgs: [...devServerDynamicConfigArgs(), ...codecArgs(options)],
      },
    });
    // The SDK spawns this server itself, with our umask: tighten the file it created as soon as it is up.
    if (options.dbFilename) tightenDatabaseFiles(options.dbFilename);
    return {
      address: `127.0.0.1:${options.port}`,
      uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
      stop: () => env.teardown(),
    };
  }

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...codecArgs(options),
    ...searchAttributeArgs(),
    ...devServerDynamicConfigArgs(),
  ];
  const command = options.dbFilename ? withPrivateUmask(binary.path, args) : { command: binary.path, args };
  const child = spawn(command.command, command.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4000);
  });
  // Whatever happens to this process, never leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitUntilServing(address, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderrTail}`);
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://localhost:${options.uiPort}` : undefined,
    pid: child.pid,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child);
    },
  };
}
