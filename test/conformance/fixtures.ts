// Loads the fixtures: one JSON file per endpoint, an example answer (and request) as the specification documents it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Service = 'fortnox' | 'wms';

export interface Fixture {
  /** "GET /3/orders/{DocumentNumber}", as the spec modules key their endpoints. */
  endpoint: string;
  /** Repository and model/method the example follows. */
  source: string;
  /** The answer; null where the specification documents no body. */
  response: unknown;
  /** The request body, for endpoints that take one. */
  request?: unknown;
  /** e.g. "fixtures/fortnox/orders-get.json" */
  file: string;
}

const root = fileURLToPath(new URL('.', import.meta.url));

export function loadFixtures(service: Service): Fixture[] {
  const dir = join(root, 'fixtures', service);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Omit<Fixture, 'file'>;
      return { ...parsed, file: `fixtures/${service}/${name}` };
    });
}
