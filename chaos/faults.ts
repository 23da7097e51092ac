// The faults the soak injects into both sandboxes (5xx, latency, timeout after commit, bursts of 429), with seeded
// randomness, and a count of the faults the WMS sandbox injected (the Fortnox sandbox counts its own).
import got from 'got';
import type { FaultRuleInput } from '../simulators/fortnox/faults';
import type { GoodsOwnerState } from '../simulators/wms/types';
import type { Rig } from '../bench/rig';

export interface FaultPlan {
  errorRate: number;
  timeoutAfterCommitRate: number;
  /**
   * Latency added to every read and write of one Fortnox order (GET/PUT /3/orders/:DocumentNumber, createinvoice) while
   * it is set: a slow Fortnox. Under the product's 10 s request timeout each call still succeeds; a report of four such
   * calls runs past 30 s, the start-to-close its activity once had.
   */
  orderCallLatencyMs?: number;
}

const customDocument = '/api/warehouse/documentdeliveries/custom';

export function fortnoxRules(plan: FaultPlan, seed: number, burst = 0): FaultRuleInput[] {
  const rules: FaultRuleInput[] = [
    { route: 'GET /3/orders', errorRate: plan.errorRate, latencyMs: 300, seed: seed + 1 },
    {
      route: 'GET /3/orders/:DocumentNumber',
      errorRate: plan.errorRate,
      latencyMs: plan.orderCallLatencyMs,
      seed: seed + 2,
    },
    {
      route: 'PUT /3/orders/:DocumentNumber',
      errorRate: plan.errorRate,
      timeoutAfterCommitRate: plan.timeoutAfterCommitRate,
      latencyMs: plan.orderCallLatencyMs,
      seed: seed + 3,
    },
    {
      route: 'PUT /3/orders/:DocumentNumber/createinvoice',
      errorRate: plan.errorRate,
      timeoutAfterCommitRate: plan.timeoutAfterCommitRate * 2,
      latencyMs: 200 + (plan.orderCallLatencyMs ?? 0),
      seed: seed + 4,
    },
    // The stock sync's Lager calls: a lost answer on a saved or released document must not move stock twice.
    { route: 'GET /api/warehouse/status-v1/stockbalance', errorRate: plan.errorRate, seed: seed + 6 },
    ...(['inbound', 'outbound'] as const).flatMap((direction, i) => [
      {
        route: `PUT ${customDocument}/${direction}-v1/:type/:id`,
        errorRate: plan.errorRate,
        timeoutAfterCommitRate: plan.timeoutAfterCommitRate * 2,
        seed: seed + 7 + i * 2,
      },
      {
        route: `PUT ${customDocument}/${direction}-v1/:type/:id/release`,
        errorRate: plan.errorRate,
        timeoutAfterCommitRate: plan.timeoutAfterCommitRate * 2,
        seed: seed + 8 + i * 2,
      },
    ]),
  ];
  // A burst answers the next `burst` API calls of the tenant with 429, whatever the route.
  if (burst > 0) rules.push({ route: '*', rateLimitBurst: burst, seed: seed + 5 });
  return rules;
}

export function wmsRules(plan: FaultPlan, seed: number) {
  return [
    {
      route: 'PUT /orders',
      errorRate: plan.errorRate,
      timeoutAfterCommitRate: plan.timeoutAfterCommitRate,
      seed: seed + 11,
    },
    { route: 'GET /orders/:orderId', errorRate: plan.errorRate, latencyMs: 100, seed: seed + 12 },
    { route: 'GET /orders', errorRate: plan.errorRate, seed: seed + 13 },
    { route: 'DELETE /orders/:orderId', errorRate: plan.errorRate, seed: seed + 14 },
    {
      route: 'PATCH /orders/:orderId/setReportedNumberOfItemsToPickedNumberOfItems',
      errorRate: plan.errorRate,
      timeoutAfterCommitRate: plan.timeoutAfterCommitRate,
      seed: seed + 15,
    },
  ];
}

export type WmsFaultCounts = Record<'error503' | 'timeoutAfterCommit' | 'latency', number>;

/**
 * The WMS sandbox does not count the faults it injects, so count them where it decides: each matching call draws
 * once for the error and, when there is none, once for "timeout after commit" (simulators/wms/faults.ts
 * decideFault). Wrapping the rules' random sources mirrors that decision without changing the sandbox.
 */
function countWmsFaults(owner: GoodsOwnerState, counts: WmsFaultCounts): void {
  for (const rule of owner.faultRules) {
    const draw = rule.random;
    let expectingError = rule.errorRate !== undefined;
    rule.random = () => {
      const value = draw();
      if (expectingError) {
        if (rule.latencyMs) counts.latency++;
        if (value < rule.errorRate!) counts.error503++;
        else if (rule.timeoutAfterCommitRate !== undefined) expectingError = false;
      } else {
        if (value < rule.timeoutAfterCommitRate!) counts.timeoutAfterCommit++;
        expectingError = rule.errorRate !== undefined;
      }
      return value;
    };
  }
}

/** Replaces the Fortnox sandbox's rules of the tenant (a burst of 429s, a slow Fortnox coming or going). */
export async function applyFortnoxFaults(rig: Rig, plan: FaultPlan, seed: number, burst = 0): Promise<void> {
  await got.put(`${rig.fortnox.url}/_sandbox/tenants/${rig.fortnoxTenant.tenantId}/faults`, {
    json: { rules: fortnoxRules(plan, seed, burst) },
  });
}

export async function applyFaults(
  rig: Rig,
  plan: FaultPlan,
  seed: number,
  wmsCounts: WmsFaultCounts,
  burst = 0,
): Promise<void> {
  await applyFortnoxFaults(rig, plan, seed, burst);
  if (burst === 0) {
    await got.put(`${rig.wms.url}/_sandbox/goods-owners/${rig.goodsOwner.goodsOwnerId}/faults`, {
      json: { rules: wmsRules(plan, seed) },
    });
    countWmsFaults(rig.goodsOwner, wmsCounts);
  }
}

export async function clearFaults(rig: Rig): Promise<void> {
  await got.delete(`${rig.fortnox.url}/_sandbox/tenants/${rig.fortnoxTenant.tenantId}/faults`);
  await got.delete(`${rig.wms.url}/_sandbox/goods-owners/${rig.goodsOwner.goodsOwnerId}/faults`);
}
