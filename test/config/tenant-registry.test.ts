// A worker that does not know a tenant (mid-way through a rolling change of the tenants file) must fail the task in a
// way Temporal retries, so another worker, or this one restarted with the new file, takes it; failing it for good
// would park the order in needs-attention.
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { TenantRegistry } from '../../activities/tenant-registry';

describe('tenant registry', () => {
  it('answers an unknown tenant with a retryable UnknownTenant failure, for settings and for both clients', () => {
    const registry = new TenantRegistry([], { tokenStore: new MemoryTokenStore() });
    for (const lookup of [() => registry.get('acme'), () => registry.fortnox('acme'), () => registry.wms('acme')]) {
      let failure: unknown;
      try {
        lookup();
      } catch (err) {
        failure = err;
      }
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).type).toBe('UnknownTenant');
      expect((failure as ApplicationFailure).nonRetryable).toBe(false);
      expect((failure as ApplicationFailure).message).toContain('"acme"');
    }
  });
});
