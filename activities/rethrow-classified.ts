// One place for the activities' "run it, and turn a client error into the Temporal failure it stands for".
import { FortnoxError, toApplicationFailure as fortnoxFailure } from './fortnox/errors';
import { toApplicationFailure as wmsFailure, WmsError } from './wms/errors';

/** Runs fn; an error it throws is rethrown as classify makes it (e.g. a FortnoxError as an ApplicationFailure). */
export async function rethrowClassified<T>(classify: (err: unknown) => unknown, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classify(err);
  }
}

/** For activities that call both sides: a Fortnox or WMS client error as its Temporal failure, anything else as it is. */
export function classifyClientError(err: unknown): unknown {
  if (err instanceof FortnoxError) return fortnoxFailure(err);
  if (err instanceof WmsError) return wmsFailure(err);
  return err;
}
