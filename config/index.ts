// The one configuration module: environment variables plus an optional tenants file, validated with zod.
// A bad value stops start-up with a message naming the key, what is wrong with the value and what was expected.
import { accessSync, constants, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml, YAMLError } from 'yaml';
import { z } from 'zod';
import {
  billingSectionSchema,
  tenantSchema,
  unmappedPriceListCodes,
  type BillingSection,
  type Tenant,
} from './tenants';
import { DEFAULT_TASK_QUEUE } from '../domain/names';
import { parseCodecKeys } from '../client/codec-keys';

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

export const MAX_WEBHOOK_BODY_BYTES = 10 * 1024 * 1024;

const TLS_FILE_KEYS = ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA'] as const;

export const envSchema = z
  .object({
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
    TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
    // Unset: the worker's DEFAULT_WORKFLOW_CACHE_SIZE (workers/worker.ts), the one default.
    WORKFLOW_CACHE_SIZE: z.coerce.number({ error: 'expected a whole number of workflows' }).int().min(0).optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    WEBHOOK_PORT: port(8380),
    /** A WMS order event is about 1 KB; the bound keeps a typo from letting anyone make the receiver buffer gigabytes. */
    WEBHOOK_MAX_BODY_BYTES: z.coerce
      .number({ error: 'expected a number of bytes' })
      .int({ error: 'expected a whole number of bytes' })
      .min(1024, { error: 'expected at least 1024 bytes' })
      .max(MAX_WEBHOOK_BODY_BYTES, { error: `expected at most ${MAX_WEBHOOK_BODY_BYTES} bytes (10 MiB)` })
      .default(1_048_576),
    FORTNOX_SANDBOX_PORT: port(8381),
    WMS_SANDBOX_PORT: port(8382),
    /** The sandbox web console (`npm start` without a tenants file): both sandboxes side by side. */
    CONSOLE_PORT: port(8383),
    METRICS_PORT: port(9464),
    /** `npm start` only: the metrics port of the Fortnox event listener it runs as a process of its own. */
    EVENTS_METRICS_PORT: port(9465),
    /** Address the unauthenticated metrics endpoint listens on: loopback unless a scraper elsewhere needs it (0.0.0.0 in a container). */
    METRICS_HOST: z
      .string()
      .min(1, { error: 'expected an address to listen on, e.g. 127.0.0.1 or 0.0.0.0' })
      .default('127.0.0.1'),
    TENANTS_FILE: z.string().optional(),
    /** The payload codec's keys, `id:base64` comma-separated, the current first (client/codec-keys.ts). */
    CODEC_KEYS: z.string().optional(),
    /** A file of the same (one per line); used when CODEC_KEYS is unset. Neither: DATA_DIR/codec-keys, made once. */
    CODEC_KEYS_FILE: z.string().optional(),
    /** The codec server the Web UI decodes payloads with (`npm start` runs it beside the dev server). */
    CODEC_SERVER_PORT: port(8384),
    /** What a caller of the codec server must present (Bearer, or a path segment); `npm start` makes one per start. */
    CODEC_SERVER_TOKEN: z.string().min(16, { error: 'expected at least 16 characters' }).optional(),
    /** Origins a browser may call the codec server from (comma-separated): the Web UI's. */
    CODEC_SERVER_ALLOWED_ORIGINS: z.string().optional(),
    /** The embedded demo's WMS webhooks: HTTP Basic as Ongoing sends them, or off (the status-change poll alone). */
    DEMO_WEBHOOKS: z.enum(['basic', 'off'], { error: 'expected basic or off' }).default('basic'),
    LOG_LEVEL: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
        error: 'expected one of trace, debug, info, warn, error, fatal, silent',
      })
      .default('info'),
  })
  .superRefine((env, ctx) => {
    // A certificate without its key (or the reverse) used to mean no client certificate at all, silently.
    if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
      const missing = env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'expected TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY together (mTLS needs both)',
      });
    }
    if (env.CODEC_KEYS) {
      try {
        parseCodecKeys(env.CODEC_KEYS, 'CODEC_KEYS');
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: ['CODEC_KEYS'],
          message: (err as Error).message.replace(/^CODEC_KEYS: /, ''),
        });
      }
    }
    // Found now, naming the key, rather than when the first connection is made.
    for (const key of [...TLS_FILE_KEYS, 'CODEC_KEYS_FILE'] as const) {
      const path = env[key];
      if (!path) continue;
      try {
        accessSync(path, constants.R_OK);
      } catch (err) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `expected a readable file, cannot read ${path} (${(err as NodeJS.ErrnoException).code})`,
        });
      }
    }
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

const SECRET_KEY = /SECRET|PASSWORD|API_?KEY|TOKEN|CREDENTIAL|CODEC_KEYS$/i;

/**
 * What was found, for an error message. Never a secret: a secret-named key is hidden, and a map or list (which may
 * hold secrets under any key, resolved from `env:`) is described by its type alone.
 */
function describeValue(input: unknown, key: string): string {
  if (input === undefined) return 'missing';
  if (SECRET_KEY.test(key)) return '(hidden)';
  if (input === null) return 'null';
  if (Array.isArray(input)) return `a list of ${input.length}`;
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string' && input.length > 100) return `a text of ${input.length} characters`;
  return JSON.stringify(input);
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
    if (resolved === undefined || resolved === '')
      problems.push(`${path}: refers to environment variable ${name}, which is not set`);
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
    if (!tenant)
      return void problems.push(
        `${where}: no tenant has id "${owner.tenantId}"; expected one of ${tenants.map((t) => t.id).join(', ')}`,
      );
    if (seen.has(owner.tenantId))
      return void problems.push(`${where}: "${owner.tenantId}" is listed twice; expected each goods owner once`);
    if (tenant.billing)
      return void problems.push(
        `${where}: tenant "${owner.tenantId}" has its own billing entry too; expected one of the two`,
      );
    seen.add(owner.tenantId);
    const feeMapping = { ...billing.feeMapping, ...owner.feeMapping };
    const priceList = { ...billing.priceList, ...owner.priceList };
    for (const code of unmappedPriceListCodes(priceList, feeMapping)) {
      const at =
        owner.priceList && Object.hasOwn(owner.priceList, code)
          ? `billing.goodsOwners.${i}.priceList`
          : 'billing.priceList';
      problems.push(
        `${file}: ${at}.${code}: fee code "${code}" has no feeMapping entry for goods owner "${owner.tenantId}"; ` +
          'every fee code needs one',
      );
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
    if (billing.periodCron && raw?.settings?.billingCron === undefined)
      tenant.settings.billingCron = billing.periodCron;
  });
  if (problems.length) throw new ConfigError(problems);
}

/** What authenticates a tenant's webhooks; undefined for `off`. */
function webhookCredential(tenant: Tenant): string | undefined {
  const webhook = tenant.wms.webhook;
  if (webhook.auth === 'basic') return `basic:${webhook.username}:${webhook.password}`;
  if (webhook.auth === 'token') return `token:${webhook.token}`;
  if (webhook.auth === 'hmac') return `hmac:${webhook.secret}`;
  return undefined;
}

/**
 * Two tenants with the same webhook credentials, or the same goods owner in the same WMS: an event meant for one would
 * be accepted at the other's URL. Messages name the tenants and keys, never the credentials.
 */
function sharedWebhookIdentities(tenants: Tenant[]): string[] {
  const problems: string[] = [];
  const firstWith = (key: (t: Tenant) => string | undefined, i: number) => {
    const mine = key(tenants[i]!);
    return mine === undefined ? undefined : tenants.slice(0, i).find((t) => key(t) === mine);
  };
  const goodsOwner = (t: Tenant) =>
    `${new URL(t.wms.baseUrl).href.replace(/\/+$/, '').toLowerCase()}#${t.wms.goodsOwnerId}`;
  tenants.forEach((tenant, i) => {
    const sameCredential = firstWith(webhookCredential, i);
    if (sameCredential) {
      problems.push(
        `tenants.${i}.wms.webhook: tenant "${tenant.id}" has the same webhook credentials as "${sameCredential.id}"; ` +
          "expected each tenant its own (its events would be accepted at the other's URL)",
      );
    }
    const sameOwner = firstWith(goodsOwner, i);
    if (sameOwner) {
      problems.push(
        `tenants.${i}.wms.goodsOwnerId: tenant "${tenant.id}" has the same goods owner (${tenant.wms.goodsOwnerId}) in the ` +
          `same WMS as "${sameOwner.id}"; expected one tenant per goods owner`,
      );
    }
  });
  return problems;
}

export function loadTenantsFile(file: string, env: NodeJS.ProcessEnv = process.env): Tenant[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    // A YAML error's message quotes the offending line, which may be a secret: give its position alone.
    if (err instanceof YAMLError) {
      const at = err.linePos?.[0];
      throw new ConfigError([
        `TENANTS_FILE: cannot parse ${file}${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${err.code}`,
      ]);
    }
    throw new ConfigError([
      `TENANTS_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
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
  const shared = sharedWebhookIdentities(parsed.data.tenants);
  if (shared.length) throw new ConfigError(shared.map((p) => `${file}: ${p}`));
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
