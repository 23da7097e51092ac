// Controls of the sandbox's event stream (/_sandbox/events): what is connected, and faults a real stream shows
// (dropped connections, duplicated and delayed events).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SandboxControlError } from '../controls';
import type { EventSocketServer } from './socket';

const faultsBody = z.strictObject({
  duplicateRate: z.number().min(0).max(1).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
});

export function eventControlRoutes(app: FastifyInstance, events: EventSocketServer): void {
  app.get('/_sandbox/events', async () => ({ connections: events.connections(), faults: events.faults }));
  app.put('/_sandbox/events/faults', async (request) => {
    const parsed = faultsBody.safeParse(request.body ?? {});
    if (!parsed.success) throw new SandboxControlError(400, 'invalidFaults', parsed.error.message);
    Object.assign(events.faults, parsed.data);
    return { faults: events.faults };
  });
  app.post('/_sandbox/events/drop', async () => ({ dropped: events.dropConnections() }));
}
