// Keeps an activity heartbeating while it works, so a worker that dies mid-call is noticed within the heartbeat
// timeout (seconds) instead of the start-to-close timeout (minutes), and the activity is retried elsewhere.
import { Context } from '@temporalio/activity';

export async function whileHeartbeating<T>(work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work(); // called outside an activity (the operator CLI's backfill): nobody to heartbeat to
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
