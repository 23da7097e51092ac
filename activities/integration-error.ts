// One shape for every failed call to Fortnox or the WMS (as got has one RequestError with a subclass per kind): a base
// class that knows the Temporal failure it stands for, and one activity interceptor that throws that failure. So an
// activity just lets a client error propagate; the type, retryability and details Temporal and the workflows see are
// decided in one place per kind (activities/fortnox/errors.ts, activities/wms/errors.ts).
import type { ApplicationFailure } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  Next,
} from '@temporalio/worker';

export abstract class IntegrationError extends Error {
  /** The system that failed, for messages and logs. */
  abstract readonly system: 'Fortnox' | 'WMS';
  /** The ApplicationFailure this error stands for: a stable type, retryable or not, details an operator can use. */
  abstract toApplicationFailure(): ApplicationFailure;
}

/** What Temporal sees of an activity's error: an IntegrationError as its failure, anything else as it is. */
export function toActivityFailure(err: unknown): unknown {
  return err instanceof IntegrationError ? err.toApplicationFailure() : err;
}

/** Turns an IntegrationError escaping any activity into its ApplicationFailure. */
export class IntegrationFailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toActivityFailure(err);
    }
  }
}

/** For WorkerOptions.interceptors.activity (and MockActivityEnvironment's interceptors in tests). */
export const integrationFailureInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: new IntegrationFailureInterceptor(),
});
