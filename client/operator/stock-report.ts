// `stock report <tenant>`: WMS stock against Fortnox stock per article, with the difference, read fresh from both
// sides. It runs as a workflow on the worker (workflows/stock-report.ts), whose Fortnox reads go through the tenant's
// rate-limited queue: the CLI needs only Temporal, no Fortnox or WMS credentials.
import { stockReportWorkflowId } from '../../domain/names';
import { stockReportWorkflow, type StockReport } from '../../workflows/stock-report';
import { println, requireKnownTenant, table, type OperatorContext } from './context';

export type { StockReport };

export async function stockReportCommand(
  ctx: OperatorContext,
  tenantId: string,
  options: { onlyDifferences?: boolean } = {},
): Promise<StockReport & { workflowId: string }> {
  await requireKnownTenant(ctx, tenantId);
  const workflowId = stockReportWorkflowId(tenantId, Date.now().toString(36));
  const report = await ctx.client.workflow.execute(stockReportWorkflow, {
    workflowId,
    taskQueue: ctx.taskQueue,
    args: [{ tenantId, onlyDifferences: options.onlyDifferences }],
    // A report nobody can finish (a worker down for long) ends instead of leaving the command waiting.
    workflowExecutionTimeout: '10 minutes',
    staticSummary: `Stock report of ${tenantId}: WMS against Fortnox per article`,
  });
  println(
    ctx,
    `Stock of ${tenantId}: WMS (all warehouses) against Fortnox (${report.source === 'lager' ? 'Lager stock balance' : 'article register'})`,
  );
  println(
    ctx,
    table(
      ['article', 'WMS', 'Fortnox', 'difference'],
      report.rows.map((r) => [r.ArticleNumber, r.wms, r.fortnox, r.difference]),
    ),
  );
  println(
    ctx,
    report.differing
      ? `${report.differing} of ${report.articles} articles differ.`
      : `All ${report.articles} articles agree.`,
  );
  return { ...report, workflowId };
}
