// Finds the previous scheduled run's result, for a sync whose run did not receive it as its last completion result:
// the schedule's recent actions, newest completed one first. Every run the product starts (the schedule's own, and
// triggers with SKIP: client/schedules.ts triggerScheduleNow) receives it; runs started with the overlap policy
// ALLOW_ALL (the SDK's trigger() without a policy, and triggerImmediately at creation, which older versions used)
// neither receive one nor leave theirs for the next run; and a schedule's very first run has none.
import { ScheduleNotFoundError, type Client } from '@temporalio/client';

export function createSyncCursorActivities(temporal: () => Client) {
  return {
    /** The result of the newest completed run the schedule started before this one, or null (then: a full sync). */
    async previousScheduledResult(scheduleId: string, currentRunId: string): Promise<unknown> {
      const client = temporal();
      let actions;
      try {
        actions = (await client.schedule.getHandle(scheduleId).describe()).info.recentActions;
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return null;
        throw err;
      }
      for (const action of [...actions].reverse()) {
        const { workflowId, firstExecutionRunId } = action.action.workflow;
        // Run ids, not workflow ids: two runs triggered within one second share a workflow id.
        if (firstExecutionRunId === currentRunId) continue;
        const handle = client.workflow.getHandle(workflowId, firstExecutionRunId);
        const description = await handle.describe();
        if (description.status.name === 'COMPLETED') return await handle.result();
      }
      return null;
    },
  };
}
