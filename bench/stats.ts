// Small statistics for the reports: percentiles, and the latency a 15-minute poll would have given the same orders.

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean,
  };
}

export interface SentToInvoiced {
  sentAt: number;
  invoicedAt: number;
}

/**
 * "Sent to invoiced" if reporting ran as a poll every `intervalMs` (the market's way) instead of on the webhook: an
 * order sent at time s is noticed at the next poll tick, then takes the same processing time it took here
 * (invoicedAt - sentAt). The poll's phase is unknown, so every phase (in steps of `phaseStepMs`) is weighed equally.
 */
export function pollLatencies(orders: SentToInvoiced[], intervalMs = 15 * 60_000, phaseStepMs = 1000): number[] {
  const out: number[] = [];
  for (let phase = 0; phase < intervalMs; phase += phaseStepMs) {
    for (const o of orders) {
      const sinceTick = (((o.sentAt - phase) % intervalMs) + intervalMs) % intervalMs;
      const wait = sinceTick === 0 ? 0 : intervalMs - sinceTick;
      out.push(wait + (o.invoicedAt - o.sentAt));
    }
  }
  return out;
}
