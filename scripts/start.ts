// `npm start`: the whole product. With no configuration: a Temporal dev server (SQLite file, Web UI on 8233), both
// sandboxes with demo data, the worker, the webhook receiver, the Fortnox event listener (a process of its own) and the
// schedules. With TEMPORAL_ADDRESS and a tenants file: the same without the dev server and the sandboxes, against real
// services. Ctrl-C stops everything it started.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { ConfigError, loadConfig, type AppConfig, type Tenant } from '../config';
import { createLogger } from '../config/logger';
import { installTemporalRuntime } from '../config/temporal-logger';
import { TenantRegistry } from '../activities/tenant-registry';
import { ordersScheduleId } from '../domain/names';
import { connectClient, connectWorker, temporalTarget } from '../client/connection';
import { buildCodecServer, codecEndpointForUi } from '../client/codec-server';
import { bootstrapSchedules, triggerScheduleNow } from '../client/schedules';
import { registerSearchAttributes } from '../client/search-attributes';
import { buildWebhookReceiver, webhookPath, webhookTenantOf } from '../client/webhook-receiver';
import { createIntegrationWorkers, runWorkers } from '../workers/worker';
import { ensureWorkflowBundle } from '../workers/workflow-bundle';
import { startDevServer, type DevServer } from './dev-server';
import { DEMO_TENANTS_FILE, startEmbeddedSandboxes, type EmbeddedSandboxes } from './embedded-sandboxes';
import { startConsole, type ConsoleServer } from '../simulators/console/server';
import { observeWebhook, registerTemporalGauges } from '../observability/metrics';
import { sdkMetricsBindAddress, startProcessMetrics } from '../observability/metrics-server';
import { eventsUrlOf } from '../client/fortnox-events/tenants';
import { superviseProcess, type SupervisedProcess } from './supervised-process';

async function main(config: AppConfig): Promise<void> {
  const { env } = config;
  const logger = createLogger(env.LOG_LEVEL);
  const sdkMetrics = await sdkMetricsBindAddress();
  installTemporalRuntime(logger, { metricsBindAddress: sdkMetrics });
  const stops: (() => Promise<unknown>)[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (reason: string) =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'stopping');
      for (const stop of stops.reverse()) {
        await stop().catch((err) => logger.error({ err: String(err) }, 'error while stopping'));
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll(signal).then(() => process.exit(0)));
  }

  try {
    const address = env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`;
    const target = temporalTarget(env, address);
    logger.info({ keys: target.codecKeysSource }, 'payloads are encrypted (codec keys)');
    // The codec server, so the Web UI shows decoded payloads; it listens on loopback, as the dev server's UI does.
    const uiUrl = env.TEMPORAL_UI_URL ?? `http://localhost:${env.TEMPORAL_UI_PORT}`;
    const codecToken = env.CODEC_SERVER_TOKEN ?? randomBytes(24).toString('base64url');
    const codecServer = buildCodecServer({
      codec: target.payloadCodec,
      token: codecToken,
      allowedOrigins: [new URL(uiUrl).origin, `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`],
      logger: logger.child({ component: 'codec-server' }),
    });
    await codecServer.listen({ port: env.CODEC_SERVER_PORT, host: '127.0.0.1' });
    stops.push(() => codecServer.close());
    const codecBaseUrl = `http://localhost:${env.CODEC_SERVER_PORT}`;
    let devServer: DevServer | undefined;
    if (!env.TEMPORAL_ADDRESS) {
      devServer = await startDevServer({
        port: env.TEMPORAL_PORT,
        uiPort: env.TEMPORAL_UI_PORT,
        dbFilename: join(config.dataDir, 'temporal.sqlite'),
        namespace: env.TEMPORAL_NAMESPACE,
        uiCodecEndpoint: codecEndpointForUi(codecBaseUrl, codecToken),
        log: (line) => logger.info(line),
      });
      stops.push(() => devServer!.stop());
    }
    const client: Client = await connectClient(target);
    stops.push(() => client.connection.close());
    if (!devServer) await registerSearchAttributes(client, target.namespace);

    let tenants: Tenant[] = config.tenants;
    let sandboxes: EmbeddedSandboxes | undefined;
    if (tenants.length === 0) {
      sandboxes = await startEmbeddedSandboxes({
        fortnoxPort: env.FORTNOX_SANDBOX_PORT,
        wmsPort: env.WMS_SANDBOX_PORT,
        webhookUrl: (tenantId) => `http://127.0.0.1:${env.WEBHOOK_PORT}${webhookPath(tenantId)}`,
        autopilotStepMs: 20_000,
        dataDir: config.dataDir,
        webhooks: env.DEMO_WEBHOOKS === 'basic',
      });
      stops.push(() => sandboxes!.close());
      tenants = [sandboxes.tenant];
      // The demo tenant as a tenants file, so the CLI's account commands (doctor, stock report, backfill) work on the
      // demo too: TENANTS_FILE=.data/demo-tenants.json npm run cli -- doctor. Sandbox credentials only; owner-readable.
      mkdirSync(config.dataDir, { recursive: true, mode: 0o700 }); // holds the dev server's database and tokens too
      writeFileSync(join(config.dataDir, DEMO_TENANTS_FILE), `${JSON.stringify({ tenants }, null, 2)}\n`, {
        mode: 0o600,
      });
    }
    const tenantsFile = sandboxes ? join(config.dataDir, DEMO_TENANTS_FILE) : env.TENANTS_FILE;
    const registry = new TenantRegistry(tenants, { dataDir: config.dataDir });

    const receiver = buildWebhookReceiver({
      client,
      logger: logger.child({ component: 'webhook-receiver' }),
      maxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
      onOutcome: observeWebhook,
      tenant: (id) => {
        const tenant = tenants.find((t) => t.id === id);
        return tenant && webhookTenantOf(tenant);
      },
    });
    await receiver.listen({ port: env.WEBHOOK_PORT, host: '0.0.0.0' });
    stops.push(() => receiver.close());

    const connection: NativeConnection = await connectWorker(target);
    const workers: Worker[] = await createIntegrationWorkers({
      connection,
      payloadCodec: target.payloadCodec,
      namespace: target.namespace,
      taskQueue: env.TASK_QUEUE,
      registry,
      client,
      maxCachedWorkflows: env.WORKFLOW_CACHE_SIZE,
      workflowBundle: { codePath: await ensureWorkflowBundle(config.dataDir) },
    });
    const running = runWorkers(workers);
    stops.push(async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    });
    running.catch((err) => {
      logger.error({ err: String(err) }, 'worker failed');
      void stopAll('worker failed').then(() => process.exit(1));
    });

    const schedules = await bootstrapSchedules(client, tenants, env.TASK_QUEUE);
    // The event listener in a process of its own, as in a deployment (`npm run events`): the same code, the same
    // restarts; it only needs Temporal (up now), the tenants file and the event stream's address.
    let eventListener: SupervisedProcess | undefined;
    const eventsUrl = eventsUrlOf(tenants);
    if (eventsUrl && tenantsFile) {
      eventListener = superviseProcess({
        name: 'fortnox-events',
        script: fileURLToPath(new URL('../client/fortnox-events-main.ts', import.meta.url)),
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: address,
          TENANTS_FILE: tenantsFile,
          DATA_DIR: config.dataDir,
          METRICS_PORT: String(env.EVENTS_METRICS_PORT),
        },
        logger,
      });
      stops.push(() => eventListener!.stop());
    }
    registerTemporalGauges({ client, tenantIds: () => tenants.map((t) => t.id) });
    let webConsole: ConsoleServer | undefined;
    if (sandboxes) {
      const demo = sandboxes.tenant;
      webConsole = await startConsole({
        port: env.CONSOLE_PORT,
        fortnoxUrl: sandboxes.fortnoxUrl,
        wmsUrl: sandboxes.wmsUrl,
        tenant: demo,
        temporalUiUrl: env.TEMPORAL_UI_URL ?? devServer?.uiUrl ?? `http://localhost:${env.TEMPORAL_UI_PORT}`,
        namespace: target.namespace,
        syncNow: () => triggerScheduleNow(client, ordersScheduleId(demo.id)),
      });
      stops.push(() => webConsole!.close());
    }
    const metrics = await startProcessMetrics(env, sdkMetrics, logger);
    if (metrics) stops.push(() => metrics.close());
    logger.info(schedules, 'schedules ready');

    const lines = [
      '',
      'WMS ⇄ Fortnox integration is running.',
      devServer?.uiUrl
        ? `  Temporal Web UI:   ${devServer.uiUrl}/namespaces/${target.namespace}/workflows`
        : `  Temporal:          ${address} (namespace ${target.namespace})`,
      `  Webhook receiver:  http://localhost:${env.WEBHOOK_PORT}${webhookPath('<tenant>')}`,
      ...(sandboxes
        ? [
            `  Fortnox sandbox:   ${sandboxes.fortnoxUrl}  (tenant state: ${sandboxes.fortnoxUrl}/_sandbox/tenants/${sandboxes.tenant.fortnox.auth.mode === 'client_credentials' ? sandboxes.tenant.fortnox.auth.tenantId : ''}/state)`,
            `  WMS sandbox:       ${sandboxes.wmsUrl}  (goods owner ${sandboxes.tenant.wms.goodsOwnerId})`,
            `  Sandbox console:   ${webConsole?.url ?? ''}  (click an order from Fortnox to invoice)`,
          ]
        : []),
      `  Codec server:      ${codecBaseUrl}/codec  (the Web UI decodes payloads with it; Temporal stores them encrypted)`,
      `  Metrics:           http://localhost:${env.METRICS_PORT}/metrics`,
      eventListener
        ? `  Fortnox events:    ${eventsUrl} (listener pid ${eventListener.pid() ?? '-'}, metrics http://localhost:${env.EVENTS_METRICS_PORT}/metrics)`
        : '  Fortnox events:    off (no tenant has fortnoxEvents on): orders come by the order sync',
      `  Tenants:           ${tenants.map((t) => t.id).join(', ')}`,
      ...(sandboxes
        ? [`  Check accounts:    TENANTS_FILE=${join(env.DATA_DIR, DEMO_TENANTS_FILE)} npm run cli -- doctor`]
        : []),
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    logger.info({ temporal: address, tenants: tenants.map((t) => t.id) }, 'ready');
    await running;
  } catch (err) {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'start-up failed');
    await stopAll('start-up failed');
    process.exit(1);
  }
}

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  throw err;
}
void main(config);
