// A scenario harness for tests on the shared dev server: both sandboxes in-process with a fresh tenant, the webhook
// receiver, and the product's real workers on a task queue of their own. A test reads like the scenario it checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import got from 'got';
import { inject } from 'vitest';
import { TenantRegistry } from '../../activities/tenant-registry';
import { FortnoxClient } from '../../activities/fortnox/client';
import { MemoryTokenStore } from '../../activities/fortnox/token-store';
import { Pacer } from '../../activities/fortnox/pacer';
import { WmsClient } from '../../activities/wms/client';
import { newCodecKeyEntry, parseCodecKeys } from '../../client/codec-keys';
import { dataConverterOf } from '../../client/connection';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../client/payload-codec';
import { buildWebhookReceiver, webhookPath, webhookTenantOf, type WebhookOutcome } from '../../client/webhook-receiver';
import { createLogger } from '../../config/logger';
import { observeWebhook } from '../../observability/metrics';
import type { Tenant } from '../../config/tenants';
import { orderWorkflowId, syncOrdersWorkflowId } from '../../domain/names';
import { settingsSchema } from '../../domain/settings';
import { recordHistory, recordWith } from './record';
import {
  startEmbeddedSandboxes,
  type EmbeddedSandboxes,
  type EmbeddedSandboxOptions,
} from '../../scripts/embedded-sandboxes';
import { createIntegrationWorkers, defaultWorkerIdentity } from '../../workers/worker';
import { orderStatusQuery, type OrderResult, type OrderStatus } from '../../workflows/order/messages';
import { syncOrdersWorkflow } from '../../workflows/sync-orders';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by another harness in this process.
  }
}

export interface HarnessOptions {
  /** Another Temporal server than the shared one (e.g. one with the Web UI, for screenshots). */
  temporalAddress?: string;
  lager?: boolean;
  allowNegativeStock?: boolean;
  /** Tenant settings (as in the tenants file); defaults are the product's. */
  settings?: Record<string, unknown>;
  /** Start the workers now (default) or later with startWorkers(), e.g. to test a worker restart. */
  startWorkers?: boolean;
  /** 3PL invoicing: the 3PL's own Fortnox as a second sandbox tenant (off unless asked for). */
  billing?: EmbeddedSandboxOptions['billing'];
  /** false: no Fortnox rate limit in the sandbox nor in the pacer (large registries seeded and synced quickly). */
  fortnoxRateLimit?: false;
  /** false: no webhooks at all (the WMS sends none, the tenant has them off); orders move by the status poll. */
  webhooks?: boolean;
  /** Where the webhook receiver writes its JSON logs (default: nowhere). */
  receiverLog?: NodeJS.WritableStream;
  /**
   * Sets of the product's workers, each as a separate process would have it: its own registry, token store, pacer
   * and identity (default 1).
   */
  workerProcesses?: number;
}

export interface Harness {
  /** Seals and opens payloads, as the product's clients and workers do: the worker processes it spawns hold its keys. */
  client: Client;
  payloadCodec: EncryptionCodec;
  /** CODEC_KEYS for a process a test starts beside the harness (a script, a CLI): the harness's own key. */
  codecKeys: string;
  /** A run's history with every sealed payload in it opened (the bytes Temporal stores are ciphertext). */
  openedHistory(workflowId: string, runId?: string): Promise<unknown>;
  /** A payload from a raw history, opened and parsed. */
  decodePayload<T>(payload: Payload | undefined): Promise<T | undefined>;
  tenant: Tenant;
  tenantId: string;
  taskQueue: string;
  sandboxes: EmbeddedSandboxes;
  /** Each worker set's pacer (the first is shared with `fortnox`, the test's own Fortnox user). */
  pacers: Pacer[];
  /** Fortnox requests each pacer has let through so far. */
  fortnoxRequestsPerPacer(): number[];
  /** The Fortnox sandbox's tenant id (DatabaseNumber). */
  fortnoxTenantId: string;
  /** Acts as a Fortnox user would (own token store, so it never disturbs the product's tokens). */
  fortnox: FortnoxClient;
  wms: WmsClient;
  webhookOutcomes: WebhookOutcome[];
  receiverUrl: string;
  /** Everything the spawned worker processes printed (their JSON logs). */
  workerProcessOutput(): string;
  startWorkers(): Promise<void>;
  /** Runs the product's standalone worker (`workers/main.ts`) as a child process, as production does. */
  spawnWorkerProcess(): Promise<ChildProcess>;
  stopWorkers(): Promise<void>;
  floor(orderId: number, action: 'release' | 'allocate' | 'pick' | 'send' | 'cancel', body?: unknown): Promise<void>;
  syncOrders(): Promise<Awaited<ReturnType<typeof syncOrdersWorkflow>>>;
  /** Runs one scheduled sync workflow (e.g. 'syncArticlesWorkflow') once for the tenant and returns its result. */
  /** Runs a sync workflow to its end; `record` names the scenario under which RECORD_HISTORIES=1 keeps its history. */
  runSync<R>(workflowType: string, options?: { workflowId?: string; record?: string }): Promise<R>;
  orderStatus(documentNumber: string): Promise<OrderStatus>;
  waitForStatus(
    documentNumber: string,
    predicate: (s: OrderStatus) => boolean,
    timeoutMs?: number,
  ): Promise<OrderStatus>;
  createOrder(
    rows: { ArticleNumber: string; OrderedQuantity: number }[],
    extra?: Record<string, unknown>,
  ): Promise<string>;
  /** A new stock article known to both sides, with the given stock in the warehouse (Fortnox stock starts at 0). */
  addArticle(articleNumber: string, warehouseStock: number): Promise<void>;
  close(): Promise<void>;
}

/** Polls until the check returns a value (not undefined/false), or fails with the last observation. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `Timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
  );
}

/** A stream that keeps what is written to it, e.g. the receiver's log for a test that searches it. */
export function textSink(): { sink: Writable; text: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { sink, text: () => text };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  quietRuntime();
  const address = options.temporalAddress ?? inject('temporalAddress');
  const tenantId = `t-${randomBytes(4).toString('hex')}`;
  const taskQueue = `test-${tenantId}`;
  const connection = await Connection.connect({ address });
  // A key of its own per harness, in CODEC_KEYS for the worker processes it spawns.
  const codecKeys = newCodecKeyEntry();
  const payloadCodec = new EncryptionCodec(parseCodecKeys(codecKeys, 'test key'));
  const client = new Client({ connection, dataConverter: dataConverterOf(payloadCodec) });
  recordWith(payloadCodec);
  const webhookOutcomes: WebhookOutcome[] = [];
  // The receiver must listen before the sandboxes start (they need its URL); it learns the tenant afterwards.
  const known: { tenant?: Tenant } = {};
  const receiver = buildWebhookReceiver({
    client,
    logger: options.receiverLog ? createLogger('debug', options.receiverLog) : createLogger('silent'),
    tenant: (id) => (known.tenant?.id === id ? webhookTenantOf(known.tenant) : undefined),
    onOutcome: (outcome, id) => {
      webhookOutcomes.push(outcome);
      observeWebhook(outcome, id); // as production wires it, so metrics tests see webhook outcomes
    },
  });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const receiverAddress = receiver.server.address();
  const receiverUrl = `http://127.0.0.1:${typeof receiverAddress === 'object' && receiverAddress ? receiverAddress.port : 0}`;

  const sandboxes = await startEmbeddedSandboxes({
    fortnoxPort: 0,
    wmsPort: 0,
    webhookUrl: (id) => `${receiverUrl}${webhookPath(id)}`,
    tenantId,
    lager: options.lager,
    allowNegativeStock: options.allowNegativeStock,
    webhookRetryScheduleMs: [200, 500, 1000, 2000],
    billing: options.billing ?? false,
    webhooks: options.webhooks,
    ...(options.fortnoxRateLimit === false ? { fortnoxRateLimit: false as const } : {}),
  });
  const tenant: Tenant = {
    ...sandboxes.tenant,
    settings: settingsSchema.parse({ reconciliationInterval: '1h', ...options.settings }),
  };
  known.tenant = tenant;
  const auth = tenant.fortnox.auth;
  const fortnoxTenantId = auth.mode === 'client_credentials' ? auth.tenantId : '';
  // One pacer per worker process; the test's Fortnox user shares the first: both count against the tenant's limit.
  const workerProcesses = options.workerProcesses ?? 1;
  const grants = Array.from({ length: workerProcesses }, () => 0);
  const newPacer = (_: unknown, i: number) => {
    const onGrant = () => (grants[i] = (grants[i] ?? 0) + 1);
    return options.fortnoxRateLimit === false
      ? new Pacer({ requests: 1_000_000, safety: { requests: 0 }, onGrant })
      : new Pacer({ onGrant });
  };
  const pacers = Array.from({ length: workerProcesses }, newPacer);
  const pacer = pacers[0]!;
  const fortnox = new FortnoxClient({
    apiBaseUrl: tenant.fortnox.apiBaseUrl,
    authBaseUrl: tenant.fortnox.authBaseUrl,
    tenantKey: tenantId,
    auth,
    tokenStore: new MemoryTokenStore(),
    pacer,
  });
  const wms = new WmsClient({
    baseUrl: tenant.wms.baseUrl,
    username: tenant.wms.username,
    password: tenant.wms.password,
    goodsOwnerId: tenant.wms.goodsOwnerId,
  });

  const customer = await fortnox.createCustomer({
    Name: 'Testkunden AB',
    DeliveryName: 'Testkunden Lager',
    DeliveryAddress1: 'Lagervägen 1',
    DeliveryZipCode: '123 45',
    DeliveryCity: 'Stockholm',
    DeliveryCountry: 'Sverige',
  } as never);
  const registry = new TenantRegistry([tenant], { tokenStore: new MemoryTokenStore(), pacer });
  // One connection per worker set: the SDK allows one worker per task queue on a connection, as a process has.
  let workerConnections: NativeConnection[] = [];
  let workers: Worker[] = [];
  let running: Promise<unknown> | undefined;
  const children: ChildProcess[] = [];
  let childOutput = '';

  const harness: Harness = {
    client,
    payloadCodec,
    codecKeys,
    async openedHistory(workflowId, runId) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const open = async (value: unknown): Promise<unknown> => {
        if (value instanceof Uint8Array || !value || typeof value !== 'object') return value;
        if (Array.isArray(value)) return Promise.all(value.map(open));
        const payload = value as Payload;
        if (payload.metadata?.encoding && Buffer.from(payload.metadata.encoding).toString() === ENCRYPTED_ENCODING) {
          return (await payloadCodec.decode([payload]))[0];
        }
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await open(v)] as const));
        return Object.fromEntries(entries);
      };
      return open(history);
    },
    async decodePayload<T>(payload: Payload | undefined) {
      if (!payload) return undefined;
      const [opened] = await payloadCodec.decode([payload]);
      return defaultPayloadConverter.fromPayload(opened!) as T;
    },
    tenant,
    tenantId,
    taskQueue,
    sandboxes,
    pacers,
    fortnoxRequestsPerPacer: () => [...grants],
    fortnoxTenantId,
    fortnox,
    wms,
    webhookOutcomes,
    receiverUrl,
    workerProcessOutput: () => childOutput,
    async startWorkers() {
      workers = [];
      for (let i = 0; i < workerProcesses; i++) {
        const workerConnection = await NativeConnection.connect({ address });
        workerConnections.push(workerConnection);
        const registryOfProcess =
          i === 0 ? registry : new TenantRegistry([tenant], { tokenStore: new MemoryTokenStore(), pacer: pacers[i] });
        workers.push(
          ...(await createIntegrationWorkers({
            connection: workerConnection,
            namespace: 'default',
            taskQueue,
            registry: registryOfProcess,
            client,
            payloadCodec,
            workflowBundle: { codePath: inject('workflowBundlePath') },
            // The sandbox enforces Fortnox's limit; tests need not be slower than the pacer makes them.
            fortnoxActivitiesPerSecond: 50,
            workerOptions: {
              shutdownGraceTime: '1s',
              ...(i === 0 ? {} : { identity: `${defaultWorkerIdentity()}#${i}` }),
            },
          })),
        );
      }
      running = Promise.all(workers.map((w) => w.run()));
    },
    async spawnWorkerProcess() {
      const dir = mkdtempSync(join(tmpdir(), 'worker-process-'));
      const tenantsFile = join(dir, 'tenants.json');
      writeFileSync(tenantsFile, JSON.stringify({ tenants: [tenant] }));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'workers', 'main.ts')],
        {
          env: {
            ...process.env,
            TEMPORAL_ADDRESS: address,
            TENANTS_FILE: tenantsFile,
            TASK_QUEUE: taskQueue,
            DATA_DIR: dir,
            CODEC_KEYS: codecKeys,
            LOG_LEVEL: 'debug',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      await new Promise<void>((resolve, reject) => {
        let output = '';
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          childOutput += chunk.toString();
          if (output.includes('"worker ready"')) resolve();
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) =>
          reject(new Error(`worker process exited with ${code} before it was ready:\n${output}`)),
        );
      });
      children.push(child);
      return child;
    },
    async stopWorkers() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running;
      for (const c of workerConnections) await c.close();
      workerConnections = [];
      workers = [];
    },
    async floor(orderId, action, body) {
      await got.post(
        `${sandboxes.wmsUrl}/_sandbox/goods-owners/${tenant.wms.goodsOwnerId}/orders/${orderId}/${action}`,
        { json: body ?? {} },
      );
    },
    async syncOrders() {
      return client.workflow.execute(syncOrdersWorkflow, {
        workflowId: `${syncOrdersWorkflowId(tenantId)}:${randomBytes(3).toString('hex')}`,
        taskQueue,
        args: [{ tenantId }],
      });
    },
    async runSync<R>(workflowType: string, runOptions: { workflowId?: string; record?: string } = {}) {
      const workflowId = runOptions.workflowId ?? `${workflowType}:${tenantId}:${randomBytes(3).toString('hex')}`;
      const result = (await client.workflow.execute(workflowType, {
        workflowId,
        taskQueue,
        args: [{ tenantId }],
      })) as R;
      if (runOptions.record) await recordHistory(workflowId, workflowType, runOptions.record);
      return result;
    },
    async orderStatus(documentNumber) {
      return client.workflow.getHandle(orderWorkflowId(tenantId, documentNumber)).query(orderStatusQuery);
    },
    async waitForStatus(documentNumber, predicate, timeoutMs = 60_000) {
      let last: OrderStatus | undefined;
      return waitFor(
        async () => {
          last = await harness.orderStatus(documentNumber);
          return predicate(last) ? last : undefined;
        },
        timeoutMs,
        `order ${documentNumber} status (last: stage ${last?.stage}, attention ${last?.attention})`,
      );
    },
    async createOrder(rows, extra = {}) {
      // Sent: the order confirmation has gone out, so the default selection picks the order up.
      const created = await fortnox.createOrder({
        CustomerNumber: customer.CustomerNumber,
        Sent: true,
        OrderRows: rows,
        ...extra,
      } as never);
      return created.DocumentNumber;
    },
    async addArticle(articleNumber, warehouseStock) {
      await fortnox.createArticle({
        ArticleNumber: articleNumber,
        Description: `Test article ${articleNumber}`,
        StockGoods: true,
      } as never);
      await wms.upsertArticle({
        articleNumber,
        articleName: `Test article ${articleNumber}`,
        isStockArticle: true,
      } as never);
      await got.post(`${sandboxes.wmsUrl}/_sandbox/goods-owners/${tenant.wms.goodsOwnerId}/stock-adjustments`, {
        json: { articleNumber, count: warehouseStock, reason: 'count' },
      });
    },
    async close() {
      await harness.stopWorkers();
      await receiver.close();
      await sandboxes.close();
      await connection.close();
    },
  };
  if (options.startWorkers !== false) await harness.startWorkers();
  return harness;
}

// ---- Scenario steps shared by the order tests ----------------------------------------------------------------

export interface SandboxInvoice {
  DocumentNumber: number;
  OrderReference: number;
  InvoiceRows: { ArticleNumber: string; DeliveredQuantity: number }[];
}

/** Every invoice in the Fortnox sandbox that was made from this order. */
export async function invoicesFor(harness: Harness, documentNumber: string): Promise<SandboxInvoice[]> {
  const state = await got(`${harness.sandboxes.fortnoxUrl}/_sandbox/tenants/${harness.fortnoxTenantId}/state`).json<{
    invoices: SandboxInvoice[];
  }>();
  return state.invoices.filter((i) => String(i.OrderReference) === documentNumber);
}

/** The n-th run (1-based) a schedule started, once it has completed: its workflow id and result. */
export async function scheduledRun<R>(
  harness: Harness,
  scheduleId: string,
  n: number,
): Promise<{ workflowId: string; result: R }> {
  const handle = harness.client.schedule.getHandle(scheduleId);
  const run = await waitFor(
    async () => {
      const actions = (await handle.describe()).info.recentActions;
      return actions.length >= n ? actions[n - 1] : undefined;
    },
    30_000,
    `run ${n} of ${scheduleId}`,
  );
  const workflow = harness.client.workflow.getHandle(
    run.action.workflow.workflowId,
    run.action.workflow.firstExecutionRunId,
  );
  return { workflowId: run.action.workflow.workflowId, result: (await workflow.result()) as R };
}

/** Creates the order in Fortnox, runs the order sync, and waits until the order waits, quietly, in the WMS. */
export async function orderInWarehouse(harness: Harness, rows: { ArticleNumber: string; OrderedQuantity: number }[]) {
  const documentNumber = await harness.createOrder(rows);
  await harness.syncOrders();
  // Wait until the workflow has also handled the WMS's "order created" webhook, so each test starts from quiet.
  const status = await harness.waitForStatus(
    documentNumber,
    (s) =>
      s.stage === 'awaiting-warehouse' &&
      s.seenWebhookEvents.length > 0 &&
      !s.busy &&
      !s.pendingWmsCheck &&
      !s.pendingFortnoxChange,
  );
  return { documentNumber, wmsOrderId: status.wmsOrderId! };
}

export function orderResult(harness: Harness, documentNumber: string): Promise<OrderResult> {
  return harness.client.workflow.getHandle(orderWorkflowId(harness.tenantId, documentNumber)).result();
}
