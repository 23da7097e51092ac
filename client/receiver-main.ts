// The standalone webhook receiver process (`npm run receiver`): WMS order events in, signals to the order workflows
// out. Stateless: run one or several behind a load balancer; it answers 2xx only once Temporal holds the event.
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { installTemporalRuntime } from '../config/temporal-logger';
import { observeWebhook, registerTemporalGauges } from '../observability/metrics';
import { sdkMetricsBindAddress, startProcessMetrics } from '../observability/metrics-server';
import { connectClient, temporalTarget } from './connection';
import { buildWebhookReceiver, webhookTenantOf } from './webhook-receiver';

async function main(): Promise<void> {
  const config = loadConfig();
  const { env } = config;
  const logger = createLogger(env.LOG_LEVEL).child({ component: 'webhook-receiver' });
  const sdkMetrics = await sdkMetricsBindAddress();
  installTemporalRuntime(logger, { metricsBindAddress: sdkMetrics });
  if (config.tenants.length === 0) {
    throw new ConfigError([
      'TENANTS_FILE: the webhook receiver needs the tenants file for the webhook authentication of each tenant (wms.webhook)',
    ]);
  }
  const target = temporalTarget(env, env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`);
  const client = await connectClient(target);
  const receiver = buildWebhookReceiver({
    client,
    logger,
    maxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
    onOutcome: observeWebhook,
    tenant: (id) => {
      const tenant = config.tenants.find((t) => t.id === id);
      return tenant && webhookTenantOf(tenant);
    },
  });
  await receiver.listen({ port: env.WEBHOOK_PORT, host: '0.0.0.0' });
  registerTemporalGauges({ client, tenantIds: () => config.tenants.map((t) => t.id) });
  const metrics = await startProcessMetrics(env, sdkMetrics, logger);
  logger.info(
    { port: env.WEBHOOK_PORT, tenants: config.tenants.map((t) => t.id), temporal: target.address },
    'webhook receiver ready',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      void (async () => {
        await receiver.close();
        await metrics?.close();
        await client.connection.close();
        process.exit(0);
      })();
    });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
