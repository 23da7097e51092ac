// CI's chaos soak: `npm run chaos:short` (30 orders, faults in both sandboxes, two worker SIGKILLs, one Temporal
// server restart, Lager with the stock sync and warehouse adjustments, orders by Fortnox's event stream with the
// listener killed once and its connection dropped once) must end with every invariant holding, with the
// WMS's webhooks in HTTP Basic and with no webhooks at all (the status-change poll alone). It runs its own dev server, so it lives in the fast project.
import { describe, expect, it } from 'vitest';
import { chaosResult, runChaosScript } from './run-script';

interface ChaosSummary {
  webhooks: boolean;
  violations: number;
  kills: number;
  serverRestarts: number;
  settled: boolean;
  events?: { kills: number; drops: number; orders: number; startedByEvents: number };
  faults: { fortnox: Record<string, number>; wms: Record<string, number>; bursts429: number };
  stock: { adjustments: number; syncRuns: number; syncAfterQuiet: boolean | null };
  invariants: { stockMismatches: number | null; stockMovedTwice: number | null };
}

describe('chaos soak (short)', () => {
  it.each(['basic', 'off'] as const)(
    'keeps every invariant through faults, worker kills and a server restart, webhooks %s',
    async (webhooks) => {
      const run = await runChaosScript('chaos:short', ['--quiet', '--webhooks', webhooks]);
      const { code, stdout } = run;
      const summary = chaosResult<ChaosSummary>(run);
      expect(summary.webhooks).toBe(webhooks === 'basic');
      const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
      expect(summary.kills).toBeGreaterThanOrEqual(1);
      expect(summary.serverRestarts).toBe(1);
      // Fortnox's event stream brought every order, though its listener was killed and its connection dropped.
      expect(summary.events?.kills).toBeGreaterThanOrEqual(1);
      expect(summary.events?.drops).toBeGreaterThanOrEqual(1);
      expect(summary.events?.orders).toBeGreaterThan(0);
      expect(summary.events?.startedByEvents, stdout).toBe(summary.events?.orders);
      expect(sum(summary.faults.fortnox) + sum(summary.faults.wms)).toBeGreaterThan(0);
      expect(summary.settled, stdout).toBe(true);
      // Stock is checked, not skipped: the warehouse adjusted stock, and a sync after the quiet made Fortnox agree.
      expect(summary.stock.adjustments).toBeGreaterThan(0);
      expect(summary.stock.syncAfterQuiet, stdout).toBe(true);
      expect(summary.invariants.stockMismatches, stdout).toBe(0);
      expect(summary.invariants.stockMovedTwice, stdout).toBe(0);
      expect(summary.violations, stdout).toBe(0);
      expect(code, stdout).toBe(0);
    },
    480_000,
  );
});
