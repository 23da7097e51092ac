// Classifies what came back from Fortnox (an HTTP error answer or a transport failure) into a FortnoxError.
import { FortnoxError } from './errors';

/** Fortnox documents no Retry-After: its window is 5 s, so waiting a window is always enough. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 5000;

export interface ParsedErrorBody {
  code?: string;
  message?: string;
}

function pick(record: Record<string, unknown>, key: string): unknown {
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Reads the error body in any of the shapes Fortnox uses, keys in any case:
 * REST v3 `{"ErrorInformation": {"error": 1, "message": "...", "code": 2000423}}`,
 * Lager `{"error": "cannot_modify_released_document", "id": "...", "message": "..."}`,
 * OAuth `{"error": "invalid_grant", "error_description": "..."}`.
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isRecord(body)) return {};
  const info = pick(body, 'ErrorInformation');
  if (isRecord(info)) {
    const code = asText(pick(info, 'code'));
    const message = asText(pick(info, 'message'));
    return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
  }
  // Lager and OAuth: `error` is the code when it is a word; a bare `1` (v3 style flag) is not a code.
  const error = pick(body, 'error');
  const codeField = asText(pick(body, 'code'));
  const code = codeField ?? (typeof error === 'string' ? error : undefined);
  const message = asText(pick(body, 'message')) ?? asText(pick(body, 'error_description'));
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  return undefined;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*</.test(text);
}

/** Builds the FortnoxError for a non-2xx answer. */
export function errorFromResponse(input: {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}): FortnoxError {
  const { method, path, status } = input;
  const parsed = parseErrorBody(input.body);
  const describe = [
    `Fortnox ${method} ${path} failed with HTTP ${status}`,
    parsed.code ? `code ${parsed.code}` : undefined,
    parsed.message
      ? `"${parsed.message}"`
      : looksLikeHtml(input.body)
        ? '(HTML error page)'
        : input.body.trim() === ''
          ? '(empty body)'
          : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const base = {
    method,
    path,
    status,
    ...(parsed.code ? { code: parsed.code } : {}),
    ...(parsed.message ? { fortnoxMessage: parsed.message } : {}),
  };
  if (status === 429) {
    return new FortnoxError(describe, {
      ...base,
      kind: 'rate-limited',
      retryAfterMs: retryAfterMs(input.headers['retry-after']) ?? DEFAULT_RATE_LIMIT_DELAY_MS,
    });
  }
  // 408 and every 5xx are the server's trouble, whatever the body says (HTML proxy pages included).
  if (status === 408 || status >= 500) return new FortnoxError(describe, { ...base, kind: 'retryable' });
  return new FortnoxError(describe, { ...base, kind: 'non-retryable' });
}

/** A request that never got an answer (timeout, refused, reset): always retryable; the caller's idempotency covers the rest. */
export function errorFromTransport(input: { method: string; path: string; error: unknown }): FortnoxError {
  const err = input.error as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const name = typeof err?.name === 'string' ? err.name : 'Error';
  const what = name === 'TimeoutError' || code === 'ETIMEDOUT' ? 'timed out' : `failed (${code ?? name})`;
  return new FortnoxError(`Fortnox ${input.method} ${input.path} ${what}`, {
    kind: 'retryable',
    method: input.method,
    path: input.path,
    ...(code ? { code } : {}),
    cause: input.error instanceof Error ? sanitizedCause(input.error) : undefined,
  });
}

/** got errors carry the request options (headers with the bearer token): keep only name, code and message. */
function sanitizedCause(error: Error): Error {
  const copy = new Error(error.message);
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
  return copy;
}
