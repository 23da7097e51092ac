// `npm run billing:export -- --tenant demo --period 2026-10 [--dry-run]`: exports (or dry-runs) one goods owner's
// billing period through the running product's worker. Exit code 0 when done, 2 when it needs an operator, 1 on error.
import { parseArgs } from 'node:util';
import { ConfigError, loadEnv } from '../config';
import { formatBillingExport, runBillingExport } from '../client/billing-command';
import { connectClient, temporalTarget } from '../client/connection';

const usage = 'usage: npm run billing:export -- --tenant <id> --period <YYYY-MM> [--dry-run]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { tenant: { type: 'string' }, period: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  if (!values.tenant || !values.period) {
    console.error(usage);
    return 1;
  }
  const env = loadEnv();
  // Without TEMPORAL_ADDRESS: the dev server `npm start` runs on this machine.
  const client = await connectClient(temporalTarget(env, env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`));
  try {
    const result = await runBillingExport({
      client, tenantId: values.tenant, period: values.period, dryRun: values['dry-run'], taskQueue: env.TASK_QUEUE,
    });
    console.log(formatBillingExport(result));
    return result.needsAttention ? 2 : 0;
  } finally {
    await client.connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `billing export failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
