// The standalone worker process (`npm run worker`): polls the main task queue and every tenant's Fortnox queue
// against a running cluster. Holds no state of its own: run as many as you like, kill any of them at any time.
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { installTemporalRuntime } from '../config/temporal-logger';
import { TenantRegistry } from '../activities/tenant-registry';
import { connectClient, connectWorker, temporalTarget } from '../client/connection';
import { registerTemporalGauges } from '../observability/metrics';
import { sdkMetricsBindAddress, startProcessMetrics } from '../observability/metrics-server';
import { createIntegrationWorkers, runWorkers } from './worker';
import { ensureWorkflowBundle } from './workflow-bundle';

async function main(): Promise<void> {
  const config = loadConfig();
  const { env } = config;
  const logger = createLogger(env.LOG_LEVEL).child({ component: 'worker' });
  const sdkMetrics = await sdkMetricsBindAddress();
  installTemporalRuntime(logger, { metricsBindAddress: sdkMetrics });
  if (config.tenants.length === 0) {
    throw new ConfigError([
      'TENANTS_FILE: a standalone worker needs the tenants file (npm start runs the embedded demo instead)',
    ]);
  }
  const target = temporalTarget(env, env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`);
  const client = await connectClient(target);
  const connection = await connectWorker(target);
  const registry = new TenantRegistry(config.tenants, { dataDir: config.dataDir });
  const workers = await createIntegrationWorkers({
    connection,
    payloadCodec: target.payloadCodec,
    namespace: target.namespace,
    taskQueue: env.TASK_QUEUE,
    registry,
    client,
    maxCachedWorkflows: env.WORKFLOW_CACHE_SIZE,
    workflowBundle: { codePath: await ensureWorkflowBundle(config.dataDir) },
  });
  registerTemporalGauges({ client, tenantIds: () => registry.ids() });
  // Metrics are worth a loud log line, not a worker that stops processing orders (e.g. port taken by a second worker).
  const metrics = await startProcessMetrics(env, sdkMetrics, logger);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      for (const w of workers) w.shutdown();
    });
  }
  logger.info({ taskQueue: env.TASK_QUEUE, tenants: registry.ids(), temporal: target.address }, 'worker ready');
  await runWorkers(workers);
  await metrics?.close();
  await connection.close();
  await client.connection.close();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
