// The sandboxes against the specifications, endpoint by endpoint: the raw answers the product received (recorded
// between client and sandbox) must have exactly the spec's shape and parse with the product's schema, and what the
// product sent (request bodies it built, query parameters) must have the spec's shape too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issuesOf } from './check';
import { endpointKey, fortnoxClientCalls, wmsClientCalls, type ClientCall } from './endpoints';
import { fortnoxProduct, wmsProduct, type ProductSchema } from './product';
import { endpointOf, type Exchange } from './recorder';
import { runScenario, type Scenario } from './scenario';
import { fortnoxSpec } from './spec/fortnox';
import { ongoingSpec } from './spec/ongoing';
import type { EndpointSpec } from './spec/types';

let scenario: Scenario | undefined;

beforeAll(async () => {
  scenario = await runScenario();
}, 300_000);

afterAll(async () => {
  await scenario?.close();
});

const ok = (e: Exchange) => e.status >= 200 && e.status < 300;
const parse = (text: string): unknown => (text.trim() === '' ? undefined : JSON.parse(text));
const snippet = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * Spec endpoints the product cannot call yet and the sandbox does not serve yet. Their checks are `todo` until the
 * client calls the endpoint (read from the client's source, as coverage.test.ts reads it); from then on they run like
 * every other endpoint's, and the scenario's plain HTTP call already exercises the endpoint.
 */
const awaitingClient: Record<'fortnox' | 'wms', Record<string, string>> = {
  fortnox: {},
  wms: {},
};

const clientCalls: Record<'fortnox' | 'wms', ClientCall[]> = { fortnox: fortnoxClientCalls(), wms: wmsClientCalls() };
const calledByClient = (service: 'fortnox' | 'wms', endpoint: string) =>
  clientCalls[service].some((call) => endpointKey(`${call.method} ${call.path}`) === endpointKey(endpoint));

/** The problems found in every exchange, each once, followed by the scenario steps whose calls showed it. */
function collect(exchanges: Exchange[], check: (e: Exchange) => string[]): string[] {
  const steps = new Map<string, Set<string>>();
  for (const e of exchanges) for (const line of check(e)) steps.set(line, (steps.get(line) ?? new Set()).add(e.step));
  return [...steps].map(([line, from]) => `${line}   [${[...from].join('; ')}]`);
}

function sandboxChecks(
  service: 'fortnox' | 'wms',
  specs: Record<string, EndpointSpec>,
  products: Record<string, ProductSchema>,
): void {
  const endpoints = Object.keys(specs);
  for (const [endpoint, spec] of Object.entries(specs)) {
    const calls = () => (scenario?.[service].exchanges ?? []).filter((e) => endpointOf(e, endpoints) === endpoint);
    const answered = () => calls().filter(ok);

    describe(endpoint, () => {
      const awaiting = awaitingClient[service][endpoint];
      if (awaiting && !calledByClient(service, endpoint)) {
        it.todo(`all checks: not called by the client yet (${awaiting}); they light up when the client calls it`);
        return;
      }

      it('is exercised: the product called it and the sandbox answered 2xx', () => {
        const failed = calls()
          .filter((e) => !ok(e))
          .map((e) => `${e.status} ${snippet(e.responseText)}   [${e.step}]`);
        expect(
          answered().length,
          [`no successful call recorded (${calls().length} calls)`, ...failed].join('\n'),
        ).toBeGreaterThan(0);
      });

      it('sandbox: answers exactly in the spec shape (strict schema: no invented keys, spec types)', () => {
        expect(answered().length, 'no successful call recorded').toBeGreaterThan(0);
        const response = spec.response;
        const issues =
          response === 'no-content'
            ? collect(answered(), (e) =>
                e.responseText.trim() === ''
                  ? []
                  : [`answers a body where the spec documents none: ${snippet(e.responseText)}`],
              )
            : collect(answered(), (e) => issuesOf(response, parse(e.responseText)));
        expect(issues).toEqual([]);
      });

      const product = products[endpoint];
      if (spec.response !== 'no-content') {
        if (product) {
          it('product: the product schema accepts the sandbox answer', () => {
            expect(answered().length, 'no successful call recorded').toBeGreaterThan(0);
            expect(collect(answered(), (e) => issuesOf(product, parse(e.responseText)))).toEqual([]);
          });
        } else {
          it.todo('product: no client method or product schema reads this answer yet');
        }
      }

      const request = spec.request;
      if (request) {
        it('product: the request body the product sent has the spec shape', () => {
          const sent = calls().filter((e) => e.requestText.trim() !== '');
          expect(sent.length, 'no request body recorded').toBeGreaterThan(0);
          expect(collect(sent, (e) => issuesOf(request, parse(e.requestText)))).toEqual([]);
        });
      }

      it('product: the query parameters it sent are ones the spec declares', () => {
        const query = spec.query ?? z.strictObject({});
        expect(collect(calls(), (e) => issuesOf(query, e.query, '(query)'))).toEqual([]);
      });
    });
  }
}

describe('Fortnox sandbox and the product against the Fortnox OpenAPI', () => {
  sandboxChecks('fortnox', fortnoxSpec, fortnoxProduct);
});

describe('WMS sandbox and the product against the Ongoing REST v1 swagger', () => {
  sandboxChecks('wms', ongoingSpec, wmsProduct);
});

describe('the scenario', () => {
  it('every step of the product ran without an error', () => {
    expect(scenario?.failures.map((f) => `[${f.step}] ${f.error}`)).toEqual([]);
  });
});
