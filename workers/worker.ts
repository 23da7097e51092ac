// Builds the integration's workers: one on the main task queue (workflows and the WMS/Temporal activities) and one per
// tenant on that tenant's Fortnox queue (the Fortnox activities). The worker processes keep together under Fortnox's 25
// requests per 5 seconds: each paces its requests to an equal part of the tenant's budget (the pacer, told how many
// processes poll the queue) and polls only when its part has room (the slot supplier).
import type { Client } from '@temporalio/client';
import { Runtime, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createFortnoxActivities, createMainActivities } from '../activities';
import { dataConverterOf } from '../client/connection';
import type { EncryptionCodec } from '../client/payload-codec';
import { integrationFailureInterceptor } from '../activities/integration-error';
import type { TenantRegistry } from '../activities/tenant-registry';
import { fortnoxTaskQueue } from '../domain/names';
import { taskQueuePeers } from './fortnox-peers';
import { fortnoxSlotSupplier } from './fortnox-slots';

/**
 * Activities a tenant's Fortnox queue may start per second, across all workers: Fortnox's 25 requests per 5 s less one
 * of headroom, since most Fortnox activities make one request each. This spreads the tasks out over time; it cannot
 * hold Fortnox's limit alone (its token bucket lets a burst through after a quiet second, and some activities make
 * several requests), which is the pacers' job. The queue must have one partition (the server divides the rate among
 * partitions, each with its own burst): scripts/dev-server.ts sets it, docs/deployment.md says how on a cluster.
 */
export const DEFAULT_FORTNOX_ACTIVITIES_PER_SECOND = 24 / 5;

/**
 * Fortnox activities one worker runs at once per tenant. A worker polls only when its pacer has room, so these wait
 * little; more at once would only queue longer inside the process, where a wait can outlast an activity's timeout.
 */
export const DEFAULT_FORTNOX_CONCURRENT_ACTIVITIES = 8;

/**
 * Order workflows kept in the worker's memory between their tasks. Each costs about 0.4 MB (each evaluates its own copy
 * of the workflow modules: keep libraries out of them), and an order waits for days, so the cache, not the number of
 * open orders, bounds the worker's memory; an evicted order is replayed from its (short) history when it next wakes,
 * which costs a few milliseconds. With 250, a worker holding 10,000 open orders passed 500 MB.
 */
export const DEFAULT_WORKFLOW_CACHE_SIZE = 100;

/**
 * On SIGTERM, how long running activities get to finish before they are cancelled (their cancellation signal then
 * stops pacer waits and requests). Short enough for a rolling deploy; long enough for a report of a few calls.
 */
export const DEFAULT_SHUTDOWN_GRACE_TIME = '20 seconds';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface IntegrationWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  registry: TenantRegistry;
  client: Client;
  /** Seals every payload the workers hand Temporal: the same keys as every client's (client/connection.ts). */
  payloadCodec: EncryptionCodec;
  /** A pre-built workflow bundle (tests build it once); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  fortnoxActivitiesPerSecond?: number;
  /** Workflows cached in memory (default DEFAULT_WORKFLOW_CACHE_SIZE, or WORKFLOW_CACHE_SIZE in the environment). */
  maxCachedWorkflows?: number;
  /** Extra worker options (e.g. shutdown grace time, sinks). */
  workerOptions?: Partial<WorkerOptions>;
}

/** The identity the SDK would give a worker by default; the Fortnox pacer counts its peers by these identities. */
export const defaultWorkerIdentity = () => `${process.pid}@${hostname()}`;

export async function createIntegrationWorkers(options: IntegrationWorkersOptions): Promise<Worker[]> {
  const identity = options.workerOptions?.identity ?? defaultWorkerIdentity();
  const { pacer } = options.registry;
  pacer.countPeersWith(
    taskQueuePeers({
      client: options.client,
      namespace: options.namespace,
      identity,
      isTenant: (key) => options.registry.has(key),
      onCountFailed: (tenantId, err) =>
        Runtime.instance().logger.warn("could not count the worker processes on the tenant's Fortnox queue", {
          tenantId,
          error: err instanceof Error ? err.message : String(err),
        }),
    }),
  );
  const dependencies = { registry: options.registry, temporal: () => options.client, taskQueue: options.taskQueue };
  // Each queue gets only its own set: a Fortnox activity scheduled on the main queue would fail as unregistered
  // rather than run outside the tenant's rate limit (workflows/proxies.ts makes it a type error first).
  const fortnoxActivities = createFortnoxActivities(dependencies);
  // A client error escaping an activity becomes the ApplicationFailure it stands for, in one place for every activity.
  const interceptors = {
    ...options.workerOptions?.interceptors,
    activity: [integrationFailureInterceptor, ...(options.workerOptions?.interceptors?.activity ?? [])],
  };
  const dataConverter = dataConverterOf(options.payloadCodec);
  const workflowSource = options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath };
  const main = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter,
    ...workflowSource,
    activities: createMainActivities(dependencies),
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_WORKFLOW_CACHE_SIZE,
    shutdownGraceTime: DEFAULT_SHUTDOWN_GRACE_TIME,
    ...options.workerOptions,
    interceptors,
  });
  const perTenant = await Promise.all(
    options.registry.ids().map((tenantId) =>
      Worker.create({
        connection: options.connection,
        namespace: options.namespace,
        taskQueue: fortnoxTaskQueue(tenantId),
        dataConverter,
        activities: fortnoxActivities,
        maxTaskQueueActivitiesPerSecond: options.fortnoxActivitiesPerSecond ?? DEFAULT_FORTNOX_ACTIVITIES_PER_SECOND,
        tuner: {
          activityTaskSlotSupplier: fortnoxSlotSupplier(pacer, tenantId, DEFAULT_FORTNOX_CONCURRENT_ACTIVITIES),
          // This worker runs no workflows, local activities or Nexus tasks; the tuner needs a supplier for each.
          workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: 2 },
          localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: 1 },
          nexusTaskSlotSupplier: { type: 'fixed-size', numSlots: 1 },
        },
        shutdownGraceTime: DEFAULT_SHUTDOWN_GRACE_TIME,
        ...options.workerOptions,
        identity,
        interceptors,
      }),
    ),
  );
  return [main, ...perTenant];
}

/** Runs workers until one fails or all are shut down; a failure of one shuts the others down. */
export async function runWorkers(workers: Worker[]): Promise<void> {
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  }
}
