// The Temporal server process of `npm run stack`: the binary built from go.temporal.io/server, rendering the same
// config template as the server image (config/docker.yaml) from the compose file's environment, with only what
// differs on a host (addresses, ports, the dynamic config file's path) put over it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { stopChild, waitUntilServing } from '../dev-server';
import type { ServerBinaries } from './server-binaries';

/** The ports the config template lets one set: all of them, so two stacks (or a stack and a dev server) can coexist. */
export const SERVER_PORT_VARIABLES = [
  'FRONTEND_GRPC_PORT',
  'FRONTEND_HTTP_PORT',
  'FRONTEND_MEMBERSHIP_PORT',
  'INTERNAL_FRONTEND_GRPC_PORT',
  'INTERNAL_FRONTEND_HTTP_PORT',
  'INTERNAL_FRONTEND_MEMBERSHIP_PORT',
  'HISTORY_GRPC_PORT',
  'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT',
  'MATCHING_MEMBERSHIP_PORT',
  'WORKER_GRPC_PORT',
  'WORKER_MEMBERSHIP_PORT',
] as const;

export type ServerPorts = Record<(typeof SERVER_PORT_VARIABLES)[number], number>;

export interface ServerProcessOptions {
  binaries: ServerBinaries;
  /** The environment the server renders its config from (compose's, with the host's values over it). */
  environment: Record<string, string>;
  ports: ServerPorts;
  logFile: string;
}

export interface ServerProcess {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const { binaries } = options;
  const out = openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(
    binaries.server,
    ['--root', binaries.dir, '--config', 'config', '--env', 'docker', '--allow-no-auth', 'start'],
    {
      env: {
        PATH: process.env.PATH,
        ...options.environment,
        ...Object.fromEntries(Object.entries(options.ports).map(([k, v]) => [k, String(v)])),
      },
      stdio: ['ignore', out, out],
    },
  );
  closeSync(out);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const address = `127.0.0.1:${options.ports.FRONTEND_GRPC_PORT}`;
  try {
    await waitUntilServing(address, child, 120_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message} (log: ${options.logFile})`);
  }
  return {
    address,
    pid: child.pid!,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child, 20_000);
    },
  };
}
