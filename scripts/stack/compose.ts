// What `npm run stack` takes from docker-compose.yml, so the native stack and the compose file cannot drift: the
// Temporal server's version (the image tag), its environment (read by the server's own config template in both), the
// PostgreSQL user and password, and the scripts the one-shot jobs run (deploy/temporal-schema.sh, temporal-setup.sh).
import { readFileSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../temporal-binary';

interface ComposeService {
  image?: string;
  environment?: Record<string, string | number | boolean>;
  volumes?: string[];
}

export interface ComposeStack {
  /** The Temporal server version of the `temporal` service's image, e.g. "1.29.1". */
  serverVersion: string;
  /** The `temporal` service's environment, `${VAR:-default}` resolved from `vars` (or the default). */
  serverEnvironment: Record<string, string>;
  postgres: { user: string; password: string };
  /** The host file the server's DYNAMIC_CONFIG_FILE_PATH is mounted from. */
  dynamicConfigFile: string;
  /** The host scripts the temporal-schema and temporal-setup jobs run, and their environment. */
  schemaJob: { script: string; environment: Record<string, string> };
  setupJob: { script: string; environment: Record<string, string> };
}

/** Compose's `${NAME:-default}` and `${NAME}`, from `vars` (as a `.env` would give them) or the default. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(
    /\$\{(\w+)(?::-([^}]*))?\}/g,
    (_, name: string, fallback?: string) => vars[name] || fallback || '',
  );
}

function environmentOf(service: ComposeService, vars: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]),
  );
}

/** The host side of the bind mount that puts `containerPath` into the service. */
function hostPathOf(service: ComposeService, containerPath: string, root: string): string {
  for (const volume of service.volumes ?? []) {
    const [host, container] = volume.split(':');
    if (container === containerPath && host?.startsWith('.')) return join(root, host);
  }
  throw new Error(`docker-compose.yml: nothing is mounted at ${containerPath}`);
}

/** A one-shot job's `command: ["/deploy/x.sh"]`, as the host script it mounts. */
function jobOf(
  service: ComposeService & { command?: string[] },
  vars: Record<string, string | undefined>,
  root: string,
) {
  const containerScript = service.command?.[0];
  if (!containerScript) throw new Error('docker-compose.yml: a one-shot job without a command');
  return { script: hostPathOf(service, containerScript, root), environment: environmentOf(service, vars) };
}

export function readComposeStack(
  vars: Record<string, string | undefined> = process.env,
  root: string = projectRoot,
): ComposeStack {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService & { command?: string[] }>;
  };
  const { temporal, postgresql } = compose.services;
  if (!temporal || !postgresql) throw new Error('docker-compose.yml: no temporal or postgresql service');
  const version = /^temporalio\/server:(\d+\.\d+\.\d+)$/.exec(temporal.image ?? '')?.[1];
  if (!version) throw new Error(`docker-compose.yml: cannot read the server version from ${temporal.image}`);
  const serverEnvironment = environmentOf(temporal, vars);
  const dynamicConfig = serverEnvironment.DYNAMIC_CONFIG_FILE_PATH;
  if (!dynamicConfig) throw new Error('docker-compose.yml: the temporal service sets no DYNAMIC_CONFIG_FILE_PATH');
  // The image resolves a relative path under its working directory, /etc/temporal.
  const mountedAt = isAbsolute(dynamicConfig) ? dynamicConfig : posix.join('/etc/temporal', dynamicConfig);
  const pg = environmentOf(postgresql, vars);
  return {
    serverVersion: version,
    serverEnvironment,
    postgres: { user: pg.POSTGRES_USER ?? 'postgres', password: pg.POSTGRES_PASSWORD ?? '' },
    dynamicConfigFile: hostPathOf(temporal, mountedAt, root),
    schemaJob: jobOf(compose.services['temporal-schema']!, vars, root),
    setupJob: jobOf(compose.services['temporal-setup']!, vars, root),
  };
}
