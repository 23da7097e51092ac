// The Fortnox event listener during a soak: the product's own process (client/fortnox-events-main.ts) on the rig,
// started again whenever it dies, SIGKILLed and its connection dropped at random moments, while the sandbox's stream
// duplicates and delays events. What the soak then checks: every order workflow was started by the listener (none
// waited for the safety-net order sync), and the usual invariants (changes and cancellations reached the WMS).
import { join } from 'node:path';
import getPort from 'get-port';
import got from 'got';
import { createLogger } from '../config/logger';
import { LISTENER_IDENTITY_PREFIX } from '../client/fortnox-events/listener';
import { superviseProcess, type SupervisedProcess } from '../scripts/supervised-process';
import { FORTNOX_EVENT_OFFSETS_WORKFLOW_ID, listenerReportsQuery } from '../workflows/fortnox-event-offsets';
import { ORDER_WORKFLOW_TYPE } from '../workflows/order/messages';
import type { Rig } from '../bench/rig';

const repoRoot = join(import.meta.dirname, '..');

/** Faults of the sandbox's event stream during the soak: at-least-once (5 % sent twice) and late events. */
export const EVENT_FAULTS = { duplicateRate: 0.05, delayMs: 300 };

export class EventListenerChaos {
  private process: SupervisedProcess | undefined;
  kills = 0;
  drops = 0;

  constructor(
    private readonly rig: Rig,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts the listener process and waits until it says it is subscribed, so no seeded order's event is before it. */
  async start(): Promise<void> {
    await got.put(`${this.rig.fortnox.url}/_sandbox/events/faults`, { json: EVENT_FAULTS });
    this.process = superviseProcess({
      name: 'fortnox-events',
      script: join(repoRoot, 'client', 'fortnox-events-main.ts'),
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: this.rig.address,
        TENANTS_FILE: join(this.rig.dir, 'tenants.json'),
        TASK_QUEUE: this.rig.taskQueue,
        DATA_DIR: this.rig.dir,
        METRICS_PORT: String(await getPort()),
        LOG_LEVEL: 'warn',
      },
      logger: createLogger('silent'),
      restartMs: { min: 200, max: 2000 },
      output: 'ignore',
    });
    const deadline = Date.now() + 60_000;
    while (!(await this.subscribed())) {
      if (Date.now() > deadline) throw new Error('the event listener did not subscribe within a minute');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async subscribed(): Promise<boolean> {
    const reports = await this.rig.client.workflow
      .getHandle(FORTNOX_EVENT_OFFSETS_WORKFLOW_ID)
      .query(listenerReportsQuery)
      .catch(() => ({}));
    return Object.values(reports).some((r) => r.state === 'subscribed');
  }

  /** SIGKILLs the listener process (it is started again); events meanwhile are replayed from the saved offsets. */
  kill(): void {
    if (this.process?.kill()) {
      this.kills++;
      this.log('killed the Fortnox event listener (SIGKILL)');
    }
  }

  /** Drops the listener's connection at the sandbox, as a network failure would. */
  async drop(): Promise<void> {
    const { dropped } = await got
      .post(`${this.rig.fortnox.url}/_sandbox/events/drop`, { json: {} })
      .json<{ dropped: number }>();
    if (dropped > 0) {
      this.drops++;
      this.log('dropped the Fortnox event stream connection');
    }
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  /** How many process starts it took (the first plus one per death). */
  starts(): number {
    return this.process?.starts() ?? 0;
  }
}

/**
 * The order workflows whose first run was not started by the event listener (the order sync or anyone else started
 * them): with the listener up the whole soak, there should be none.
 */
export async function ordersNotStartedByEvents(rig: Rig): Promise<{ total: number; notByEvents: string[] }> {
  const notByEvents: string[] = [];
  const orders = new Set<string>();
  for await (const run of rig.client.workflow.list({ query: `WorkflowType = "${ORDER_WORKFLOW_TYPE}"` })) {
    orders.add(run.workflowId);
    const history = await rig.client.workflowService.getWorkflowExecutionHistory({
      namespace: rig.client.options.namespace,
      execution: { workflowId: run.workflowId, runId: run.runId },
      maximumPageSize: 1,
    });
    const started = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    // A run continued as new was started by its own previous run, not by whoever told the order first.
    if (!started || started.continuedExecutionRunId) continue;
    const identity = started.identity ?? '';
    if (!identity.startsWith(LISTENER_IDENTITY_PREFIX)) notByEvents.push(`${run.workflowId} (started by ${identity})`);
  }
  return { total: orders.size, notByEvents };
}
