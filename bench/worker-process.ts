// The product's workers with Fortnox pacing lifted (no client pacer, no task-queue rate limit), as a child process:
// what the engine benchmark and the scale test measure. Same workers, same activities, same workflows as workers/main.ts.
import { loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { installTemporalRuntime } from '../config/temporal-logger';
import { Pacer } from '../activities/fortnox/pacer';
import { TenantRegistry } from '../activities/tenant-registry';
import { connectClient, connectWorker, temporalTarget } from '../client/connection';
import { createIntegrationWorkers, runWorkers } from '../workers/worker';
import { ensureWorkflowBundle } from '../workers/workflow-bundle';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.env.LOG_LEVEL).child({ component: 'worker' });
  installTemporalRuntime(logger);
  const target = temporalTarget(config.env, config.env.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.env.TEMPORAL_PORT}`);
  const client = await connectClient(target);
  const connection = await connectWorker(target);
  const registry = new TenantRegistry(config.tenants, {
    dataDir: config.dataDir,
    pacer: new Pacer({ requests: 1_000_000_000 }),
  });
  const workers = await createIntegrationWorkers({
    connection,
    payloadCodec: target.payloadCodec,
    namespace: target.namespace,
    taskQueue: config.env.TASK_QUEUE,
    registry,
    client,
    fortnoxActivitiesPerSecond: 100_000,
    maxCachedWorkflows: config.env.WORKFLOW_CACHE_SIZE,
    // The product's worker loads a bundle built in a child process (workers/main.ts): webpack's memory must not count.
    workflowBundle: {
      codePath: await ensureWorkflowBundle(config.dataDir),
    },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => workers.forEach((w) => w.shutdown()));
  // Printed whatever the log level, so the parent knows when polling has begun.
  process.stdout.write(`${JSON.stringify({ msg: 'worker ready', pid: process.pid })}\n`);
  await runWorkers(workers);
  await connection.close();
  await client.connection.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
