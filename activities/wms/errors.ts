// Classified WMS client failures, and their translation into Temporal ApplicationFailures.
import { ApplicationFailure } from '@temporalio/common';
import { WMS_ORDER_CANCELLED_FAILURE_TYPE, WMS_ORDER_STARTED_FAILURE_TYPE } from '../../domain/names';
import { IntegrationError } from '../integration-error';

export { WMS_ORDER_CANCELLED_FAILURE_TYPE, WMS_ORDER_STARTED_FAILURE_TYPE };

export type WmsErrorKind = 'retryable' | 'non-retryable';

export interface WmsErrorContext {
  kind: WmsErrorKind;
  method: string;
  path: string;
  status?: number;
  /** The start of what came back, for an operator (never request headers: they carry the password). */
  responseBody?: string;
  cause?: unknown;
}

export class WmsError extends IntegrationError {
  readonly system = 'WMS' as const;
  readonly kind: WmsErrorKind;
  readonly status?: number;
  readonly method: string;
  readonly path: string;
  readonly responseBody?: string;

  constructor(message: string, context: WmsErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'WmsError';
    this.kind = context.kind;
    this.status = context.status;
    this.method = context.method;
    this.path = context.path;
    this.responseBody = context.responseBody;
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }

  toApplicationFailure(): ApplicationFailure {
    return toApplicationFailure(this);
  }
}

/** The WMS answered 2xx, but not with what the contract promises (HTML, empty body, a missing field). */
export class WmsSchemaError extends WmsError {
  constructor(
    message: string,
    context: Omit<WmsErrorContext, 'kind'>,
    readonly issues: string[],
  ) {
    super(message, { ...context, kind: 'non-retryable' });
    this.name = 'WmsSchemaError';
  }
}

/** "You may not update or cancel an order after the warehouse has started working on it." */
export class WmsOrderStartedError extends WmsError {
  constructor(
    readonly orderNumber: string,
    readonly orderStatus: number,
    context: Omit<WmsErrorContext, 'kind'>,
    readonly orderId?: number,
  ) {
    super(
      `The warehouse has already started on order ${orderNumber} (status ${orderStatus}): ` +
        `${context.method} ${context.path} was refused.`,
      { ...context, kind: 'non-retryable' },
    );
    this.name = 'WmsOrderStartedError';
  }
}

/** The order was cancelled in the WMS (on the floor), so it may not be changed any more. */
export class WmsOrderCancelledError extends WmsError {
  constructor(
    readonly orderNumber: string,
    context: Omit<WmsErrorContext, 'kind'>,
    readonly orderId?: number,
  ) {
    super(`Order ${orderNumber} is cancelled in the WMS: ${context.method} ${context.path} was refused.`, {
      ...context,
      kind: 'non-retryable',
    });
    this.name = 'WmsOrderCancelledError';
  }
}

/**
 * GET /orders/{orderId}/invoiceCharges was refused (401 or 403). Ongoing documents that it "requires an additional
 * permission for the API user": without it no retry can succeed, so it stops the billing export with what to do.
 */
export class WmsInvoiceChargesNotPermittedError extends WmsError {
  constructor(
    readonly orderId: number,
    context: Omit<WmsErrorContext, 'kind'>,
  ) {
    super(
      `The WMS API user may not read invoice charges (${context.method} ${context.path} answered ${context.status}): ` +
        'grant it the permission for invoice charges in Ongoing WMS under Administration → Integration → API for goods ' +
        'owners, then run the billing period again. Nothing was invoiced.',
      { ...context, kind: 'non-retryable' },
    );
    this.name = 'WmsInvoiceChargesNotPermittedError';
  }
}

export const WMS_INVOICE_CHARGES_NOT_PERMITTED_FAILURE_TYPE = 'WmsInvoiceChargesNotPermitted';

/** Temporal sees business refusals as non-retryable failures with a stable type the workflow can match on. */
export function toApplicationFailure(err: WmsError): ApplicationFailure {
  if (err instanceof WmsOrderStartedError) {
    return ApplicationFailure.create({
      type: WMS_ORDER_STARTED_FAILURE_TYPE,
      message: err.message,
      nonRetryable: true,
      details: [{ orderNumber: err.orderNumber, orderStatus: err.orderStatus, orderId: err.orderId }],
      cause: err,
    });
  }
  if (err instanceof WmsOrderCancelledError) {
    return ApplicationFailure.create({
      type: WMS_ORDER_CANCELLED_FAILURE_TYPE,
      message: err.message,
      nonRetryable: true,
      details: [{ orderNumber: err.orderNumber, orderId: err.orderId }],
      cause: err,
    });
  }
  if (err instanceof WmsInvoiceChargesNotPermittedError) {
    return ApplicationFailure.create({
      type: WMS_INVOICE_CHARGES_NOT_PERMITTED_FAILURE_TYPE,
      message: err.message,
      nonRetryable: true,
      details: [{ orderId: err.orderId, method: err.method, path: err.path, status: err.status }],
      cause: err,
    });
  }
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: err.kind === 'non-retryable',
    details: [{ method: err.method, path: err.path, status: err.status }],
    cause: err,
  });
}
