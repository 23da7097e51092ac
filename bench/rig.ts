// The test bed that benchmarks and the chaos soak share: a Temporal dev server of their own (SQLite file), both
// sandboxes in this process with one tenant seeded straight into their state, the webhook receiver, and the
// product's worker as a child process that can be killed and restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataConverterOf, payloadCodecFor } from '../client/connection';
import { Client, Connection } from '@temporalio/client';
import got from 'got';
import getPort from 'get-port';
import { buildWebhookReceiver, webhookPath, webhookTenantOf } from '../client/webhook-receiver';
import { createLogger } from '../config/logger';
import type { Tenant } from '../config/tenants';
import { settingsSchema } from '../domain/settings';
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { freeServerPorts, startStack, type Stack } from '../scripts/stack/stack';
import { startBalancer, type Balancer } from './balancer';
import { startFortnoxSandbox, type FortnoxSandbox } from '../simulators/fortnox/server';
import { createArticle } from '../simulators/fortnox/rest/articles';
import { createOrder } from '../simulators/fortnox/rest/orders';
import { createCustomer } from '../simulators/fortnox/rest/registers';
import type { Tenant as FortnoxTenant } from '../simulators/fortnox/state';
import { articleBody } from '../simulators/wms/requests';
import { startWmsSandbox, type WmsSandbox } from '../simulators/wms/server';
import type { GoodsOwnerState } from '../simulators/wms/types';

export const repoRoot = join(import.meta.dirname, '..');

export interface RigOptions {
  /** The sandbox enforces Fortnox's 25 requests per 5 s (default) or no limit. */
  fortnoxRateLimit: boolean;
  /** Point the WMS's webhooks at our receiver (default true). */
  webhooks?: boolean;
  /** Tenant settings as in the tenants file. */
  settings?: Record<string, unknown>;
  /** Compressed WMS webhook retry schedule; it must outlast a server restart. */
  webhookRetryScheduleMs?: number[];
  articles?: number;
  /** Fortnox Lager on: opening stock arrives as a released inbound document, orders move stock on delivery. */
  lager?: boolean;
  /**
   * The Temporal server: 'dev' (default) the CLI's dev server on a SQLite file; 'stack' the compose file's deployment
   * run natively (PostgreSQL and the Temporal server built from go.temporal.io/server: scripts/stack/).
   */
  temporal?: 'dev' | 'stack';
  /**
   * 0 (default): the webhook receiver runs in this process. N: N receiver processes (`npm run receiver`) behind a
   * round-robin balancer, as in production.
   */
  receiverProcesses?: number;
  log?: (line: string) => void;
}

export interface OrderRowInput {
  ArticleNumber: string;
  OrderedQuantity: number;
}

export type WorkerEntry = 'product' | 'unlimited';

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Resident memory of the worker process in bytes (Linux /proc). */
  rssBytes(): number | undefined;
  /** CPU time (user + system) the worker process has used so far, in ms (Linux /proc). */
  cpuMs(): number | undefined;
}

export interface Rig {
  dir: string;
  dbFile: string;
  address: string;
  server: DevServer;
  /** With the stack: PostgreSQL, which restartPostgres() restarts under the running server. */
  stack?: Stack;
  client: Client;
  taskQueue: string;
  tenant: Tenant;
  fortnox: FortnoxSandbox;
  fortnoxTenant: FortnoxTenant;
  wms: WmsSandbox;
  goodsOwner: GoodsOwnerState;
  articles: string[];
  receiverUrl: string;
  /** Creates confirmed (Sent) orders in Fortnox as its own data entry would: straight into the sandbox state. */
  seedOrders(rows: OrderRowInput[][]): string[];
  spawnWorker(entry?: WorkerEntry, extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  /** Stops the Temporal server and starts it again on the same port and database; the downtime in ms. */
  restartServer(): Promise<number>;
  /** The receiver processes' balancer, when the rig runs receiver processes: connections per receiver. */
  balancer?: Balancer;
  /** The Temporal server's database on disk: the SQLite file, or PostgreSQL's data folder with the stack. */
  dbBytes(): number;
  resetCalls(): Promise<void>;
  close(): Promise<void>;
}

export function readRss(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in ms, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
export function readCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function folderBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

/** Waits until a child's health endpoint answers 200; fails with its stderr when it exits first. */
async function waitForHealth(url: string, child: ChildProcess, tail: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode}):\n${tail()}`);
    const ok = await got(url, { timeout: { request: 1000 }, retry: { limit: 0 } }).then(
      (r) => r.statusCode === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within 60 s:\n${tail()}`);
}

export async function startRig(options: RigOptions): Promise<Rig> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'wms-fortnox-rig-'));
  const dbFile = join(dir, 'temporal.sqlite');
  const port = await getPort();
  // The stack's PostgreSQL runs as the postgres user: its folder is not under `dir`, which only root may enter.
  const stackDir = options.temporal === 'stack' ? mkdtempSync(join(tmpdir(), 'wms-fortnox-stack-')) : undefined;
  if (stackDir) chmodSync(stackDir, 0o711);
  const stack = stackDir
    ? await startStack({
        dir: stackDir,
        postgresPort: await getPort(),
        ports: { ...(await freeServerPorts()), FRONTEND_GRPC_PORT: port },
        log,
      })
    : undefined;
  let server: DevServer = stack
    ? { address: stack.address, stop: () => stack.stop() }
    : await startDevServer({ port, dbFilename: dbFile, log });
  const address = server.address;
  const connection = await Connection.connect({ address });
  // The worker processes it spawns share dir, so they find the key this makes there (or CODEC_KEYS, inherited).
  const client = new Client({ connection, dataConverter: dataConverterOf(payloadCodecFor(process.env, dir)) });
  const tenantId = `bench-${randomBytes(3).toString('hex')}`;
  const taskQueue = `wms-fortnox-${tenantId}`;

  const known: { tenant?: Tenant } = {};
  const receiver = buildWebhookReceiver({
    client,
    logger: createLogger('silent'),
    tenant: (id) => (known.tenant?.id === id ? webhookTenantOf(known.tenant) : undefined),
  });
  await receiver.listen({ port: 0, host: '127.0.0.1' });
  const receiverAddress = receiver.server.address();
  const receiverPorts = await Promise.all(Array.from({ length: options.receiverProcesses ?? 0 }, () => getPort()));
  const balancer = receiverPorts.length ? await startBalancer(receiverPorts) : undefined;
  const receiverUrl =
    balancer?.url ??
    `http://127.0.0.1:${typeof receiverAddress === 'object' && receiverAddress ? receiverAddress.port : 0}`;

  const fortnox = await startFortnoxSandbox({ rateLimit: options.fortnoxRateLimit ? undefined : false });
  const wms = await startWmsSandbox({
    webhookRetryScheduleMs: options.webhookRetryScheduleMs ?? [500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000],
  });

  // Seeded data: one customer and stock articles, known to both sides, with ample stock in both.
  const fortnoxTenant = fortnox.state.createTenant({ lager: options.lager ?? false, companyName: 'Bench Goods AB' });
  const now = fortnox.state.clock.nowMs();
  const customer = createCustomer(
    fortnoxTenant,
    {
      Name: 'Benchkunden AB',
      Address1: 'Lagervägen 1',
      ZipCode: '123 45',
      City: 'Stockholm',
      DeliveryName: 'Benchkunden Lager',
      DeliveryAddress1: 'Lagervägen 1',
      DeliveryZipCode: '123 45',
      DeliveryCity: 'Stockholm',
      DeliveryCountry: 'Sverige',
    },
    now,
  );
  const customerNumber = String(customer.CustomerNumber);
  const goodsOwnerCreds = await got
    .post(`${wms.url}/_sandbox/goods-owners`, { json: { name: 'Bench Goods AB' } })
    .json<{ goodsOwnerId: number; username: string; password: string; warehouse: string }>();
  const goodsOwner = wms.state.goodsOwner(goodsOwnerCreds.goodsOwnerId);
  const articles: string[] = [];
  const openingStock = 1_000_000;
  for (let i = 0; i < (options.articles ?? 20); i++) {
    const articleNumber = `B${1000 + i}`;
    createArticle(
      fortnoxTenant,
      {
        ArticleNumber: articleNumber,
        Description: `Bench article ${i}`,
        StockGoods: true,
        ...(fortnoxTenant.lager ? {} : { QuantityInStock: openingStock }),
        SalesPrice: 100 + i,
        PurchasePrice: 50,
      },
      now,
    );
    wms.state.upsertArticle(
      goodsOwner,
      articleBody.parse({
        goodsOwnerId: goodsOwner.goodsOwnerId,
        articleNumber,
        articleName: `Bench article ${i}`,
        isStockArticle: true,
      }),
    );
    await got.post(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/stock-adjustments`, {
      json: { articleNumber, count: openingStock, reason: 'count' },
    });
    articles.push(articleNumber);
  }
  if (fortnoxTenant.lager) {
    // Under Lager the opening stock lives in the warehouse module: one released inbound document, as seed.ts does.
    fortnoxTenant.warehouse.saveDocument('INBOUND', 'BENCHOPENING', '1', {
      date: fortnox.state.today(),
      note: 'Bench opening stock',
      rows: articles.map((itemId) => ({ itemId, quantity: openingStock, directCost: 50 })),
    });
    fortnoxTenant.warehouse.release('INBOUND', 'BENCHOPENING', '1');
  }
  // HTTP Basic, as Ongoing sends it.
  const webhook = { username: 'ongoing', password: randomBytes(24).toString('base64url') };
  if (options.webhooks !== false) {
    await got.put(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/webhooks`, {
      json: {
        url: `${receiverUrl}${webhookPath(tenantId)}`,
        auth: { type: 'basic', ...webhook },
        events: ['orderCreated', 'orderPicked', 'orderStatusChanged'],
        statuses: [300, 450, 1000],
      },
    });
  }
  const tenant: Tenant = {
    id: tenantId,
    name: 'Bench Goods AB (sandbox)',
    fortnox: {
      apiBaseUrl: fortnox.url,
      authBaseUrl: fortnox.url,
      eventsUrl: fortnox.eventsUrl,
      auth: {
        mode: 'client_credentials',
        clientId: fortnoxTenant.clientId,
        clientSecret: fortnoxTenant.clientSecret,
        tenantId: fortnoxTenant.tenantId,
        scope: 'article order invoice supplier customer companyinformation settings warehouse',
      },
    },
    wms: {
      baseUrl: `${wms.url}/${goodsOwnerCreds.warehouse}`,
      username: goodsOwnerCreds.username,
      password: goodsOwnerCreds.password,
      goodsOwnerId: goodsOwner.goodsOwnerId,
      webhook: options.webhooks === false ? { auth: 'off' } : { auth: 'basic', ...webhook },
    },
    // Only the order flow runs: the registry syncs would spend the same Fortnox budget the figures are about.
    // fortnoxEvents off unless the bench asks: the rig runs no event listener, and with events on the order sync
    // would run only hourly (orderSyncIntervalWithEvents).
    settings: settingsSchema.parse({
      fortnoxEvents: 'off',
      ...options.settings,
      processes: {
        articles: false,
        suppliers: false,
        stockLevels: false,
        billing: false,
        ...(options.settings?.processes as object | undefined),
      },
    }),
  };
  known.tenant = tenant;
  const tenantsFile = join(dir, 'tenants.json');
  writeFileSync(tenantsFile, JSON.stringify({ tenants: [tenant] }));
  const children = new Set<ChildProcess>();
  const productEnv = async () => ({
    ...process.env,
    TEMPORAL_ADDRESS: address,
    TENANTS_FILE: tenantsFile,
    TASK_QUEUE: taskQueue,
    DATA_DIR: dir,
    LOG_LEVEL: 'info',
    METRICS_PORT: String(await getPort()),
  });
  for (const receiverPort of receiverPorts) {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'client', 'receiver-main.ts')], {
      cwd: repoRoot,
      env: { ...(await productEnv()), WEBHOOK_PORT: String(receiverPort), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    let tail = '';
    child.stderr!.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000)));
    await waitForHealth(`http://127.0.0.1:${receiverPort}/healthz`, child, () => tail);
  }

  const rig: Rig = {
    dir,
    dbFile,
    address,
    get server() {
      return server;
    },
    client,
    taskQueue,
    tenant,
    fortnox,
    fortnoxTenant,
    wms,
    goodsOwner,
    articles,
    receiverUrl,
    stack,
    balancer,
    seedOrders(rowsPerOrder) {
      const at = fortnox.state.clock.nowMs();
      const today = fortnox.state.today();
      return rowsPerOrder.map((rows) =>
        String(
          createOrder(
            fortnoxTenant,
            { CustomerNumber: customerNumber, Sent: true, YourReference: 'Bench', OrderRows: rows },
            at,
            today,
          ).DocumentNumber,
        ),
      );
    },
    async spawnWorker(entry = 'product', extraEnv = {}) {
      const script =
        entry === 'product' ? join(repoRoot, 'workers', 'main.ts') : join(repoRoot, 'bench', 'worker-process.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: repoRoot,
        env: { ...(await productEnv()), ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      let tail = '';
      // Always drain the pipes: a full pipe would stall the worker.
      const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-8000));
      child.stderr!.on('data', keep);
      await new Promise<void>((resolve, reject) => {
        let ready = false;
        const done = () => {
          ready = true;
          clearInterval(poll);
          resolve();
        };
        child.stdout!.on('data', (chunk: Buffer) => {
          keep(chunk);
          if (!ready && tail.includes('"worker ready"')) done();
        });
        // At log levels above info there is no "worker ready" line: the worker's poller on our queue tells instead.
        const poll = setInterval(() => {
          void client.workflowService
            .describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType: 1 })
            .then(
              (r) => {
                if (!ready && r.pollers?.some((p) => p.identity?.startsWith(`${child.pid}@`))) done();
              },
              () => undefined,
            );
        }, 500);
        child.once('exit', (code, signal) => {
          clearInterval(poll);
          if (!ready) reject(new Error(`worker process exited (${code ?? signal}) before it was ready:\n${tail}`));
        });
      });
      return { child, pid: child.pid!, rssBytes: () => readRss(child.pid!), cpuMs: () => readCpuMs(child.pid!) };
    },
    async restartServer() {
      if (stack) return stack.restartServer();
      const started = Date.now();
      await server.stop();
      server = await startDevServer({ port, dbFilename: dbFile, log });
      return Date.now() - started;
    },
    dbBytes() {
      if (stack) return folderBytes(stack.postgres.dataDir);
      // SQLite in WAL mode keeps recent pages in the -wal file: both are the database's size on disk.
      let total = 0;
      for (const suffix of ['', '-wal', '-shm']) {
        try {
          total += statSync(dbFile + suffix).size;
        } catch {
          // no such file
        }
      }
      return total;
    },
    async resetCalls() {
      await got.delete(`${fortnox.url}/_sandbox/tenants/${fortnoxTenant.tenantId}/calls`);
      await got.delete(`${wms.url}/_sandbox/goods-owners/${goodsOwner.goodsOwnerId}/calls`).catch(() => undefined);
    },
    async close() {
      for (const child of children) child.kill('SIGKILL');
      wms.autopilot.stop();
      await receiver.close();
      await Promise.all([fortnox.close(), wms.close()]);
      await balancer?.close();
      await connection.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
      if (stackDir) rmSync(stackDir, { recursive: true, force: true });
    },
  };
  return rig;
}
