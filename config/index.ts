// The one configuration module: environment variables plus an optional tenants file, validated with zod.
// A bad value stops start-up with a message naming the key, what is wrong with the value and what was expected.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { redactSecrets } from './logger';
import { billingSectionSchema, tenantSchema, unmappedPriceListCodes, type BillingSection, type Tenant } from './tenants';

export * from './tenants';

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a port number (1-65535)' })
    .int({ error: 'expected a whole port number (1-65535)' })
    .min(1, { error: 'expected a port number (1-65535)' })
    .max(65535, { error: 'expected a port number (1-65535)' })
    .default(fallback);

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envSchema = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, { error: 'expected host:port, e.g. my-ns.a1b2c.tmprl.cloud:7233' })
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1, { error: 'expected a namespace name' }).default('default'),
  TEMPORAL_TLS: flag.default(false),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_CLI: z.string().optional(),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  /** Where operators open the Temporal Web UI (links printed by the CLI and the console); default http://localhost:TEMPORAL_UI_PORT. */
  TEMPORAL_UI_URL: z.url({ error: 'expected the Web UI base URL, e.g. https://cloud.temporal.io' }).optional(),
  TASK_QUEUE: z.string().min(1).default('wms-fortnox'),
  WORKFLOW_CACHE_SIZE: z.coerce.number({ error: 'expected a whole number of workflows' }).int().min(0).default(250),
  DATA_DIR: z.string().min(1).default('.data'),
  WEBHOOK_PORT: port(8380),
  WEBHOOK_MAX_BODY_BYTES: z.coerce.number().int().min(1024, { error: 'expected at least 1024 bytes' }).default(1_048_576),
  FORTNOX_SANDBOX_PORT: port(8381),
  WMS_SANDBOX_PORT: port(8382),
  /** The sandbox web console (`npm start` without a tenants file): both sandboxes side by side. */
  CONSOLE_PORT: port(8383),
  METRICS_PORT: port(9464),
  /** Address the unauthenticated metrics endpoint listens on: loopback unless a scraper elsewhere needs it (0.0.0.0 in a container). */
  METRICS_HOST: z.string().min(1, { error: 'expected an address to listen on, e.g. 127.0.0.1 or 0.0.0.0' }).default('127.0.0.1'),
  TENANTS_FILE: z.string().optional(),
  /** The embedded demo's WMS webhooks: HTTP Basic as Ongoing sends them, or off (the status-change poll alone). */
  DEMO_WEBHOOKS: z.enum(['basic', 'off'], { error: 'expected basic or off' }).default('basic'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
    error: 'expected one of trace, debug, info, warn, error, fatal, silent',
  }).default('info'),
});

export type EnvConfig = z.infer<typeof envSchema>;

export interface AppConfig {
  env: EnvConfig;
  /** Absolute path of the data directory (dev server database, token store). */
  dataDir: string;
  /** Tenants from TENANTS_FILE; empty means the embedded sandbox default. */
  tenants: Tenant[];
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeValue(input: unknown, key: string): string {
  // Never echo secrets back into logs: not a secret-named key, nor one nested in a section (a whole `webhook`).
  if (/SECRET|PASSWORD|API_KEY|TOKEN/i.test(key)) return '(hidden)';
  if (input === undefined) return 'missing';
  return JSON.stringify(redactSecrets(input));
}

function formatIssues(issues: z.core.$ZodIssue[], source: string, root: unknown): string[] {
  return issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    let value: unknown = root;
    for (const segment of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
    return `${source}${key}: ${issue.message} (got ${describeValue(value, key)})`;
  });
}

export function loadEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, '', relevant));
  return parsed.data;
}

/** Resolves `env:NAME` references in the tenants file so secrets can stay out of it. */
function resolveEnvReferences(value: unknown, env: NodeJS.ProcessEnv, path: string, problems: string[]): unknown {
  if (typeof value === 'string' && value.startsWith('env:')) {
    const name = value.slice(4);
    const resolved = env[name];
    if (resolved === undefined || resolved === '') problems.push(`${path}: refers to environment variable ${name}, which is not set`);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveEnvReferences(v, env, `${path}.${i}`, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveEnvReferences(v, env, path ? `${path}.${k}` : k, problems)]),
    );
  }
  return value;
}

const tenantsFileSchema = z.object({
  tenants: z.array(tenantSchema).min(1, { error: 'expected at least one tenant' }),
  /** 3PL invoicing: the 3PL's own Fortnox and the goods owners it invoices (docs/billing.md). */
  billing: billingSectionSchema.optional(),
});

/**
 * Joins the top-level `billing` section onto each goods owner it lists, so workers, schedules and activities find
 * everything about a tenant on the tenant. `rawTenants` tells which tenants set their own settings.billingCron.
 */
function joinBilling(tenants: Tenant[], billing: BillingSection, rawTenants: unknown[], file: string): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  billing.goodsOwners.forEach((owner, i) => {
    const index = tenants.findIndex((t) => t.id === owner.tenantId);
    const tenant = tenants[index];
    const where = `${file}: billing.goodsOwners.${i}.tenantId`;
    if (!tenant) return void problems.push(`${where}: no tenant has id "${owner.tenantId}"; expected one of ${tenants.map((t) => t.id).join(', ')}`);
    if (seen.has(owner.tenantId)) return void problems.push(`${where}: "${owner.tenantId}" is listed twice; expected each goods owner once`);
    if (tenant.billing) return void problems.push(`${where}: tenant "${owner.tenantId}" has its own billing entry too; expected one of the two`);
    seen.add(owner.tenantId);
    const feeMapping = { ...billing.feeMapping, ...owner.feeMapping };
    const priceList = { ...billing.priceList, ...owner.priceList };
    for (const code of unmappedPriceListCodes(priceList, feeMapping)) {
      const at = owner.priceList && Object.hasOwn(owner.priceList, code) ? `billing.goodsOwners.${i}.priceList` : 'billing.priceList';
      problems.push(`${file}: ${at}.${code}: fee code "${code}" has no feeMapping entry for goods owner "${owner.tenantId}"; ` +
        'every fee code needs one');
    }
    tenant.billing = {
      fortnox: billing.fortnox,
      customerNumber: owner.customerNumber,
      feeMapping,
      orderCharges: owner.orderCharges ?? billing.orderCharges,
      priceList,
      maxRowsPerInvoice: billing.maxRowsPerInvoice,
    };
    const raw = rawTenants[index] as { settings?: { billingCron?: unknown } } | undefined;
    if (billing.periodCron && raw?.settings?.billingCron === undefined) tenant.settings.billingCron = billing.periodCron;
  });
  if (problems.length) throw new ConfigError(problems);
}

export function loadTenantsFile(file: string, env: NodeJS.ProcessEnv = process.env): Tenant[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`TENANTS_FILE: cannot read ${file}: ${(err as Error).message}`]);
  }
  const problems: string[] = [];
  const resolved = resolveEnvReferences(raw, env, '', problems);
  if (problems.length) throw new ConfigError(problems.map((p) => `${file}: ${p}`));
  const parsed = tenantsFileSchema.safeParse(resolved);
  // Values are quoted as written in the file: `env:NAME` rather than the secret it resolved to.
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, `${file}: `, raw));
  const ids = parsed.data.tenants.map((t) => t.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ConfigError([`${file}: tenants: id "${duplicate}" is used twice; expected unique ids`]);
  if (parsed.data.billing) {
    joinBilling(parsed.data.tenants, parsed.data.billing, (resolved as { tenants: unknown[] }).tenants, file);
  }
  return parsed.data.tenants;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsedEnv = loadEnv(env);
  const tenants = parsedEnv.TENANTS_FILE ? loadTenantsFile(parsedEnv.TENANTS_FILE, env) : [];
  return { env: parsedEnv, dataDir: resolve(parsedEnv.DATA_DIR), tenants };
}
