// CI's chaos soak: `npm run chaos:short` (30 orders, faults in both sandboxes, two worker SIGKILLs, one Temporal
// server restart, Lager with the stock sync and warehouse adjustments) must end with every invariant holding, with the
// WMS's webhooks in HTTP Basic and with no webhooks at all (the status-change poll alone). It runs its own dev server, so it lives in the fast project.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface ChaosSummary {
  webhooks: boolean;
  violations: number;
  kills: number;
  serverRestarts: number;
  settled: boolean;
  faults: { fortnox: Record<string, number>; wms: Record<string, number>; bursts429: number };
  stock: { adjustments: number; syncRuns: number; syncAfterQuiet: boolean | null };
  invariants: { stockMismatches: number | null; stockMovedTwice: number | null };
}

function runChaosShort(webhooks: 'basic' | 'off'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'chaos:short', '--', '--quiet', '--webhooks', webhooks], { cwd: join(import.meta.dirname, '..', '..') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('chaos soak (short)', () => {
  it.each(['basic', 'off'] as const)('keeps every invariant through faults, worker kills and a server restart, webhooks %s', async (webhooks) => {
    const { code, stdout, stderr } = await runChaosShort(webhooks);
    const line = stdout.split('\n').find((l) => l.startsWith('CHAOS_RESULT '));
    expect(line, `no result line; stdout:\n${stdout}\nstderr:\n${stderr}`).toBeDefined();
    const summary = JSON.parse(line!.slice('CHAOS_RESULT '.length)) as ChaosSummary;
    expect(summary.webhooks).toBe(webhooks === 'basic');
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(summary.kills).toBeGreaterThanOrEqual(1);
    expect(summary.serverRestarts).toBe(1);
    expect(sum(summary.faults.fortnox) + sum(summary.faults.wms)).toBeGreaterThan(0);
    expect(summary.settled, stdout).toBe(true);
    // Stock is checked, not skipped: the warehouse adjusted stock, and a sync after the quiet made Fortnox agree.
    expect(summary.stock.adjustments).toBeGreaterThan(0);
    expect(summary.stock.syncAfterQuiet, stdout).toBe(true);
    expect(summary.invariants.stockMismatches, stdout).toBe(0);
    expect(summary.invariants.stockMovedTwice, stdout).toBe(0);
    expect(summary.violations, stdout).toBe(0);
    expect(code, stdout).toBe(0);
  }, 480_000);
});
