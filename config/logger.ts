// Structured JSON logs (pino) with secrets redacted wherever they might appear: by key name at any depth (a whole
// tenant, request headers, an error's response body), and bearer tokens inside strings.
import { pino, type Logger } from 'pino';

export const REDACTED_KEYS = [
  'password',
  'clientSecret',
  'client_secret',
  'secret',
  'webhookSecret',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'initialRefreshToken',
  'authorization',
  'apiKey',
  'api_key',
  'token',
  'cookie',
];

/** Any key that names a secret, in any case and any spelling we have met (TEMPORAL_API_KEY, X-Api-Key, Authorization). */
const SECRET_KEY = new RegExp(
  `^(${REDACTED_KEYS.join('|')})$|secret|password|token|api[-_]?key|authorization|cookie`,
  'i',
);
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/g;
const CENSOR = '[redacted]';
const MAX_DEPTH = 8;

/** A copy of a log object with secret-named keys censored at every depth; leaves the caller's object untouched. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(BEARER, `$1 ${CENSOR}`);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Error) {
    // An error's own properties (a got error's request options, for one) may carry secrets: log a plain, censored copy.
    // A plain object, because some error classes (ApplicationFailure) have read-only properties a copy cannot set.
    const copy: Record<string, unknown> = { type: value.constructor.name, name: value.name };
    for (const key of ['message', 'stack'])
      copy[key] = redactSecrets((value as unknown as Record<string, unknown>)[key], depth + 1);
    for (const [key, v] of Object.entries(value))
      copy[key] = SECRET_KEY.test(key) ? CENSOR : redactSecrets(v, depth + 1);
    if (value.cause !== undefined) copy.cause = redactSecrets(value.cause, depth + 1);
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return value; // Dates, Buffers, class instances: pino knows them
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      SECRET_KEY.test(key) && v != null ? CENSOR : redactSecrets(v, depth + 1),
    ]),
  );
}

function safely(redact: () => Record<string, unknown>): Record<string, unknown> {
  try {
    return redact();
  } catch (err) {
    return { redactionFailed: String(err) };
  }
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wms-fortnox' },
      formatters: {
        // Logging must never throw into the code that logs (an activity, a request handler).
        log: (object) => safely(() => redactSecrets(object) as Record<string, unknown>),
        bindings: (bindings) => safely(() => redactSecrets(bindings) as Record<string, unknown>),
      },
      hooks: {
        // Messages are strings an author wrote, but may quote a header or an error text.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
