// The activity slots of a tenant's Fortnox queue: a worker polls for a Fortnox task only when it holds a slot and its
// pacer has room to send the task's request at once. A process whose part of the tenant's budget is used up stops
// taking tasks, so the server hands them to processes that can send now, and no task waits in a process's pacer
// while another process idles.
import type { ActivitySlotInfo, CustomSlotSupplier, SlotPermit } from '@temporalio/worker';
import type { Pacer } from '../activities/fortnox/pacer';
import { WakeUp } from '../activities/fortnox/wake-up';

interface FortnoxSlotPermit extends SlotPermit {
  /** The slot's task arrived (its reservation in the pacer was given back then). */
  used: boolean;
}

export function fortnoxSlotSupplier(
  pacer: Pacer,
  tenantKey: string,
  maxSlots: number,
): CustomSlotSupplier<ActivitySlotInfo> {
  let held = 0;
  const freed = new WakeUp();
  const takeSlot = async (signal: AbortSignal) => {
    while (held >= maxSlots) {
      signal.throwIfAborted();
      await freed.wait(Infinity, signal);
    }
    held += 1;
  };
  return {
    type: 'custom',
    async reserveSlot(_ctx, signal) {
      await takeSlot(signal);
      try {
        await pacer.reserve(tenantKey, signal);
      } catch (err) {
        held -= 1;
        freed.wake();
        throw err;
      }
      const permit: FortnoxSlotPermit = { used: false };
      return permit;
    },
    tryReserveSlot() {
      if (held >= maxSlots || !pacer.tryReserve(tenantKey)) return null;
      held += 1;
      const permit: FortnoxSlotPermit = { used: false };
      return permit;
    },
    markSlotUsed({ permit }) {
      // From here the task's requests wait in the pacer's line like any other, which counts them.
      (permit as FortnoxSlotPermit).used = true;
      pacer.release(tenantKey);
    },
    releaseSlot({ permit }) {
      if (!(permit as FortnoxSlotPermit).used) pacer.release(tenantKey);
      held -= 1;
      freed.wake();
    },
  };
}
