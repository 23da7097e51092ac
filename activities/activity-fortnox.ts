// A tenant's Fortnox client for the running activity: its pacer waits and requests stop as soon as the activity is
// cancelled or times out, so a retry that already runs elsewhere never overlaps a request still in flight here.
import { Context } from '@temporalio/activity';
import type { FortnoxClient } from './fortnox/client';
import type { TenantRegistry } from './tenant-registry';

export function activityFortnox(registry: TenantRegistry, tenantId: string): FortnoxClient {
  return registry.fortnox(tenantId).withSignal(Context.current().cancellationSignal);
}
