// CI's compressed-months soak: `npm run chaos:long-short` (24 orders, reconciliation every 2 s, history limit 80,
// orders waiting for an operator through continue-as-news, resyncs aimed at a continue-as-new, a slow Fortnox with
// the worker killed mid-report, "sync now" from the CLI's trigger and the console) must end with every invariant
// holding, no workflow spinning, every history within its limit and the worker idle. It runs its own dev server, so it
// lives in the fast project.
import { describe, expect, it } from 'vitest';
import { chaosResult, runChaosScript } from './run-script';

interface LongSummary {
  continuedAsNew: number;
  continuedAsNewByStage: Record<string, number>;
  needsAttentionEntries: number;
  ordersInNeedsAttention: number;
  resyncs: { sent: number; aimedPairs: number; received: number; carried: number; carriedActedOn: number };
  fixes: number;
  killsDuringReports: number;
  triggers: { cli: number; console: number };
  overLimit: number;
  storms: number;
  idleCpuShare: number | null;
}

interface ChaosSummary {
  violations: number;
  settled: boolean;
  long?: LongSummary;
  invariants: { duplicateInvoices: number; lostOrders: number; invoices: number };
}

describe('chaos soak, months compressed (short)', () => {
  it('keeps every invariant through waits, continue-as-news, resyncs, a slow Fortnox and kills mid-report', async () => {
    const run = await runChaosScript('chaos:long-short', ['--quiet']);
    const { code, stdout } = run;
    const summary = chaosResult<ChaosSummary>(run);
    const long = summary.long!;
    expect(long, stdout).toBeDefined();
    // What it is about happened: orders waited for the operator through continue-as-new, the operator fixed and resynced,
    // resyncs were carried across a continue-as-new, reports were killed, both "sync now" paths were used.
    expect(long.continuedAsNew, stdout).toBeGreaterThan(0);
    expect(long.continuedAsNewByStage['needs-attention'] ?? 0, stdout).toBeGreaterThan(0);
    expect(long.ordersInNeedsAttention, stdout).toBeGreaterThan(0);
    expect(long.fixes, stdout).toBeGreaterThan(0);
    expect(long.resyncs.received, stdout).toBeGreaterThan(0);
    expect(long.resyncs.carried, stdout).toBeGreaterThan(0);
    expect(long.resyncs.carriedActedOn, stdout).toBe(long.resyncs.carried);
    expect(long.killsDuringReports, stdout).toBeGreaterThanOrEqual(1);
    expect(long.triggers.cli, stdout).toBeGreaterThan(0);
    expect(long.triggers.console, stdout).toBeGreaterThan(0);
    // And it held: nothing twice, nothing lost, no storm, no history past its limit, the worker idle afterwards.
    expect(summary.invariants.duplicateInvoices, stdout).toBe(0);
    expect(summary.invariants.lostOrders, stdout).toBe(0);
    expect(long.storms, stdout).toBe(0);
    expect(long.overLimit, stdout).toBe(0);
    expect(long.idleCpuShare, stdout).not.toBeNull();
    expect(long.idleCpuShare!, stdout).toBeLessThan(0.05);
    expect(summary.settled, stdout).toBe(true);
    expect(summary.violations, stdout).toBe(0);
    expect(code, stdout).toBe(0);
  }, 480_000);
});
