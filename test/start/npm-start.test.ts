// `npm start` as a user runs it: the Web UI comes up, orders flow, SIGTERM/SIGINT stop everything it started, and a
// second start finds the same workflows on the persistent dev-server file.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import getPort from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import { dataConverterOf, payloadCodecFor } from '../../client/connection';
import { FORTNOX_EVENT_OFFSETS_WORKFLOW_ID, listenerReportsQuery } from '../../workflows/fortnox-event-offsets';

const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
const children: ChildProcess[] = [];

async function startProduct(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
  return { child, output: () => output };
}

function processesUsing(path: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', path], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((l) => l && !l.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Sends the signal and waits; true when it ended cleanly (npm itself may report the forwarded signal as its end). */
async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<boolean> {
  const exited = new Promise<boolean>((resolve) =>
    child.once('exit', (code, by) => resolve(code === 0 || by === signal)),
  );
  child.kill(signal);
  return exited;
}

async function orderWorkflowIds(address: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query: 'WorkflowType = "orderWorkflow"' })) ids.push(wf.workflowId);
    return ids.sort();
  } finally {
    await connection.close();
  }
}

/** Waits until an order workflow has completed with an invoice (the demo's floor runs on autopilot). */
async function firstInvoice(address: string, dataDir: string, timeoutMs: number): Promise<string> {
  const connection = await Connection.connect({ address });
  try {
    // npm start made the codec key in its data directory on first start.
    const client = new Client({ connection, dataConverter: dataConverterOf(payloadCodecFor({}, dataDir)) });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for await (const wf of client.workflow.list({
        query: 'WorkflowType = "orderWorkflow" AND ExecutionStatus = "Completed"',
      })) {
        const result = (await client.workflow.getHandle(wf.workflowId, wf.runId).result()) as {
          outcome: string;
          invoiceNumber?: string;
        };
        if (result.outcome === 'invoiced' && result.invoiceNumber) return result.invoiceNumber;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`no order was invoiced within ${timeoutMs} ms`);
  } finally {
    await connection.close();
  }
}

/** Waits until the event listener process says (to the offsets workflow) that its subscription is live. */
async function listenerSubscribed(address: string, dataDir: string, timeoutMs: number): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, dataConverter: dataConverterOf(payloadCodecFor({}, dataDir)) });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reports = await client.workflow
        .getHandle(FORTNOX_EVENT_OFFSETS_WORKFLOW_ID)
        .query(listenerReportsQuery)
        .catch(() => ({}));
      if (Object.values(reports).some((r) => r.state === 'subscribed')) return;
      if (Date.now() > deadline) throw new Error(`no listener subscribed within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await connection.close();
  }
}

const ports = async (dir: string) => ({
  DATA_DIR: dir,
  TEMPORAL_PORT: String(await getPort()),
  TEMPORAL_UI_PORT: String(await getPort()),
  WEBHOOK_PORT: String(await getPort()),
  FORTNOX_SANDBOX_PORT: String(await getPort()),
  WMS_SANDBOX_PORT: String(await getPort()),
  METRICS_PORT: String(await getPort()),
  EVENTS_METRICS_PORT: String(await getPort()),
  CONSOLE_PORT: String(await getPort()),
  CODEC_SERVER_PORT: String(await getPort()),
  LOG_LEVEL: 'warn',
});

/** Everything the product started must be gone soon after it was told to stop. */
async function expectNoLeftovers(path: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let left = processesUsing(path);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = processesUsing(path);
  }
  expect(left).toEqual([]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('runs the product, stops without leftovers, and finds its workflows again after a restart', async () => {
    const env = await ports(dataDir);
    const address = `127.0.0.1:${env.TEMPORAL_PORT}`;
    const first = await startProduct(env);
    expect(first.output()).toContain(`http://localhost:${env.TEMPORAL_UI_PORT}/namespaces/default/workflows`);
    expect((await fetch(`http://localhost:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);

    // The demo's order sync runs at once and starts one workflow per seeded order.
    let before: string[] = [];
    const deadline = Date.now() + 60_000;
    while (before.length < 5 && Date.now() < deadline) {
      before = await orderWorkflowIds(address);
      if (before.length < 5) await new Promise((r) => setTimeout(r, 250));
    }
    expect(before.length).toBeGreaterThanOrEqual(5);
    expect(processesUsing(dataDir).length).toBeGreaterThan(0); // the dev server runs on our data dir
    // An order entered in Fortnox now reaches its workflow by Fortnox's event stream: the listener runs as a process of
    // its own, and with events on the order sync runs only hourly, so nothing else could bring it this soon.
    const listenerPid = Number(/listener pid (\d+)/.exec(first.output())?.[1]);
    expect(alive(listenerPid)).toBe(true);
    await listenerSubscribed(address, dataDir, 60_000);
    const created = (await (
      await fetch(`http://127.0.0.1:${env.CONSOLE_PORT}/api/fortnox/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { DocumentNumber: string };
    const tenantId = (
      JSON.parse(readFileSync(join(dataDir, 'demo-tenants.json'), 'utf8')) as { tenants: { id: string }[] }
    ).tenants[0]!.id;
    const eventDeadline = Date.now() + 60_000;
    while (!(await orderWorkflowIds(address)).includes(`order:${tenantId}:${created.DocumentNumber}`)) {
      expect(Date.now(), 'the new order has a workflow within a minute').toBeLessThan(eventDeadline);
      await new Promise((r) => setTimeout(r, 250));
    }
    // The floor's autopilot sends the orders; the WMS's webhook (HTTP Basic) reaches the workflow, which invoices.
    await firstInvoice(address, dataDir, 150_000);

    expect(await stop(first.child, 'SIGTERM')).toBe(true);
    await expectNoLeftovers(dataDir);
    expect(alive(listenerPid), 'the event listener process stopped with the product').toBe(false);

    const second = await startProduct(env);
    const after = await orderWorkflowIds(address);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(await stop(second.child, 'SIGINT')).toBe(true);
    await expectNoLeftovers(dataDir);
  }, 420_000);

  it('runs the demo without webhooks: the status-change poll alone gets orders invoiced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npm-start-no-webhooks-'));
    const env = { ...(await ports(dir)), DEMO_WEBHOOKS: 'off' };
    const product = await startProduct(env);
    try {
      await firstInvoice(`127.0.0.1:${env.TEMPORAL_PORT}`, dir, 200_000);
      // Not one webhook was sent: the poll did it.
      const { tenants } = JSON.parse(readFileSync(join(dir, 'demo-tenants.json'), 'utf8')) as {
        tenants: Array<{ wms: { goodsOwnerId: number; webhook: { auth: string } } }>;
      };
      expect(tenants[0]!.wms.webhook).toEqual({ auth: 'off' });
      const attempts = await (
        await fetch(
          `http://127.0.0.1:${env.WMS_SANDBOX_PORT}/_sandbox/goods-owners/${tenants[0]!.wms.goodsOwnerId}/webhook-attempts`,
        )
      ).json();
      expect(attempts).toEqual([]);
    } finally {
      expect(await stop(product.child, 'SIGTERM')).toBe(true);
      await expectNoLeftovers(dir);
    }
  }, 300_000);
});
