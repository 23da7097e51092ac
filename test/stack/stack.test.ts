// `npm run stack`: the compose file's Temporal deployment run natively. It starts from docker-compose.yml's own
// settings (one source of truth), sets up the schema and the namespace idempotently, keeps its data in PostgreSQL
// across restarts, and stops everything on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import getPort, { portNumbers } from 'get-port';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readComposeStack } from '../../scripts/stack/compose';
import { serverBinariesIn } from '../../scripts/stack/server-binaries';
import { hostServerEnvironment } from '../../scripts/stack/stack';
import { projectRoot } from '../../scripts/temporal-binary';
import { productSearchAttributes } from '../../workflows/search-attributes';

const compose = readComposeStack({});
const binaries = serverBinariesIn(compose.serverVersion);
const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const composeFile = parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string }>;
};

describe('the stack and docker-compose.yml', () => {
  it("builds the server at the compose file's version, and the admin tools (schema) are of the same release", () => {
    expect(composeFile.services.temporal!.image).toBe(`temporalio/server:${compose.serverVersion}`);
    for (const job of ['temporal-schema', 'temporal-setup'])
      expect(composeFile.services[job]!.image).toMatch(new RegExp(`^temporalio/admin-tools:${compose.serverVersion}-`));
    const version = spawnSync(binaries.server, ['--version'], { encoding: 'utf8' }).stdout;
    expect(version).toContain(compose.serverVersion);
  });

  it('sets on the server only variables its config template reads', () => {
    const template = readFileSync(binaries.configTemplate, 'utf8');
    const read = new Set([...template.matchAll(/env "(\w+)"/g)].map((m) => m[1]));
    for (const name of Object.keys(compose.serverEnvironment))
      expect(read.has(name), `docker-compose.yml sets ${name}, which the server never reads`).toBe(true);
  });

  it('renders the same persistence as the compose file, on PostgreSQL on this host, with the shared dynamic config', () => {
    const rendered = spawnSync(
      binaries.server,
      ['--root', binaries.dir, '--config', 'config', '--env', 'docker', 'render-config'],
      {
        cwd: binaries.dir,
        env: { PATH: process.env.PATH, ...hostServerEnvironment(compose, 55432) },
        encoding: 'utf8',
      },
    );
    expect(rendered.status, rendered.stderr).toBe(0);
    const config = parse(rendered.stdout) as {
      persistence: {
        datastores: Record<string, { sql: { pluginName: string; databaseName: string; connectAddr: string } }>;
      };
      dynamicConfigClient: { filepath: string };
    };
    const { default: store, visibility } = config.persistence.datastores;
    expect(store!.sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal',
      connectAddr: '127.0.0.1:55432',
    });
    expect(visibility!.sql).toMatchObject({
      pluginName: 'postgres12',
      databaseName: 'temporal_visibility',
      connectAddr: '127.0.0.1:55432',
    });
    expect(config.dynamicConfigClient.filepath).toBe(join(projectRoot, 'deploy', 'temporal-dynamic-config.yaml'));
  });
});

/**
 * `npm run stack` as a user runs it: its package.json command through a shell (as npm runs it), in a process group of
 * its own, so that Ctrl-C (SIGINT to the group) reaches it as from a terminal. Not through npm itself: npm's own exit
 * on SIGINT would race the stack's shutdown this test waits for.
 */
function runStack(args: string[]): { child: ChildProcess; ready: Promise<string>; output: () => string } {
  const command = [packageJson.scripts.stack, ...args].join(' ');
  const child = spawn('sh', ['-c', command], { cwd: projectRoot, detached: true });
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready:')) resolve(output);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', (code) => reject(new Error(`npm run stack exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready, output: () => output };
}

function interrupt(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    process.kill(-child.pid!, 'SIGINT');
  });
}

describe('npm run stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wms-fortnox-stack-test-'));
  chmodSync(dir, 0o711); // PostgreSQL runs as the postgres user under root
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("starts PostgreSQL and the Temporal server with the product's namespace and search attributes; data survives a restart", async () => {
    const port = await getPort();
    const args = [
      '--dir',
      join(dir, 'stack'),
      '--port',
      String(port),
      '--postgres-port',
      String(await getPort({ port: portNumbers(20_000, 32_000) })),
    ];
    // The server's other ports are the template's defaults (7234...): this test runs alone in its project.
    const first = runStack(args);
    let started: ChildProcess | undefined = first.child;
    try {
      await first.ready;
      const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
      const client = new Client({ connection });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const key of productSearchAttributes) expect(Object.keys(customAttributes ?? {})).toContain(key.name);
      // Custom search attributes work on PostgreSQL visibility: a started workflow is found by one.
      const handle = await client.workflow.start('stackProbe', {
        taskQueue: 'stack-probe',
        workflowId: 'stack-probe',
        searchAttributes: { Tenant: ['stack-probe'] },
      });
      await expect
        .poll(() => client.workflow.count('Tenant = "stack-probe"').then((c) => c.count), { timeout: 30_000 })
        .toBe(1);
      await connection.close();
      expect(await interrupt(first.child)).toBe(0);
      started = undefined;
      expect(existsSync(join(dir, 'stack', 'postgresql', 'data', 'postmaster.pid')), 'PostgreSQL still running').toBe(
        false,
      );

      // Again on the same folder: the schema and setup jobs find everything in place, and the workflow is still there.
      const second = runStack(args);
      started = second.child;
      await second.ready;
      expect(second.output()).not.toMatch(/failed \(attempt/);
      const again = await Connection.connect({ address: `127.0.0.1:${port}` });
      const description = await new Client({ connection: again }).workflow.getHandle(handle.workflowId).describe();
      expect(description.status.name).toBe('RUNNING');
      await again.close();
      expect(await interrupt(second.child)).toBe(0);
      started = undefined;
    } finally {
      if (started) process.kill(-started.pid!, 'SIGKILL');
    }
  }, 240_000);
});
