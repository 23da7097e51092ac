// Fortnox failures as classes: each one classified (retryable, rate-limited, non-retryable) and convertible to a Temporal failure.
import { ApplicationFailure } from '@temporalio/common';
import { IntegrationError } from '../integration-error';

export type FortnoxErrorKind = 'retryable' | 'rate-limited' | 'non-retryable';

export interface FortnoxErrorOptions {
  kind: FortnoxErrorKind;
  method: string;
  /** Request path without query string: query strings may carry filters we do not want in histories, never tokens. */
  path: string;
  status?: number;
  /** Fortnox's own code: a number-like string for REST v3 (e.g. "2000423"), a word for Lager (e.g. "referenceTypeNotAllowed"). */
  code?: string;
  /** Fortnox's message as it came (often Swedish). */
  fortnoxMessage?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/** A failed Fortnox call. The message names the request and what came back, and never contains a token or secret. */
export class FortnoxError extends IntegrationError {
  readonly system = 'Fortnox' as const;
  readonly kind: FortnoxErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly fortnoxMessage?: string;
  readonly method: string;
  readonly path: string;
  readonly retryAfterMs?: number;

  constructor(message: string, options: FortnoxErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FortnoxError';
    this.kind = options.kind;
    this.method = options.method;
    this.path = options.path;
    if (options.status !== undefined) this.status = options.status;
    if (options.code !== undefined) this.code = options.code;
    if (options.fortnoxMessage !== undefined) this.fortnoxMessage = options.fortnoxMessage;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  toApplicationFailure(): ApplicationFailure {
    return toApplicationFailure(this);
  }
}

/** Fortnox answered, but with a body we cannot trust (wrong shape, HTML, empty). Never retried: the same call gives the same body. */
export class FortnoxSchemaError extends FortnoxError {
  /** Dotted path of the first field that failed, e.g. "Order.OrderRows.0.OrderedQuantity" ("(body)" for the whole body). */
  readonly field: string;
  readonly issues: string[];

  constructor(options: { method: string; path: string; status?: number; field: string; issues: string[] }) {
    super(`Fortnox ${options.method} ${options.path} returned an unexpected body: ${options.issues.join('; ')}`, {
      kind: 'non-retryable',
      method: options.method,
      path: options.path,
      ...(options.status === undefined ? {} : { status: options.status }),
      code: 'SchemaViolation',
    });
    this.name = 'FortnoxSchemaError';
    this.field = options.field;
    this.issues = options.issues;
  }
}

/** Temporal failure type for a non-retryable error, named after the HTTP status class so workflows can branch on it. */
export function failureType(err: FortnoxError): string {
  if (err instanceof FortnoxSchemaError) return 'FortnoxSchemaViolation';
  if (err.kind === 'rate-limited') return 'FortnoxRateLimited';
  if (err.kind === 'retryable') return 'FortnoxUnavailable';
  // The refresh token is gone or dead: nothing but a new consent by the customer helps.
  if (err.code === 'invalid_grant' || err.code === 'missing_refresh_token') return 'FortnoxConsentRequired';
  switch (err.status) {
    case 400:
      return 'FortnoxBadRequest';
    case 401:
      return 'FortnoxUnauthorized';
    case 403:
      return 'FortnoxForbidden';
    case 404:
      return 'FortnoxNotFound';
    case 409:
      return 'FortnoxConflict';
    default:
      return 'FortnoxRequestFailed';
  }
}

/** Details attached to a Temporal failure: only what an operator needs, nothing secret. */
export function failureDetails(err: FortnoxError): Record<string, unknown> {
  return {
    method: err.method,
    path: err.path,
    status: err.status ?? null,
    code: err.code ?? null,
    fortnoxMessage: err.fortnoxMessage ?? null,
    ...(err instanceof FortnoxSchemaError ? { field: err.field } : {}),
  };
}

/**
 * The Temporal ApplicationFailure a FortnoxError stands for, so the activity's retry policy does the right thing:
 * non-retryable stops, rate-limited waits the given delay, retryable uses the policy's backoff.
 */
export function toApplicationFailure(err: FortnoxError): ApplicationFailure {
  const type = failureType(err);
  switch (err.kind) {
    case 'non-retryable':
      return ApplicationFailure.nonRetryable(err.message, type, failureDetails(err));
    case 'rate-limited':
      return ApplicationFailure.create({
        type,
        message: err.message,
        nextRetryDelay: err.retryAfterMs ?? 5000,
        details: [failureDetails(err)],
      });
    case 'retryable':
      return ApplicationFailure.retryable(err.message, type, failureDetails(err));
  }
}
