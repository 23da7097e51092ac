// The Fortnox event listener process (`npm run events`; `npm start` runs one too): one WebSocket connection to
// Fortnox's event stream for every tenant with fortnoxEvents on, an order's event signalling that order's workflow.
// One per deployment, as Fortnox asks: a second replica is harmless (the offsets and the workflows dedupe) but doubles
// the connections Fortnox sees.
import { hostname } from 'node:os';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { installTemporalRuntime } from '../config/temporal-logger';
import { TenantRegistry } from '../activities/tenant-registry';
import { observeFortnoxEvent, observeFortnoxEventsState } from '../observability/metrics';
import { sdkMetricsBindAddress, startProcessMetrics } from '../observability/metrics-server';
import { connectClient, temporalTarget } from './connection';
import { FortnoxEventListener, LISTENER_IDENTITY_PREFIX } from './fortnox-events/listener';
import { eventsUrlOf, eventTenantsOf } from './fortnox-events/tenants';

async function main(): Promise<void> {
  const config = loadConfig();
  const { env } = config;
  const logger = createLogger(env.LOG_LEVEL).child({ component: 'fortnox-events' });
  if (config.tenants.length === 0) {
    throw new ConfigError([
      "TENANTS_FILE: the event listener needs the tenants file (each tenant's Fortnox credentials; `npm start` without one runs a listener for the demo)",
    ]);
  }
  const sdkMetrics = await sdkMetricsBindAddress();
  installTemporalRuntime(logger, { metricsBindAddress: sdkMetrics });
  const target = temporalTarget(env, env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`);
  const client = await connectClient(target, { identity: `${LISTENER_IDENTITY_PREFIX}${process.pid}@${hostname()}` });
  const url = eventsUrlOf(config.tenants);
  const registry = new TenantRegistry(config.tenants, { dataDir: config.dataDir });
  const tenants = await eventTenantsOf(config.tenants, registry, logger);
  const metrics = await startProcessMetrics(env, sdkMetrics, logger);
  const listener =
    url && tenants.length > 0
      ? new FortnoxEventListener({
          url,
          tenants,
          client,
          taskQueue: env.TASK_QUEUE,
          logger,
          onState: observeFortnoxEventsState,
          onEvent: (event, outcome) => observeFortnoxEvent(event, outcome, Date.now()),
        })
      : undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      void (async () => {
        await listener?.stop();
        await metrics?.close();
        await client.connection.close();
        process.exit(0);
      })();
    });
  }
  if (!listener) {
    logger.warn('no tenant has fortnoxEvents on (and its order process on): nothing to listen for');
    return;
  }
  // Not awaited: the first attempt may fail (Temporal or Fortnox not up yet); it retries with backoff by itself.
  void listener.start();
  logger.info({ url, tenants: tenants.map((t) => t.id), temporal: target.address }, 'Fortnox event listener started');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
