// One place for the activities' "run it, and turn a client error into the Temporal failure it stands for".

/** Runs fn; an error it throws is rethrown as classify makes it (e.g. a FortnoxError as an ApplicationFailure). */
export async function rethrowClassified<T>(classify: (err: unknown) => unknown, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classify(err);
  }
}
