// Fortnox's rate limit held across worker processes (issue 18): three sets of the product's workers, each with its own
// pacer, token store and identity as separate processes have, against the sandbox's sliding window of 25 requests per
// 5 s. The tenant queue's dispatch limit is lifted here (the harness sets 50/s) and the article sync asks for 50
// articles at once, so the pacers alone must keep the processes together under Fortnox's limit.
import got from 'got';
import { afterEach, describe, expect, it } from 'vitest';
import { FortnoxError } from '../../activities/fortnox/errors';
import type { SyncArticlesResult } from '../../workflows/sync-articles';
import { taskQueuePeers } from '../../workers/fortnox-peers';
import { startHarness, waitFor, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ARTICLES = 150;

describe("Fortnox's rate limit across worker processes", () => {
  it('three processes share the budget: an article sync of 150 requests, every process sending, not one 429', async () => {
    h = await startHarness({ workerProcesses: 3, startWorkers: false });
    // The sandbox's own seeding has used part of the window the test's client does not know of: a 429 here makes the
    // client's pacer hold off, and the article is created on the next try.
    const create = async (n: number): Promise<void> => {
      try {
        await h!.fortnox.createArticle({
          ArticleNumber: `SHARE-${String(n).padStart(4, '0')}`,
          Description: `Artikel ${n}`,
          StockGoods: true,
          Unit: 'st',
        });
      } catch (err) {
        if (!(err instanceof FortnoxError && err.kind === 'rate-limited')) throw err;
        await create(n);
      }
    };
    for (let i = 0; i < ARTICLES; i += 25) {
      await Promise.all(Array.from({ length: Math.min(25, ARTICLES - i) }, (_, j) => create(i + j)));
    }
    const control = `${h.sandboxes.fortnoxUrl}/_sandbox`;
    const callsUrl = `${control}/tenants/${h.fortnoxTenantId}/calls`;
    // The processes start with the sandbox's window empty (the seeding filled it) and with all three polling: a
    // process that joins others mid-window cannot know what they sent in it.
    await waitFor(
      async () => {
        const [last] = await got(`${control}/tenants/${h!.fortnoxTenantId}/log?limit=1`).json<{ at: string }[]>();
        const { now } = await got(`${control}/clock`).json<{ now: string }>();
        return !last || Date.parse(now) - Date.parse(last.at) > 5000;
      },
      30_000,
      "an empty window in the sandbox's rate limit",
    );
    await h.startWorkers();
    const peers = taskQueuePeers({
      client: h.client,
      namespace: 'default',
      identity: 'the-test',
      isTenant: (key) => key === h!.tenantId,
    });
    await waitFor(async () => (await peers.count(h!.tenantId)) === 4, 30_000, "three workers on the tenant's queue");
    await got.delete(callsUrl);
    const before = h.fortnoxRequestsPerPacer();

    const result = await h.runSync<SyncArticlesResult>('syncArticlesWorkflow');
    expect(result.upserted).toBeGreaterThanOrEqual(ARTICLES);

    const calls = await got(callsUrl).json<{ total: number; rateLimited: number }>();
    expect(calls.total).toBeGreaterThan(ARTICLES); // a read of each article, and the listing
    expect(calls.rateLimited).toBe(0);
    // Each process counted the three pollers of the tenant's queue and kept to a third of the 24 per window,
    for (const pacer of h.pacers) expect(pacer.limitFor(h.tenantId)).toBe(8);
    // and the requests were spread among them: a process whose part was used up left its tasks to the others.
    const sent = h.fortnoxRequestsPerPacer().map((n, i) => n - (before[i] ?? 0));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(calls.total);
    for (const n of sent) expect(n).toBeGreaterThan(ARTICLES / 6);
  }, 300_000);
});
