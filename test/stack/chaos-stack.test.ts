// CI's stack soak: `npm run chaos -- --stack --short` runs the chaos soak on the compose file's deployment run
// natively (PostgreSQL + the Temporal server), with three worker processes killed in turn, two webhook receiver
// processes behind a balancer, one Temporal server restart and one PostgreSQL restart, orders by Fortnox's event stream. Every invariant must hold, and
// Fortnox's rate limit must hold across the three workers: no 429 from it.
import { describe, expect, it } from 'vitest';
import { chaosResult, runChaosScript } from '../chaos/run-script';

interface StackChaosSummary {
  violations: number;
  kills: number;
  serverRestarts: number;
  settled: boolean;
  events?: { kills: number; drops: number; orders: number; startedByEvents: number };
  stack?: { workers: number; receivers: number; postgresDowntimeMs: number[]; webhooksPerReceiver: number[] };
  faults: { fortnox: Record<string, number>; rateLimited429: number; rateLimitedByLimit: number };
  invariants: { orders: number; invoices: number; duplicateInvoices: number; lostOrders: number };
}

describe('chaos soak on the stack (short)', () => {
  it('keeps every invariant with three workers and two receivers through kills and server and PostgreSQL restarts', async () => {
    const run = await runChaosScript('chaos', ['--stack', '--short', '--quiet']);
    const { code, stdout } = run;
    const summary = chaosResult<StackChaosSummary>(run);
    expect(summary.stack, stdout).toMatchObject({ workers: 3, receivers: 2 });
    expect(summary.stack!.postgresDowntimeMs, stdout).toHaveLength(1);
    expect(summary.serverRestarts, stdout).toBe(1);
    // Each of the three worker processes killed once.
    expect(summary.kills, stdout).toBeGreaterThanOrEqual(3);
    // Both receivers served webhooks.
    expect(summary.stack!.webhooksPerReceiver, stdout).toHaveLength(2);
    for (const n of summary.stack!.webhooksPerReceiver) expect(n, stdout).toBeGreaterThan(0);
    // The injected bursts of 429 happened; the rate limit itself never answered 429.
    expect(summary.faults.fortnox.rateLimitBurst ?? 0, stdout).toBeGreaterThan(0);
    expect(summary.faults.rateLimitedByLimit, stdout).toBe(0);
    expect(summary.settled, stdout).toBe(true);
    // Fortnox's event stream brought every order on the stack too, through a listener kill and a dropped connection.
    expect(summary.events?.kills, stdout).toBeGreaterThanOrEqual(1);
    expect(summary.events?.startedByEvents, stdout).toBe(summary.events?.orders);
    expect(summary.invariants.duplicateInvoices, stdout).toBe(0);
    expect(summary.invariants.lostOrders, stdout).toBe(0);
    expect(summary.invariants.invoices, stdout).toBeGreaterThan(0);
    expect(summary.violations, stdout).toBe(0);
    expect(code, stdout).toBe(0);
  }, 900_000);
});
