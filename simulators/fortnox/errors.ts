// Fortnox's error shapes: REST v3 `{ErrorInformation: {error, message, code}}` and the warehouse API's `{error, id, message}`.
import { randomUUID } from 'node:crypto';

/**
 * Codes marked "sandbox value" are not documented by Fortnox; the sandbox picks one so clients cannot rely on
 * specific values beyond the documented ones (2000310, 2000311, 2001101, 2000588, 2002115, 2001392, 2000013, 1000003).
 */
export const FortnoxCode = {
  SystemException: 1000003,
  InvalidCredentials: 2000310,
  MissingCredentials: 2000311,
  NoScope: 2001101,
  InvalidParameter: 2000588,
  JsonSyntax: 2002115,
  EmptyBody: 2001392,
  ArticleNumberTaken: 2000013,
  /** sandbox value */ CustomerNotFound: 2000433,
  /** sandbox value */ ArticleNotFound: 2001302,
  /** sandbox value */ OrderNotFound: 2000428,
  /** sandbox value */ InvoiceNotFound: 2000429,
  /** sandbox value */ SupplierNotFound: 2000434,
  /** sandbox value */ RowNotFound: 2000435,
  /** sandbox value */ OrderLocked: 2000861,
  /** sandbox value */ AlreadyInvoiced: 2000862,
  /** sandbox value */ WarehouseNotActive: 2000863,
  /** sandbox value */ DeliveredQuantityNotAllowed: 2000864,
  /** sandbox value */ NumberTaken: 2000865,
  /** sandbox value */ TooManyRows: 2000866,
  /** sandbox value */ InvoiceLocked: 2000867,
  /** sandbox value */ RateLimited: 2000001,
  /** sandbox value */ NotFound: 2000404,
  /** sandbox value */ ServiceUnavailable: 1000030,
} as const;

/** A REST v3 error: answered as `{ErrorInformation: {error: 1, message, code}}` with `statusCode`. */
export class FortnoxApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'FortnoxApiError';
  }

  toBody(): { ErrorInformation: { error: number; message: string; code: number } } {
    return { ErrorInformation: { error: 1, message: this.message, code: this.code } };
  }
}

/** A warehouse (Lager) API error: answered as `{error, id, message}` with a string code. */
export class WarehouseApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'WarehouseApiError';
  }

  toBody(): { error: string; id: string; message: string } {
    return { error: this.error, id: randomUUID(), message: this.message };
  }
}

/** An OAuth error (RFC 6749 shape), as apps.fortnox.se answers it. */
export class OAuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const badParameter = (what: string): FortnoxApiError =>
  new FortnoxApiError(400, FortnoxCode.InvalidParameter, `Ogiltig parameter i anropet. (${what})`);
