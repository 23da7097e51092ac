// `pause <tenant>` and `resume <tenant>`: every schedule of a tenant (ids end in `:<tenant>`), e.g. while its Fortnox
// is being migrated. A pause lasts until an operator resumes it, across restarts (start-up leaves schedules paused by
// an operator alone); switch a process off in the tenants file to stop it for good.
import { OPERATOR_PAUSE_NOTE } from '../schedules';
import { println, OperatorError, type OperatorContext } from './context';

export async function tenantScheduleIds(ctx: OperatorContext, tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const schedule of ctx.client.schedule.list()) {
    if (schedule.scheduleId.endsWith(`:${tenantId}`)) ids.push(schedule.scheduleId);
  }
  return ids.sort();
}

export async function setTenantPaused(ctx: OperatorContext, tenantId: string, paused: boolean, note?: string): Promise<string[]> {
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
