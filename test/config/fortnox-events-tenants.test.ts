// Which tenants the event listener carries and on which stream: one deployment listens to one event stream, so a
// tenants file that puts the tenants with events on different streams is refused before anything connects.
import { describe, expect, it } from 'vitest';
import { ConfigError, tenantSchema, type Tenant } from '../../config';
import { eventsUrlOf, tenantsWithEvents } from '../../client/fortnox-events/tenants';

const tenant = (id: string, fortnox: Record<string, unknown> = {}, settings: Record<string, unknown> = {}): Tenant =>
  tenantSchema.parse({
    id,
    fortnox: { auth: { mode: 'client_credentials', clientId: 'c', clientSecret: 's', tenantId: '1' }, ...fortnox },
    wms: { baseUrl: 'http://127.0.0.1:1/w', username: 'u', password: 'p', goodsOwnerId: 1, webhook: { auth: 'off' } },
    settings,
  });

describe("the event listener's tenants", () => {
  it("defaults to Fortnox's own stream, with events on", () => {
    const acme = tenant('acme');
    expect(acme.fortnox.eventsUrl).toBe('wss://ws.fortnox.se/topics-v1');
    expect(eventsUrlOf([acme])).toBe('wss://ws.fortnox.se/topics-v1');
  });

  it('carries only tenants with events and orders on', () => {
    const tenants = [
      tenant('on'),
      tenant('off', {}, { fortnoxEvents: 'off' }),
      tenant('no-orders', {}, { processes: { orders: false } }),
    ];
    expect(tenantsWithEvents(tenants).map((t) => t.id)).toEqual(['on']);
    expect(eventsUrlOf([tenants[1]!, tenants[2]!])).toBeUndefined();
  });

  it('refuses tenants with events on two streams, and a stream that is not a WebSocket URL', () => {
    const sandbox = tenant('sandbox', { eventsUrl: 'ws://127.0.0.1:8381/topics-v1' });
    expect(() => eventsUrlOf([tenant('real'), sandbox])).toThrow(ConfigError);
    expect(() => eventsUrlOf([tenant('real'), sandbox])).toThrow(/2 event streams/);
    // Events off for one of them: one stream again.
    expect(eventsUrlOf([tenant('real', {}, { fortnoxEvents: 'off' }), sandbox])).toBe('ws://127.0.0.1:8381/topics-v1');
    expect(() => tenant('bad', { eventsUrl: 'https://ws.fortnox.se/topics-v1' })).toThrow(/ws:\/\/ or wss:\/\//);
  });
});
