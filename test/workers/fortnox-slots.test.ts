// The Fortnox queue's slot supplier and the peer count: a worker polls only with a free slot and room in its pacer,
// and counts the live pollers of the tenant's queue (itself included).
import { describe, expect, it } from 'vitest';
import { msToTs } from '@temporalio/common/lib/time';
import type { ActivitySlotInfo, SlotReserveContext } from '@temporalio/worker';
import { Pacer } from '../../activities/fortnox/pacer';
import type { Client } from '@temporalio/client';
import { LIVE_POLLER_MS, livePollers, taskQueuePeers } from '../../workers/fortnox-peers';
import { fortnoxSlotSupplier } from '../../workers/fortnox-slots';

const ctx = { slotType: 'activity', taskQueue: 'fortnox:t', workerIdentity: 'w', workerBuildId: '', isSticky: false };
const info: ActivitySlotInfo = { type: 'activity', activityType: 'syncArticle' };
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('fortnoxSlotSupplier', () => {
  it('hands out at most maxSlots, and another once one is released', async () => {
    const supplier = fortnoxSlotSupplier(new Pacer(), 't', 2);
    const signal = new AbortController().signal;
    const a = await supplier.reserveSlot(ctx as SlotReserveContext, signal);
    await supplier.reserveSlot(ctx as SlotReserveContext, signal);
    let third = false;
    const waiting = supplier.reserveSlot(ctx as SlotReserveContext, signal).then(() => (third = true));
    await settled();
    expect(third).toBe(false);
    expect(supplier.tryReserveSlot(ctx as SlotReserveContext)).toBeNull();
    supplier.releaseSlot({ permit: a });
    await waiting;
    expect(third).toBe(true);
  });

  it('stops a poll that waits for a slot when it is aborted, without taking the slot freed later', async () => {
    const supplier = fortnoxSlotSupplier(new Pacer(), 't', 1);
    const held = await supplier.reserveSlot(ctx as SlotReserveContext, new AbortController().signal);
    const controller = new AbortController();
    const aborted = supplier.reserveSlot(ctx as SlotReserveContext, controller.signal);
    controller.abort(new Error('worker shutting down'));
    await expect(aborted).rejects.toThrow('worker shutting down');
    supplier.releaseSlot({ permit: held });
    expect(supplier.tryReserveSlot(ctx as SlotReserveContext)).not.toBeNull();
  });

  it('polls only while the pacer has room: a used-up part holds the poll until a grant leaves the window', async () => {
    let clock = 0;
    const pacer = new Pacer({ requests: 3, safety: { requests: 1, marginMs: 0 }, windowMs: 1000, now: () => clock });
    const supplier = fortnoxSlotSupplier(pacer, 't', 8);
    const signal = new AbortController().signal;
    // a task arrives on the first slot and sends its request; the second slot waits for a task
    const first = await supplier.reserveSlot(ctx as SlotReserveContext, signal);
    supplier.markSlotUsed({ permit: first, slotInfo: info });
    await pacer.acquire('t');
    await supplier.reserveSlot(ctx as SlotReserveContext, signal);
    // a part of 2: one grant and one reservation fill it, so no third poll
    expect(supplier.tryReserveSlot(ctx as SlotReserveContext)).toBeNull();
    clock = 1000;
    expect(supplier.tryReserveSlot(ctx as SlotReserveContext)).not.toBeNull();
  });

  it('gives a reservation back when its poll ends empty, and keeps none for an aborted poll', async () => {
    const pacer = new Pacer({ requests: 2, safety: { requests: 1, marginMs: 0 }, windowMs: 60_000 });
    const supplier = fortnoxSlotSupplier(pacer, 't', 8);
    const permit = await supplier.reserveSlot(ctx as SlotReserveContext, new AbortController().signal);
    const controller = new AbortController();
    const aborted = supplier.reserveSlot(ctx as SlotReserveContext, controller.signal);
    controller.abort(new Error('poll not needed'));
    await expect(aborted).rejects.toThrow('poll not needed');
    supplier.releaseSlot({ permit }); // released unused: the pacer's room comes back
    expect(pacer.tryReserve('t')).toBe(true);
  });
});

describe('livePollers', () => {
  const at = (ms: number) => msToTs(ms);
  it('counts distinct identities seen since the cut-off, and always this worker', () => {
    const pollers = [
      { identity: 'a', lastAccessTime: at(100_000) },
      { identity: 'b', lastAccessTime: at(95_000) },
      { identity: 'gone', lastAccessTime: at(5_000) },
      { identity: 'self', lastAccessTime: at(100_000) },
    ];
    expect(livePollers(pollers, 10_000, 'self')).toBe(3);
    expect(livePollers([], 10_000, 'self')).toBe(1);
  });
});

describe('taskQueuePeers', () => {
  it("asks about the tenant's Fortnox queue only, and reports a failure to ask at most once a minute per tenant", async () => {
    let clock = 0;
    let answer: () => Promise<unknown> = () => Promise.reject(new Error('PermissionDenied'));
    const asked: string[] = [];
    const client = {
      workflowService: {
        describeTaskQueue: (request: { taskQueue: { name: string } }) => {
          asked.push(request.taskQueue.name);
          return answer();
        },
      },
    } as unknown as Client;
    const failures: string[] = [];
    const peers = taskQueuePeers({
      client,
      namespace: 'default',
      identity: 'me',
      isTenant: (key) => key === 'acme',
      onCountFailed: (tenantId, err) => failures.push(`${tenantId}: ${(err as Error).message}`),
      now: () => clock,
    });
    expect(await peers.count('3pl-billing')).toBeUndefined();
    expect(asked).toEqual([]);
    await expect(peers.count('acme')).rejects.toThrow('PermissionDenied');
    clock = 30_000;
    await expect(peers.count('acme')).rejects.toThrow('PermissionDenied');
    expect(failures).toEqual(['acme: PermissionDenied']);
    clock = 60_000;
    await expect(peers.count('acme')).rejects.toThrow('PermissionDenied');
    expect(failures).toHaveLength(2);
    answer = () => Promise.resolve({ pollers: [{ identity: 'other', lastAccessTime: msToTs(59_000) }] });
    expect(await peers.count('acme')).toBe(2);
    expect(asked).toEqual(['fortnox:acme', 'fortnox:acme', 'fortnox:acme', 'fortnox:acme']);
  });

  it('keeps a falling count at the highest seen within LIVE_POLLER_MS: a restarted server forgets its pollers', async () => {
    let clock = 100_000;
    let pollers: Array<{ identity: string; lastAccessTime: ReturnType<typeof msToTs> }> = [];
    const client = {
      workflowService: { describeTaskQueue: () => Promise.resolve({ pollers }) },
    } as unknown as Client;
    const peers = taskQueuePeers({
      client,
      namespace: 'default',
      identity: 'me',
      isTenant: () => true,
      now: () => clock,
    });
    pollers = ['a', 'b'].map((identity) => ({ identity, lastAccessTime: msToTs(clock - 1000) }));
    expect(await peers.count('acme')).toBe(3);
    // The server restarted: no poller known until each polls again.
    clock += 5000;
    pollers = [];
    expect(await peers.count('acme')).toBe(3);
    pollers = [{ identity: 'a', lastAccessTime: msToTs(clock) }];
    clock += 1000;
    expect(await peers.count('acme')).toBe(3);
    // b is really gone: once the highest count is older than LIVE_POLLER_MS, the count falls.
    clock += LIVE_POLLER_MS;
    pollers = [{ identity: 'a', lastAccessTime: msToTs(clock - 1000) }];
    expect(await peers.count('acme')).toBe(2);
  });
});
