// `npm run billing:export -- --tenant demo --period 2026-10 [--yes]`: shows (a dry run, the default) or, with --yes,
// exports one goods owner's closed billing month through the running product's worker. The same command as the CLI's
// `billing export`, so the same safety: dry run unless --yes, and an open or future month is refused before Temporal is
// touched. Exit code 0 when done, 2 when it needs an operator or the period is refused, 1 on error.
import { parseArgs } from 'node:util';
import { ConfigError, loadEnv } from '../config';
import { billingExportCommand } from '../client/billing-command';
import { connectClient, temporalTarget } from '../client/connection';
import { OperatorError } from '../client/operator/context';

const usage = 'usage: npm run billing:export -- --tenant <id> --period <YYYY-MM> [--yes | --dry-run]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      period: { type: 'string' },
      yes: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (!values.tenant || !values.period || (values.yes && values['dry-run'])) {
    console.error(usage);
    return 1;
  }
  let close: (() => Promise<void>) | undefined;
  try {
    const result = await billingExportCommand({
      tenantId: values.tenant,
      period: values.period,
      yes: values.yes,
      commandName: 'npm run billing:export --',
      connect: async () => {
        const env = loadEnv();
        // Without TEMPORAL_ADDRESS: the dev server `npm start` runs on this machine.
        const client = await connectClient(
          temporalTarget(env, env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`),
        );
        close = () => client.connection.close();
        return { client, taskQueue: env.TASK_QUEUE, out: process.stdout };
      },
    });
    return result.needsAttention ? 2 : 0;
  } finally {
    await close?.();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof OperatorError) {
      console.error(`billing export refused: ${err.message}`);
      process.exit(err.exitCode);
    }
    console.error(
      err instanceof ConfigError
        ? err.message
        : `billing export failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  },
);
