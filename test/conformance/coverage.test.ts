// What is proven against the specifications: every endpoint the two clients call (read from their source) must have a
// spec-shaped fixture. An endpoint without one is either not covered yet or not part of the real API at all.
import { describe, expect, it } from 'vitest';
import { endpointKey, fortnoxClientCalls, wmsClientCalls, type ClientCall } from './endpoints';
import { loadFixtures, type Service } from './fixtures';

/**
 * Endpoints a client calls that the specification does not have, whose replacement is being built elsewhere. Each is
 * a `todo` (not a pass) while the client still calls it, and drops out by itself when the client stops; any OTHER
 * endpoint without a fixture fails.
 */
const knownGaps: Record<Service, Record<string, string>> = {
  fortnox: {},
  wms: {},
};

const clients: Array<{ service: Service; name: string; file: string; calls: ClientCall[]; atLeast: number }> = [
  {
    service: 'fortnox',
    name: 'Fortnox',
    file: 'activities/fortnox/client.ts',
    calls: fortnoxClientCalls(),
    atLeast: 30,
  },
  { service: 'wms', name: 'Ongoing WMS', file: 'activities/wms/client.ts', calls: wmsClientCalls(), atLeast: 12 },
];

describe('endpoints the clients call', () => {
  for (const { service, name, file, calls, atLeast } of clients) {
    const fixtures = loadFixtures(service);
    const fixtureFor = (endpoint: string) => fixtures.find((f) => endpointKey(f.endpoint) === endpointKey(endpoint));
    const called = calls.map((call) => `${call.method} ${call.path}`);
    const gapFor = (endpoint: string) =>
      Object.entries(knownGaps[service]).find(([gap]) => endpointKey(gap) === endpointKey(endpoint))?.[1];

    it(`${name}: the scan of ${file} finds the client's calls`, () => {
      expect(called.length).toBeGreaterThanOrEqual(atLeast);
    });

    it(`${name}: every endpoint ${file} calls has a spec fixture`, () => {
      const rows = [
        ...called.map((endpoint) => ({
          endpoint,
          fixture:
            fixtureFor(endpoint)?.file ??
            (gapFor(endpoint) ? 'NONE: known gap (todo)' : 'NONE: not proven against the spec'),
        })),
        ...fixtures
          .filter((f) => !called.some((endpoint) => endpointKey(endpoint) === endpointKey(f.endpoint)))
          .map((f) => ({ endpoint: `${f.endpoint} (not called by the client yet)`, fixture: f.file })),
      ];
      console.log(`\n${name} client (${file}): ${called.length} endpoints called`);
      console.table(rows);
      expect(called.filter((endpoint) => !fixtureFor(endpoint) && !gapFor(endpoint))).toEqual([]);
    });

    for (const endpoint of called.filter((e) => !fixtureFor(e) && gapFor(e))) {
      it.todo(`${name}: ${endpoint} has no spec fixture: ${gapFor(endpoint)}`);
    }
  }
});
