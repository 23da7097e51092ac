// The deployment files, checked without a Docker engine: docker-compose.yml and the Dockerfile parse, every service
// the product needs is there with a health check and ordered start-up, every variable set on the product's
// containers is a configuration key, the search attributes registered are the workflows', and the commands exist.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema } from '../../config';
import { devServerDynamicConfigArgs } from '../../scripts/dev-server';
import { productSearchAttributes } from '../../workflows/search-attributes';

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number> | string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  volumes?: string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const packageJson = JSON.parse(read('package.json')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};
const product = Object.entries(services).filter(([, s]) => s.build !== undefined);

const environment = (s: Service): Record<string, string> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((e) => [e.split('=')[0]!, e.split('=').slice(1).join('=')]))
    : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
/** A `ports:` entry, short ("[ip:]host:container") or long syntax, as the host address and the container port. */
function publishedPort(p: NonNullable<Service['ports']>[number]): { hostIp?: string; container: string } {
  if (typeof p === 'object') return { hostIp: p.host_ip, container: String(p.target) };
  const parts = String(p).split(':');
  return { hostIp: parts.length === 3 ? parts[0] : undefined, container: parts[parts.length - 1]!.split('/')[0]! };
}
const words = (c: string | string[] | undefined) => (Array.isArray(c) ? c : (c ?? '').split(/\s+/)).filter(Boolean);

describe('docker-compose.yml', () => {
  it('gives the Temporal server the dynamic config the dev server gets: one partition per queue, from one file', () => {
    const temporal = services.temporal!;
    const mount = (temporal.volumes ?? []).find((v) => v.startsWith('./deploy/temporal-dynamic-config.yaml:'));
    expect(mount).toBeDefined();
    const target = mount!.split(':')[1]!;
    // The image resolves DYNAMIC_CONFIG_FILE_PATH under /etc/temporal.
    expect(join('/etc/temporal', environment(temporal).DYNAMIC_CONFIG_FILE_PATH!)).toBe(target);
    expect(devServerDynamicConfigArgs()).toEqual([
      '--dynamic-config-value',
      'matching.numTaskqueueReadPartitions=1',
      '--dynamic-config-value',
      'matching.numTaskqueueWritePartitions=1',
    ]);
  });

  it('refuses a constrained dynamic config value for the dev server rather than apply it to every queue', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dynamic-config-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      'matching.numTaskqueueReadPartitions:\n  - value: 1\n    constraints: { taskQueueName: "fortnox:acme" }\n',
    );
    expect(() => devServerDynamicConfigArgs(file)).toThrow(/constraints/);
  });

  it('runs PostgreSQL, Temporal with schema setup, the UI, the setup job, the worker, the webhook receiver and the event listener', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal-schema',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'worker',
        'webhook-receiver',
        'fortnox-events',
      ]),
    );
    expect(words(services['fortnox-events']!.command)).toEqual(['npm', 'run', 'events']);
    expect(packageJson.scripts.events).toContain('client/fortnox-events-main.ts');
    expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    // The one-shot jobs run the scripts in deploy/ (which `npm run stack` runs too), mounted where the command says.
    for (const job of ['temporal-schema', 'temporal-setup']) {
      const script = words(services[job]!.command)[0]!;
      const mount = (services[job]!.volumes ?? []).find((v) => v.split(':')[1] === script);
      expect(mount, `${job} mounts ${script}`).toBeDefined();
      expect(existsSync(join(root, mount!.split(':')[0]!)), mount).toBe(true);
    }
    expect(read('deploy/temporal-schema.sh')).toContain('update-schema');
  });

  it('starts each service after what it needs, and health-checks the long-running ones', () => {
    const long = ['postgresql', 'temporal', 'temporal-ui', 'worker', 'webhook-receiver', 'fortnox-events'];
    for (const name of long)
      expect(services[name]!.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(0);
    expect(services['temporal-schema']!.depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
    expect(services.temporal!.depends_on).toEqual({
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    expect(services['temporal-setup']!.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    for (const name of ['worker', 'webhook-receiver', 'fortnox-events']) {
      expect(services[name]!.depends_on).toEqual({
        temporal: { condition: 'service_healthy' },
        'temporal-setup': { condition: 'service_completed_successfully' },
      });
    }
    for (const s of Object.values(services)) {
      for (const dependency of Object.keys(s.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
    }
  });

  it('sets only configuration keys on the product containers, and the health checks use the configured ports', () => {
    const keys = new Set(Object.keys(envSchema.shape));
    expect(product.map(([name]) => name).sort()).toEqual([
      'cli',
      'codec-server',
      'fortnox-events',
      'webhook-receiver',
      'worker',
    ]);
    for (const [name, s] of product) {
      const env = environment(s);
      for (const key of Object.keys(env))
        expect(keys.has(key), `${name}: ${key} is not in envSchema (config/index.ts)`).toBe(true);
      // Values must pass the product's own validation (numbers, host:port, URLs), defaults interpolated.
      const interpolated = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{\w+:-([^}]*)\}/g, '$1')]),
      );
      expect(() => envSchema.parse(interpolated), name).not.toThrow();
      expect(env.TENANTS_FILE).toBe('/config/tenants.yaml');
      expect(s.volumes).toContain('./tenants.yaml:/config/tenants.yaml:ro');
    }
    expect(services.worker!.healthcheck!.test.join(' ')).toContain(
      `127.0.0.1:${environment(services.worker!).METRICS_PORT}/healthz`,
    );
    expect(services['webhook-receiver']!.healthcheck!.test.join(' ')).toContain(
      `127.0.0.1:${environment(services['webhook-receiver']!).WEBHOOK_PORT}/healthz`,
    );
    expect(services['fortnox-events']!.healthcheck!.test.join(' ')).toContain(
      `127.0.0.1:${environment(services['fortnox-events']!).METRICS_PORT}/healthz`,
    );
  });

  it('publishes only the webhook receiver beyond the host: Temporal, its Web UI, the codec server, metrics on 127.0.0.1', () => {
    // Temporal's gRPC and Web UI have no authentication, metrics none either; the receiver authenticates each tenant.
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, ...publishedPort(p) })),
    );
    expect(published.map((p) => `${p.name}:${p.container}`).sort()).toEqual([
      'codec-server:8384',
      'fortnox-events:9464',
      'temporal-ui:8080',
      'temporal:7233',
      'webhook-receiver:8380',
      'webhook-receiver:9464',
      'worker:9464',
    ]);
    for (const p of published) {
      if (p.name === 'webhook-receiver' && p.container === environment(services[p.name]!).WEBHOOK_PORT) continue;
      expect(p.hostIp, `${p.name} publishes ${p.container} on ${p.hostIp ?? 'all interfaces'}`).toBe('127.0.0.1');
    }
  });

  it('lets metrics be reached through the published port: the product containers listen on all their interfaces', () => {
    // Inside a container 127.0.0.1 is the container itself: Docker's port forwarding could not reach it.
    for (const name of ['worker', 'webhook-receiver'])
      expect(environment(services[name]!).METRICS_HOST, name).toBe('0.0.0.0');
  });

  it('registers exactly the search attributes the workflows use, with their types', () => {
    const script = read('deploy/temporal-setup.sh');
    const found = [...script.matchAll(/^\s*add (\w+) (\w+)\s*$/gm)].map((m) => [m[1], m[2]]);
    const typeName: Record<string, string> = {
      KEYWORD: 'Keyword',
      BOOL: 'Bool',
      TEXT: 'Text',
      INT: 'Int',
      DOUBLE: 'Double',
      DATETIME: 'Datetime',
      KEYWORD_LIST: 'KeywordList',
    };
    expect(found.sort()).toEqual(productSearchAttributes.map((k) => [k.name, typeName[k.type]]).sort());
  });

  it('runs npm scripts that exist', () => {
    for (const [name, s] of product) {
      const argv = [...words(s.entrypoint), ...words(s.command)];
      const run = argv.indexOf('run');
      expect(argv[0], name).toBe('npm');
      const script = argv.slice(run + 1).find((a) => !a.startsWith('-'));
      expect(packageJson.scripts[script!], `${name}: npm run ${script}`).toBeDefined();
    }
  });
});

/** Relative imports of a TypeScript file, and the packages it imports. */
function imports(file: string): { files: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/import\('([^']+)'\)/g),
  ]
    .filter((m) => !/^\s*import\s+type\s/.test(m[0]) && !/^\s*export\s+type\s/.test(m[0]))
    .map((m) => m[1]!);
  const files: string[] = [];
  const packages: string[] = [];
  for (const s of specifiers) {
    if (s.startsWith('.')) {
      const base = resolve(dirname(file), s);
      const candidate = [`${base}.ts`, join(base, 'index.ts'), base].find((f) => existsSync(f) && f.endsWith('.ts'));
      if (candidate) files.push(candidate);
    } else if (!s.startsWith('node:')) {
      packages.push(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    }
  }
  return { files, packages };
}

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+\s/.test(l));

  it('builds on node:20-slim with production dependencies and runs an npm script that exists', () => {
    expect(instructions[0]).toBe('FROM node:20-slim');
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    const cmd = JSON.parse(instructions.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
    expect(cmd.slice(0, 2)).toEqual(['npm', 'run']);
    expect(packageJson.scripts[cmd[2]!]).toBeDefined();
  });

  it('copies every folder the entry points import, and they need no dev dependency', () => {
    const copied = instructions.filter((l) => l.startsWith('COPY ')).map((l) => l.split(/\s+/)[1]!);
    // Scripts run a TypeScript entry with tsx: `tsx x.ts` or `exec node --import tsx x.ts`.
    const entries = ['worker', 'receiver', 'events', 'cli'].map((s) =>
      join(root, /(\S+\.ts)\b/.exec(packageJson.scripts[s]!)![1]!),
    );
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [...entries];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const found = imports(file);
      found.packages.forEach((p) => packages.add(p));
      queue.push(...found.files);
    }
    const folders = new Set([...seen].map((f) => f.slice(root.length + 1).split('/')[0]!));
    expect([...folders]).toEqual(
      expect.arrayContaining(['activities', 'client', 'config', 'domain', 'observability', 'workers', 'workflows']),
    );
    for (const folder of folders) expect(copied, `Dockerfile must COPY ${folder}`).toContain(folder);
    expect([...packages]).toEqual(expect.arrayContaining(['@temporalio/worker', 'commander', 'prom-client', 'ws']));
    for (const p of packages) expect(packageJson.dependencies[p], `${p} must be a runtime dependency`).toBeDefined();
  });
});
