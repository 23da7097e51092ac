// The operator's view of Fortnox events, against the Fortnox sandbox's event stream and a real dev server: `doctor`
// tries each tenant's credentials on the stream (accepted, refused for a wrong client secret, unreachable) and warns
// while no listener reported `subscribed` with the tenant; `cli status` shows the listeners and each topic's lag from
// the offsets workflow, or that no listener has reported.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { TenantRegistry } from '../../activities/tenant-registry';
import { buildProgram, type AccountsContext } from '../../client/cli';
import type { OperatorContext } from '../../client/operator/context';
import { checkTenant, type DoctorCheck, type DoctorEnvironment } from '../../client/operator/doctor';
import { readFortnoxEvents, subscribedListenersOf } from '../../client/operator/fortnox-events-status';
import { statusCommand } from '../../client/operator/status';
import type { Tenant } from '../../config/tenants';
import { settingsSchema } from '../../domain/settings';
import {
  eventsHandledSignal,
  fortnoxEventOffsetsWorkflow,
  listenerReportSignal,
  type EventOffsets,
  type ListenerReport,
} from '../../workflows/fortnox-event-offsets';
import { startHarness, textSink, type Harness } from './harness';

let h: Harness;
/** An offsets workflow of this file's own: the shared dev server's default one may belong to another run. */
const offsetsId = `fortnox-event-offsets-${randomBytes(3).toString('hex')}`;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.client.workflow
    .getHandle(offsetsId)
    .terminate('test done')
    .catch(() => undefined);
  await h?.close();
});

const env = (): DoctorEnvironment => ({
  fortnoxEvents: () => readFortnoxEvents(h.client, { workflowId: offsetsId }),
});

async function doctor(
  tenant: Tenant,
  options: { env?: DoctorEnvironment; registry?: TenantRegistry } = {},
): Promise<Record<string, DoctorCheck>> {
  const registry = options.registry ?? new TenantRegistry([tenant], { tokenStore: new MemoryTokenStore() });
  const checks = await checkTenant(tenant, registry, options.env ?? env());
  return Object.fromEntries(checks.map((c) => [c.check, c]));
}

/** A listener's report, as the listener sends it (the offsets workflow started by the first). */
const report = (r: ListenerReport) =>
  h.client.workflow.signalWithStart(fortnoxEventOffsetsWorkflow, {
    workflowId: offsetsId,
    taskQueue: h.taskQueue,
    args: [{}],
    signal: listenerReportSignal,
    signalArgs: [r],
  });
const handled = (positions: EventOffsets) =>
  h.client.workflow.getHandle(offsetsId).signal(eventsHandledSignal, positions);

const statusContext = (out: NodeJS.WritableStream): OperatorContext => ({
  client: h.client,
  namespace: 'default',
  taskQueue: h.taskQueue,
  tenants: [],
  out: out as OperatorContext['out'],
  uiUrl: 'http://localhost:8233',
});

describe('Fortnox events for the operator', () => {
  it('status says no listener has reported while the offsets workflow does not exist', async () => {
    const { sink, text } = textSink();
    await statusCommand(statusContext(sink), { tenant: h.tenantId, fortnoxEventsWorkflowId: offsetsId });
    expect(text()).toContain('Fortnox events\nno listener has reported');
  });

  it('doctor: the stream accepts the tenant, and warns while no listener carries it; passes once one reports subscribed', async () => {
    const before = await doctor(h.tenant);
    expect(before['Fortnox events']).toMatchObject({
      result: 'pass',
      detail: `on: ${h.tenant.fortnox.eventsUrl} accepted the tenant (Fortnox tenant ${h.fortnoxTenantId})`,
    });
    expect(before['Fortnox event listener']).toMatchObject({
      result: 'warn',
      detail: 'no event listener is running for this tenant: orders wait for the hourly safety-net order sync',
      fix: 'run `npm run events` (or set fortnoxEvents: off)',
    });

    // A listener that carries another tenant, or this one but disconnected, does not count.
    await report({
      state: 'disconnected',
      at: new Date().toISOString(),
      listener: 'host-a:1',
      tenants: [h.tenantId],
    });
    const disconnected = await doctor(h.tenant);
    expect(disconnected['Fortnox event listener']).toMatchObject({
      result: 'warn',
      detail: expect.stringMatching(/^no event listener is running for this tenant \(host-a:1 is disconnected since /),
    });

    await report({
      state: 'subscribed',
      at: new Date().toISOString(),
      listener: 'host-a:1',
      tenants: [h.tenantId],
    });
    const after = await doctor(h.tenant);
    expect(after['Fortnox event listener']).toMatchObject({
      result: 'pass',
      detail: expect.stringMatching(/^listener host-a:1 subscribed since /),
    });

    // The command: the table, no token and no secret in it, exit 0.
    const { sink, text } = textSink();
    const tokenStore = new MemoryTokenStore();
    const accounts = async (): Promise<AccountsContext> => ({
      tenants: [h.tenant],
      registry: new TenantRegistry([h.tenant], { tokenStore }),
      out: sink,
      temporal: async () => h.client,
      fortnoxEventsWorkflowId: offsetsId,
    });
    await buildProgram(async () => {
      throw new Error('doctor makes no operator context');
    }, accounts).parseAsync(['node', 'cli', 'doctor']);
    expect(text()).toMatch(/Fortnox events\s+PASS\s+on: ws:\/\/.*accepted the tenant/);
    expect(text()).toMatch(/Fortnox event listener\s+PASS\s+listener host-a:1 subscribed since/);
    const token = (await tokenStore.read(h.tenantId))?.accessToken;
    expect(token).toBeTruthy();
    expect(text()).not.toContain(token);
    expect(text()).not.toContain(h.tenant.fortnox.auth.clientSecret);
  });

  it('doctor fails a client secret the stream refuses, and a stream it cannot reach, naming the URL', async () => {
    // A token still valid from the right secret (as after the secret in the tenants file was changed): the token check
    // passes, the event stream refuses the pair.
    const tokenStore = new MemoryTokenStore();
    await doctor(h.tenant, { registry: new TenantRegistry([h.tenant], { tokenStore }) });
    const wrong: Tenant = {
      ...h.tenant,
      fortnox: { ...h.tenant.fortnox, auth: { ...h.tenant.fortnox.auth, clientSecret: 'not-the-client-secret' } },
    };
    const refused = await doctor(wrong, { registry: new TenantRegistry([wrong], { tokenStore }) });
    expect(refused['Fortnox token (client credentials)']!.result).toBe('pass');
    expect(refused['Fortnox events']).toMatchObject({
      result: 'fail',
      detail: expect.stringContaining(`${h.tenant.fortnox.eventsUrl} refused the tenant`),
      fix: expect.stringContaining('fortnox.auth.clientSecret'),
    });
    const token = (await tokenStore.read(h.tenantId))?.accessToken;
    expect(JSON.stringify(refused)).not.toContain('not-the-client-secret');
    expect(JSON.stringify(refused)).not.toContain(token);

    const nowhere = 'ws://127.0.0.1:9/topics-v1';
    const unreachable = await doctor({ ...h.tenant, fortnox: { ...h.tenant.fortnox, eventsUrl: nowhere } });
    expect(unreachable['Fortnox events']).toMatchObject({
      result: 'fail',
      detail: expect.stringContaining(nowhere),
      fix: expect.stringContaining('fortnox.eventsUrl'),
    });
  });

  it('doctor reports events off: orders come by the order sync every syncInterval', async () => {
    const off: Tenant = { ...h.tenant, settings: settingsSchema.parse({ fortnoxEvents: 'off', syncInterval: '10m' }) };
    const checks = await doctor(off);
    expect(checks['Fortnox events']).toMatchObject({
      result: 'pass',
      detail: 'off: orders come every 10m by the order sync',
    });
    expect(checks['Fortnox event listener']).toBeUndefined();
  });

  it("status shows each listener's state and since when, and a topic's last event, when handled, and the lag", async () => {
    await report({
      state: 'subscribed',
      at: '2030-01-02T03:04:05.000Z',
      listener: 'host-b:2',
      tenants: [h.tenantId],
    });
    await handled({
      orders: {
        offset: 'o-17',
        eventTimestamp: '2030-01-02T03:05:00.000Z',
        processedAt: '2030-01-02T03:05:02.400Z',
      },
    });
    const { sink, text } = textSink();
    await statusCommand(statusContext(sink), { tenant: h.tenantId, fortnoxEventsWorkflowId: offsetsId });
    const section = text().slice(text().indexOf('Fortnox events'));
    expect(section).toMatch(/host-b:2\s+subscribed\s+2030-01-02 03:04:05Z\s+t-/);
    expect(section).toMatch(/orders\s+2030-01-02 03:05:00Z\s+2030-01-02 03:05:02Z\s+2\.4 s/);

    // A listener killed without a word stops its heartbeat: after two missed reports it shows as gone, and carries
    // no tenant for doctor.
    const halfAnHourAgo = new Date(Date.now() - 30 * 60_000).toISOString();
    const gone = {
      state: 'subscribed',
      at: halfAnHourAgo,
      since: halfAnHourAgo,
      listener: 'host-c:3',
      tenants: [h.tenantId],
    };
    await report(gone);
    const again = textSink();
    await statusCommand(statusContext(again.sink), { tenant: h.tenantId, fortnoxEventsWorkflowId: offsetsId });
    expect(again.text()).toMatch(/host-c:3\s+subscribed, but silent for 30 min \d+ s: gone\?/);
    expect(subscribedListenersOf({ listeners: [gone], topics: [] }, h.tenantId)).toEqual([]);
  });

  it('says so when no worker answers the offsets workflow, rather than waiting for good', async () => {
    const orphan = `${offsetsId}-orphan`;
    await h.client.workflow.start(fortnoxEventOffsetsWorkflow, {
      workflowId: orphan,
      taskQueue: `nobody-polls-${offsetsId}`,
      args: [{}],
    });
    try {
      await expect(readFortnoxEvents(h.client, { workflowId: orphan, timeoutMs: 1500 })).rejects.toThrow(
        `the offsets workflow ${orphan} did not answer within 1.5 s: is the worker running?`,
      );
    } finally {
      await h.client.workflow.getHandle(orphan).terminate('test done');
    }
  });
});
