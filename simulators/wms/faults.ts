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

export type FaultDecision = {
  latencyMs: number;
  error: boolean;
  timeoutAfterCommit: boolean;
  badBody?: 'html' | 'empty' | 'schema';
};

export function decideFault(owner: GoodsOwnerState, routeKey: string): FaultDecision {
  const rule = matchingRule(owner, routeKey);
  if (!rule) return { latencyMs: 0, error: false, timeoutAfterCommit: false };
  const error = rule.errorRate !== undefined && rule.random() < rule.errorRate;
  const timeoutAfterCommit =
    !error && rule.timeoutAfterCommitRate !== undefined && rule.random() < rule.timeoutAfterCommitRate;
  const badBody =
    !error && rule.badBodyRate !== undefined && rule.random() < rule.badBodyRate ? (rule.badBody ?? 'html') : undefined;
  return { latencyMs: rule.latencyMs ?? 0, error, timeoutAfterCommit, badBody };
}

/** The body sent instead of the real one for a `badBody` fault, as a misbehaving proxy or API version would. */
export function badBodyPayload(kind: 'html' | 'empty' | 'schema'): { contentType: string; body: string } {
  switch (kind) {
    case 'html':
      return {
        contentType: 'text/html; charset=utf-8',
        body: '<!DOCTYPE html><html><body><h1>Service maintenance</h1></body></html>',
      };
    case 'empty':
      return { contentType: 'application/json', body: '' };
    case 'schema':
      return {
        contentType: 'application/json',
        body: '{"orderInfo":{"orderId":"seven"},"orderLines":"none","orderId":null}',
      };
  }
}
