// Counts the worker processes polling a tenant's Fortnox queue, from the server's own list of its pollers, so each
// process's pacer takes its equal part of the tenant's Fortnox budget (activities/fortnox/pacer.ts).
import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import type { PeerCount } from '../activities/fortnox/pacer';
import { fortnoxTaskQueue } from '../domain/names';

/**
 * A poller last seen longer ago than this has gone. The server holds an idle poll for up to a minute before the worker
 * polls again, so a live process is always seen within it; a killed one stops counting after it (its part is unused
 * until then: slower, never over the limit).
 */
export const LIVE_POLLER_MS = 90_000;

export interface TaskQueuePeersOptions {
  client: Client;
  namespace: string;
  /** This worker's identity, counted even before its first poll reaches the server. */
  identity: string;
  /** The pacer keys that are tenants (others, such as the 3PL's own billing connection, have no queue to count). */
  isTenant: (key: string) => boolean;
  /**
   * Told when the server could not be asked (at most once a minute per tenant): the pacer then keeps its last count,
   * and a process that never counted paces as if alone, so several processes may meet 429s until it can ask again.
   */
  onCountFailed?: (tenantId: string, err: unknown) => void;
  now?: () => number;
}

const FAILURE_REPORT_EVERY_MS = 60_000;

export function taskQueuePeers(options: TaskQueuePeersOptions): PeerCount {
  const now = options.now ?? Date.now;
  const reportedAt = new Map<string, number>();
  // The server forgets its pollers when it restarts, and each process reappears only as it polls again: a count that
  // falls is kept at the highest seen within LIVE_POLLER_MS, the time a process really gone takes to stop counting.
  const seen = new Map<string, Array<{ count: number; at: number }>>();
  return {
    async count(key) {
      if (!options.isTenant(key)) return undefined;
      const described = await options.client.workflowService
        .describeTaskQueue({
          namespace: options.namespace,
          taskQueue: {
            name: fortnoxTaskQueue(key),
            kind: proto.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
          },
          taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        })
        .catch((err: unknown) => {
          if (now() - (reportedAt.get(key) ?? -Infinity) >= FAILURE_REPORT_EVERY_MS) {
            reportedAt.set(key, now());
            options.onCountFailed?.(key, err);
          }
          throw err;
        });
      const at = now();
      const recent = (seen.get(key) ?? []).filter((s) => s.at > at - LIVE_POLLER_MS);
      recent.push({ count: livePollers(described.pollers ?? [], at - LIVE_POLLER_MS, options.identity), at });
      seen.set(key, recent);
      return Math.max(...recent.map((s) => s.count));
    },
  };
}

/** Distinct identities seen since `since`, plus `self`. */
export function livePollers(
  pollers: proto.temporal.api.taskqueue.v1.IPollerInfo[],
  since: number,
  self: string,
): number {
  const identities = new Set([self]);
  for (const poller of pollers) {
    if (poller.identity && poller.lastAccessTime && tsToMs(poller.lastAccessTime) >= since)
      identities.add(poller.identity);
  }
  return identities.size;
}
