// Fault injection per tenant and route: 5xx rates, latency, bursts of 429, and "timeout after commit".
import { SeededRandom } from './prng';

export interface FaultRuleInput {
  /** Fastify route key such as `PUT /3/orders/:DocumentNumber`, or `*` for every API route. */
  route: string;
  errorRate?: number;
  latencyMs?: number;
  rateLimitBurst?: number;
  timeoutAfterCommitRate?: number;
  /** 0..1: the change is applied, then a 200 arrives with a body no client can trust (see `badBody`). */
  badBodyRate?: number;
  /** What the untrustworthy body looks like: an HTML page, nothing, or JSON of the wrong shape. Default html. */
  badBody?: BadBody;
  seed?: number;
}

export type BadBody = 'html' | 'empty' | 'schema';

export interface FaultRule extends FaultRuleInput {
  random: SeededRandom;
  /** 429s still to answer from `rateLimitBurst`. */
  burstLeft: number;
}

export interface FaultDecision {
  latencyMs: number;
  rateLimited: boolean;
  error?: 500 | 503;
  timeoutAfterCommit: boolean;
  badBody?: BadBody;
}

export function compileRules(inputs: FaultRuleInput[]): FaultRule[] {
  return inputs.map((input, index) => ({
    ...input,
    random: new SeededRandom(input.seed ?? 0x5eed + index),
    burstLeft: input.rateLimitBurst ?? 0,
  }));
}

const matches = (rule: FaultRule, routeKey: string): boolean =>
  rule.route === '*' || rule.route.toUpperCase() === routeKey.toUpperCase();

/** Decides the faults for one call; every matching rule contributes (latencies add up). */
export function decideFaults(rules: FaultRule[], routeKey: string): FaultDecision {
  const decision: FaultDecision = { latencyMs: 0, rateLimited: false, timeoutAfterCommit: false };
  for (const rule of rules) {
    if (!matches(rule, routeKey)) continue;
    decision.latencyMs += rule.latencyMs ?? 0;
    if (rule.burstLeft > 0) {
      rule.burstLeft -= 1;
      decision.rateLimited = true;
    }
    if (rule.errorRate && rule.random.next() < rule.errorRate) {
      decision.error = rule.random.next() < 0.5 ? 500 : 503;
    }
    if (rule.timeoutAfterCommitRate && rule.random.next() < rule.timeoutAfterCommitRate)
      decision.timeoutAfterCommit = true;
    if (rule.badBodyRate && rule.random.next() < rule.badBodyRate) decision.badBody = rule.badBody ?? 'html';
  }
  return decision;
}

/** The body sent instead of the real one for a `badBody` fault, as a misbehaving proxy or API version would. */
export function badBodyPayload(kind: BadBody): { contentType: string; body: string } {
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
        body: '{"Order":{"DocumentNumber":null,"OrderRows":"not-a-list"},"Invoice":{"DocumentNumber":null}}',
      };
  }
}
