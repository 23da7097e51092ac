// `replay-check`: before a deploy, replays recent histories from the cluster (open and closed) against the workflow
// code in this checkout. A non-deterministic change (one that would break running workflows) fails the check.
import type { HistoryAndWorkflowId } from '@temporalio/client';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import * as workflows from '../../workflows';
import { workflowsPath } from '../../workers/worker';
import { OperatorError, println, quote, type OperatorContext } from './context';

export interface ReplayCheckOptions {
  /** How many recent executions to replay (newest first). Default 50. */
  limit?: number;
  /** An extra visibility filter, ANDed, e.g. `Tenant="acme"`. */
  query?: string;
  /** A pre-built bundle (tests); otherwise the workflows are bundled from this checkout's source. */
  workflowBundle?: ReplayWorkerOptions['workflowBundle'];
}

export interface ReplayCheckResult {
  replayed: number;
  failures: { workflowId: string; runId: string; kind: 'non-determinism' | 'replay-error'; message: string }[];
}

/** Every workflow type this code defines: histories of other types (retired or foreign) are not ours to judge. */
export const workflowTypes = () => Object.keys(workflows).sort();

export async function replayCheck(ctx: OperatorContext, options: ReplayCheckOptions = {}): Promise<ReplayCheckResult> {
  const limit = options.limit ?? 50;
  const types = workflowTypes().map(quote).join(', ');
  const query = `WorkflowType IN (${types})${options.query ? ` AND (${options.query})` : ''}`;
  const histories: HistoryAndWorkflowId[] = [];
  for await (const wf of ctx.client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
    const history = await ctx.client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
    histories.push({ workflowId: wf.workflowId, history });
    if (histories.length >= limit) break;
  }
  const source = {
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    // The histories' payloads are sealed: the replay opens them with the keys this client holds.
    dataConverter: { payloadCodecs: ctx.client.options.loadedDataConverter.payloadCodecs },
  };
  const result: ReplayCheckResult = { replayed: 0, failures: [] };
  for await (const replay of Worker.runReplayHistories(source, histories)) {
    result.replayed++;
    if (replay.error) {
      result.failures.push({
        workflowId: replay.workflowId,
        runId: replay.runId,
        kind: replay.error.name === 'DeterminismViolationError' ? 'non-determinism' : 'replay-error',
        message: replay.error.message,
      });
    }
  }
  return result;
}

export async function replayCheckCommand(
  ctx: OperatorContext,
  options: ReplayCheckOptions = {},
): Promise<ReplayCheckResult> {
  const result = await replayCheck(ctx, options);
  for (const f of result.failures) println(ctx, `FAIL ${f.kind}: ${f.workflowId} (run ${f.runId}): ${f.message}`);
  if (result.replayed === 0) println(ctx, 'No histories found to replay (query matched nothing).');
  if (result.failures.length) {
    throw new OperatorError(
      `${result.failures.length} of ${result.replayed} histories do not replay against this code: do not deploy it`,
    );
  }
  println(ctx, `OK: ${result.replayed} histories replay against the current workflow code.`);
  return result;
}
