// `pause <tenant>` and `resume <tenant>`: every schedule of a tenant (ids end in `:<tenant>`), e.g. while its Fortnox
// is being migrated. A pause lasts until an operator resumes it, across restarts (start-up leaves schedules paused by
// an operator alone); switch a process off in the tenants file to stop it for good. `sync <tenant> <schedule>`: one
// schedule's run now, as a regular run of it.
import { ScheduleNotFoundError } from '@temporalio/client';
import { OPERATOR_PAUSE_NOTE, triggerScheduleNow } from '../schedules';
import { println, OperatorError, workflowUrl, type OperatorContext } from './context';

export async function tenantScheduleIds(ctx: OperatorContext, tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const schedule of ctx.client.schedule.list()) {
    if (schedule.scheduleId.endsWith(`:${tenantId}`)) ids.push(schedule.scheduleId);
  }
  return ids.sort();
}

export async function setTenantPaused(
  ctx: OperatorContext,
  tenantId: string,
  paused: boolean,
  note?: string,
): Promise<string[]> {
  const ids = await tenantScheduleIds(ctx, tenantId);
  if (ids.length === 0) throw new OperatorError(`no schedules of tenant ${tenantId} on namespace ${ctx.namespace}`);
  const text = `${paused ? OPERATOR_PAUSE_NOTE : 'Resumed by an operator'} (CLI) at ${new Date().toISOString()}${note ? `: ${note}` : ''}`;
  for (const id of ids) {
    const handle = ctx.client.schedule.getHandle(id);
    if (paused) await handle.pause(text);
    else await handle.unpause(text);
    println(ctx, `${paused ? 'paused ' : 'resumed'}  ${id}`);
  }
  return ids;
}

export interface RunNowResult {
  scheduleId: string;
  /** started: a run began; skipped: a run was still running, so none was started beside it; requested: not seen yet. */
  outcome: 'started' | 'skipped' | 'requested';
  /** The run started, or the one still running. */
  workflowId?: string;
}

/**
 * Runs a tenant's schedule (`orders`, `articles`, … as in `status`: the schedule id without `:<tenant>`) now, through
 * the same trigger as start-up and the console, and waits briefly to say whether a run started or one still running
 * made the schedule skip it (it then carries on from that run's cursor at its next start).
 */
export async function runScheduleNow(
  ctx: OperatorContext,
  tenantId: string,
  schedule: string,
  waitMs = 15_000,
): Promise<RunNowResult> {
  const scheduleId = `${schedule}:${tenantId}`;
  const handle = ctx.client.schedule.getHandle(scheduleId);
  let before;
  try {
    before = (await handle.describe()).info;
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    const known = (await tenantScheduleIds(ctx, tenantId)).map((id) => id.slice(0, id.lastIndexOf(':')));
    throw new OperatorError(
      known.length
        ? `tenant ${tenantId} has no schedule "${schedule}"; its schedules: ${known.join(', ')}`
        : `no schedules of tenant ${tenantId} on namespace ${ctx.namespace}`,
      2,
    );
  }
  await triggerScheduleNow(ctx.client, scheduleId);
  let result: RunNowResult = { scheduleId, outcome: 'requested' };
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const info = (await handle.describe()).info;
    if (info.numActionsTaken > before.numActionsTaken) {
      result = { scheduleId, outcome: 'started', workflowId: info.recentActions.at(-1)?.action.workflow.workflowId };
      break;
    }
    if (info.numActionsSkippedOverlap > before.numActionsSkippedOverlap) {
      result = { scheduleId, outcome: 'skipped', workflowId: info.runningActions[0]?.workflow.workflowId };
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const link = result.workflowId ? `  ${workflowUrl(ctx, result.workflowId)}` : '';
  println(
    ctx,
    {
      started: `started  ${scheduleId}: ${result.workflowId}${link}`,
      skipped: `skipped  ${scheduleId}: a run is still running (${result.workflowId ?? '?'}); nothing was started beside it${link}`,
      requested: `requested ${scheduleId}: Temporal has not started it yet; see \`status\` or the Web UI`,
    }[result.outcome],
  );
  return result;
}
