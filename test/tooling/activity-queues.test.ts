// Activities by queue (issue 18): the Fortnox set lives only on a tenant's Fortnox queue, the rest only on the main
// queue, and workflows cannot mix them up. The recorded histories say which queue each activity was scheduled on in
// real runs; each must belong to the set of that queue, so an activity moved to the wrong set (or dropped while old
// runs still call it) fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createFortnoxActivities, createMainActivities } from '../../activities';
import { TenantRegistry } from '../../activities/tenant-registry';
import { fortnoxActivities, mainActivities, profiles } from '../../workflows/proxies';

const dependencies = { registry: new TenantRegistry([]), temporal: () => ({}) as Client, taskQueue: 'main' };
const main = new Set(Object.keys(createMainActivities(dependencies)));
const fortnox = new Set(Object.keys(createFortnoxActivities(dependencies)));

interface HistoryJson {
  events: Array<{
    activityTaskScheduledEventAttributes?: { activityType?: { name?: string }; taskQueue?: { name?: string } };
  }>;
}

const historiesDir = join(import.meta.dirname, '..', 'histories');
const scheduled = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((file) =>
    (JSON.parse(readFileSync(join(historiesDir, file), 'utf8')) as HistoryJson).events.flatMap((event) => {
      const attributes = event.activityTaskScheduledEventAttributes;
      return attributes
        ? [{ file, activity: attributes.activityType?.name ?? '', queue: attributes.taskQueue?.name ?? '' }]
        : [];
    }),
  );

describe('activities by queue', () => {
  it('are two sets with no activity in both', () => {
    expect(main.size).toBeGreaterThan(5);
    expect(fortnox.size).toBeGreaterThan(10);
    expect([...main].filter((name) => fortnox.has(name))).toEqual([]);
    expect(fortnox).toContain('fetchFortnoxOrder');
    expect(main).toContain('upsertWmsOrder');
  });

  it('every activity a recorded run scheduled is registered on the queue it was scheduled on', () => {
    expect(scheduled.length).toBeGreaterThan(100);
    const misplaced = scheduled.filter(
      ({ activity, queue }) => !(queue.startsWith('fortnox:') ? fortnox : main).has(activity),
    );
    expect(misplaced).toEqual([]);
  });

  it('a workflow cannot call a Fortnox activity on the main queue, nor name another queue for a Fortnox proxy (tsc)', () => {
    // Never run: the lines below are checked by `npm run typecheck`, which fails if any of them compiles.
    const compileOnly = () => {
      // @ts-expect-error a Fortnox activity is not on the main queue
      void mainActivities(profiles.wmsCall).fetchFortnoxOrder;
      // @ts-expect-error a WMS activity is not on a Fortnox queue
      void fortnoxActivities('acme', profiles.fortnoxRequest).upsertWmsOrder;
      // @ts-expect-error the Fortnox proxy decides the queue
      void fortnoxActivities('acme', { ...profiles.fortnoxRequest, taskQueue: 'main' });
    };
    expect(typeof compileOnly).toBe('function');
  });
});
