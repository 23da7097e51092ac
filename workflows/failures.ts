// What an activity's failure says, as workflows record it: the cause's message and ApplicationFailure type, not the
// ActivityFailure wrapper's "Activity task failed".
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

export function failureType(err: unknown): string | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

export function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : String(err);
}
