// Spec-shaped examples against the schemas: each fixture must parse with the strict specification schema (a sanity
// check of the fixture), and with the schema the PRODUCT reads that endpoint with. A product schema that rejects a
// spec-shaped answer, or that reads keys the specification does not define, is a product bug.
import { describe, expect, it } from 'vitest';
import { fieldPath, issuesOf, keysNotInSpec, unset, unsettableFields } from './check';
import { loadFixtures, type Service } from './fixtures';
import { fortnoxProduct, productRequires, wmsProduct, type ProductSchema } from './product';
import { fortnoxSpec } from './spec/fortnox';
import { ongoingSpec } from './spec/ongoing';
import type { EndpointSpec } from './spec/types';

const services: Array<{
  service: Service;
  name: string;
  spec: Record<string, EndpointSpec>;
  product: Record<string, ProductSchema>;
}> = [
  { service: 'fortnox', name: 'Fortnox', spec: fortnoxSpec, product: fortnoxProduct },
  { service: 'wms', name: 'Ongoing WMS', spec: ongoingSpec, product: wmsProduct },
];

for (const { service, name, spec, product } of services) {
  const fixtures = loadFixtures(service);

  describe(`${name} fixtures`, () => {
    it('every endpoint of the spec module has exactly one fixture', () => {
      const byEndpoint = Object.keys(spec).map((endpoint) => [
        endpoint,
        fixtures.filter((f) => f.endpoint === endpoint).map((f) => f.file),
      ]);
      expect(byEndpoint.filter(([, files]) => files?.length !== 1)).toEqual([]);
    });

    for (const fixture of fixtures) {
      const endpoint = spec[fixture.endpoint];
      describe(`${fixture.endpoint} (${fixture.file})`, () => {
        it('names an endpoint of the spec module', () => {
          expect(endpoint, `no spec entry for ${fixture.endpoint}`).toBeDefined();
        });
        if (!endpoint) return;

        it('spec: the example answer parses with the strict spec schema', () => {
          if (endpoint.response === 'no-content') expect(fixture.response).toBeNull();
          else expect(issuesOf(endpoint.response, fixture.response)).toEqual([]);
        });

        if (endpoint.request) {
          const request = endpoint.request;
          it('spec: the example request parses with the strict spec request schema', () => {
            expect(fixture.request, 'the fixture has no request').toBeDefined();
            expect(issuesOf(request, fixture.request)).toEqual([]);
          });
        }

        const productSchema = product[fixture.endpoint];
        if (endpoint.response === 'no-content') return;
        const specSchema = endpoint.response;
        if (!productSchema) {
          it.todo('product: no client method or product schema reads this answer yet');
          return;
        }
        it('product: the product schema accepts the spec-shaped answer', () => {
          expect(issuesOf(productSchema, fixture.response)).toEqual([]);
        });
        it('product: the product schema reads only keys the spec defines', () => {
          expect(keysNotInSpec(productSchema, specSchema)).toEqual([]);
        });
        it('product: the product schema accepts the answer with any one field left unset as the spec allows', () => {
          // A field the spec makes nullable may be null, and one it makes optional may be left out. The envelope of a
          // Fortnox /3/ answer is the answer itself. Fields the product needs anyway are listed in productRequires.
          const envelope = (path: PropertyKey[]) =>
            service === 'fortnox' &&
            fixture.endpoint.includes(' /3/') &&
            path.length === 1 &&
            path[0] !== 'MetaInformation';
          const refused: string[] = [];
          for (const field of unsettableFields(fixture.response, specSchema)) {
            const at = fieldPath(field.path);
            if (envelope(field.path) || productRequires[service][at.replace(/^\[\]\./, '')]) continue;
            const ways = [...(field.nullable ? ['null' as const] : []), ...(field.optional ? ['absent' as const] : [])];
            for (const how of ways) {
              const issues = issuesOf(productSchema, unset(fixture.response, field.path, how));
              if (issues.length > 0) refused.push(`${at} ${how}: ${issues.join('; ')}`);
            }
          }
          expect(refused).toEqual([]);
        });
      });
    }
  });
}
