// The article registry sync under Fortnox's rate limit: N stock articles in Fortnox that the WMS does not have yet,
// one run of the product's syncArticlesWorkflow, with one or more of the product's worker processes. Each article is
// one Fortnox request in its own activity, so the tenant queue's limit should hold across processes: the figures are
// the wall time against the bound (requests ÷ 5/s) and the 429s the sandbox answered.
import got from 'got';
import { createArticle } from '../simulators/fortnox/rest/articles';
import type { SyncArticlesResult } from '../workflows/sync-articles';
import { startRig } from './rig';

export interface ArticleSyncFigures {
  articles: number;
  workers: number;
  wallSeconds: number;
  fortnoxCalls: number;
  boundSeconds: number;
  ratio: number;
  rateLimited429: number;
  runs: number;
  upserted: number;
  workerCpuMsPerArticle?: number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runArticleSync(options: {
  articles: number;
  workers: number;
  log?: (line: string) => void;
}): Promise<ArticleSyncFigures> {
  const log = options.log ?? (() => undefined);
  const rig = await startRig({ fortnoxRateLimit: true, articles: 0 });
  try {
    const now = rig.fortnox.state.clock.nowMs();
    for (let i = 0; i < options.articles; i++) {
      createArticle(
        rig.fortnoxTenant,
        {
          ArticleNumber: `ART-${String(i).padStart(6, '0')}`,
          Description: `Artikel ${i}`,
          StockGoods: true,
          Unit: 'st',
          EAN: `735${String(i).padStart(10, '0')}`,
          Weight: 100 + (i % 900),
        },
        now,
      );
    }
    const workers = [];
    for (let i = 0; i < options.workers; i++) workers.push(await rig.spawnWorker('product'));
    await rig.resetCalls();
    const cpuAtStart = workers.map((w) => w.cpuMs() ?? 0);
    log(`article sync: ${options.articles} articles, ${options.workers} worker process(es)`);
    const started = Date.now();
    const handle = await rig.client.workflow.start('syncArticlesWorkflow', {
      workflowId: `bench-articles:${rig.tenant.id}`,
      taskQueue: rig.taskQueue,
      args: [{ tenantId: rig.tenant.id }],
    });
    const result = (await handle.result()) as SyncArticlesResult;
    const wallSeconds = (Date.now() - started) / 1000;
    const cpuUsed = workers.map((w, i) => (w.cpuMs() ?? NaN) - cpuAtStart[i]!).reduce((a, b) => a + b, 0);
    const calls = await got(`${rig.fortnox.url}/_sandbox/tenants/${rig.fortnoxTenant.tenantId}/calls`).json<{
      total: number;
      rateLimited: number;
    }>();
    const boundSeconds = calls.total / 5;
    return {
      articles: options.articles,
      workers: options.workers,
      wallSeconds: round(wallSeconds, 1),
      fortnoxCalls: calls.total,
      boundSeconds: round(boundSeconds, 1),
      ratio: round(wallSeconds / boundSeconds),
      rateLimited429: calls.rateLimited,
      runs: result.runs ?? 1,
      upserted: result.upserted,
      workerCpuMsPerArticle: Number.isFinite(cpuUsed) ? round(cpuUsed / options.articles, 1) : undefined,
    };
  } finally {
    await rig.close();
  }
}
