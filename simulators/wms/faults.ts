// Fault injection and call accounting per goods owner for the sandbox API routes.
import { seededRandom } from './random';
import type { FaultRule, GoodsOwnerState } from './types';

export function setFaultRules(owner: GoodsOwnerState, rules: FaultRule[]): void {
  owner.faultRules = rules.map((r, i) => ({ ...r, random: seededRandom(r.seed ?? 0x5eed + i) }));
}

/** "PUT /orders" matches a rule "PUT /orders", "/orders" or "*". */
export function matchingRule(owner: GoodsOwnerState, routeKey: string) {
  const path = routeKey.slice(routeKey.indexOf(' ') + 1);
  return owner.faultRules.find((r) => r.route === '*' || r.route === routeKey || r.route === path);
}

export function countCall(owner: GoodsOwnerState, routeKey: string): void {
  owner.calls.total += 1;
  owner.calls.byRoute[routeKey] = (owner.calls.byRoute[routeKey] ?? 0) + 1;
}

export type FaultDecision = { latencyMs: number; error: boolean; timeoutAfterCommit: boolean };

export function decideFault(owner: GoodsOwnerState, routeKey: string): FaultDecision {
  const rule = matchingRule(owner, routeKey);
  if (!rule) return { latencyMs: 0, error: false, timeoutAfterCommit: false };
  const error = rule.errorRate !== undefined && rule.random() < rule.errorRate;
  const timeoutAfterCommit =
    !error && rule.timeoutAfterCommitRate !== undefined && rule.random() < rule.timeoutAfterCommitRate;
  return { latencyMs: rule.latencyMs ?? 0, error, timeoutAfterCommit };
}
