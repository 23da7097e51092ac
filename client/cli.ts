// The operator CLI (`npm run cli -- <command>`): status per tenant, one order, resync, backfill, pause/resume, a
// schedule's run now, the stock report and the pre-deploy replay check. Every command but `doctor` is a Temporal client
// only (the worker holds the Fortnox and WMS credentials); `doctor` reads the tenants file, because checking the
// credentials is its job.
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { installTemporalRuntime } from '../config/temporal-logger';
import { TenantRegistry } from '../activities/tenant-registry';
import { billingExportCommand } from './billing-command';
import { connectClient, temporalTarget } from './connection';
import { backfillCommand, parseSince } from './operator/backfill';
import { doctorCommand } from './operator/doctor';
import { OperatorError, type AccountsContext, type OperatorContext } from './operator/context';
import { orderReopenCommand, orderResyncCommand, orderShowCommand } from './operator/order';
import { replayCheckCommand } from './operator/replay-check';
import { runScheduleNow, setTenantPaused } from './operator/schedules';
import { statusCommand } from './operator/status';
import { stockReportCommand } from './operator/stock-report';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
};

export type { AccountsContext };

export interface ProgramOptions {
  /** The clock that decides which billing months are closed and which backfill dates are in the future (tests move it). */
  now?: () => Date;
}

/** The commands, wired to a context made on first use (so `--help` needs no Temporal, nor does a refused command). */
export function buildProgram(
  context: () => Promise<OperatorContext>,
  accounts: () => Promise<AccountsContext> = context,
  options: ProgramOptions = {},
): Command {
  const program = new Command('npm run cli --')
    .description('Operate the WMS ⇄ Fortnox integration: orders, schedules, stock and deploy checks.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('status')
    .description('schedules (paused? next run), open orders by stage, and orders needing attention, per tenant')
    .option('--tenant <id>', 'only this tenant')
    .option('--closed-days <n>', 'also list closed orders flagged for attention this many days back', positiveInt, 7)
    .action(async (o: { tenant?: string; closedDays: number }) => {
      await statusCommand(await context(), { tenant: o.tenant, closedWithinDays: o.closedDays });
    });

  const order = program.command('order').description('one order workflow');
  order
    .command('show <tenant> <documentNumber>')
    .description('stage, attention reason, action log, result and the Web UI link of a Fortnox order')
    .action(async (tenant: string, documentNumber: string) => {
      await orderShowCommand(await context(), tenant, documentNumber);
    });
  order
    .command('resync <tenant> <documentNumber>')
    .description('make the order re-read Fortnox and the WMS now (after fixing what it needed attention for)')
    .option('--reason <text>', 'recorded in the action log', 'operator resync (CLI)')
    .action(async (tenant: string, documentNumber: string, o: { reason: string }) => {
      await orderResyncCommand(await context(), tenant, documentNumber, o.reason);
    });

  order
    .command('reopen <tenant> <documentNumber>')
    .description('start a closed order again (a sync never restarts an order that ended, except one it skipped)')
    .option('--reason <text>', "recorded in the new run's action log", 'operator reopen (CLI)')
    .action(async (tenant: string, documentNumber: string, o: { reason: string }) => {
      await orderReopenCommand(await context(), tenant, documentNumber, o.reason);
    });

  program
    .command('backfill <tenant>')
    .description(
      'preview (default) or, with --yes, run the order sync once for every Fortnox order changed since a date, ' +
        'as a workflow on the worker',
    )
    .requiredOption('--since <YYYY-MM-DD>', 'first day to include (not in the future)')
    // A preview by default, like billing export: a backfill from the wrong date starts (and signals) orders by the hundred.
    .option('--yes', 'start and signal the order workflows (without it: a preview that only counts)')
    .action(async (tenant: string, o: { since: string; yes?: boolean }) => {
      const now = options.now?.();
      parseSince(o.since, now); // a bad or future date is refused before Temporal is touched
      await backfillCommand(await context(), tenant, { since: o.since, yes: o.yes, now });
    });

  program
    .command('pause <tenant>')
    .description("pause all of a tenant's schedules (until resumed or the next start-up re-applies its settings)")
    .option('--note <text>', 'why, shown in the Web UI')
    .action(async (tenant: string, o: { note?: string }) => {
      await setTenantPaused(await context(), tenant, true, o.note);
    });
  program
    .command('resume <tenant>')
    .description("resume all of a tenant's schedules")
    .option('--note <text>', 'shown in the Web UI')
    .action(async (tenant: string, o: { note?: string }) => {
      await setTenantPaused(await context(), tenant, false, o.note);
    });

  program
    .command('sync <tenant> <schedule>')
    .description(
      "run one of a tenant's schedules now (orders, articles, suppliers, stock-levels, purchase-orders, wms-status, " +
        "billing) as one of its regular runs: it continues from the last run's cursor; nothing starts beside a running run",
    )
    .action(async (tenant: string, schedule: string) => {
      await runScheduleNow(await context(), tenant, schedule);
    });

  program
    .command('stock')
    .description('stock')
    .command('report <tenant>')
    .description('WMS stock against Fortnox stock per article, with differences (read by the worker, as a workflow)')
    .option('--differences', 'only articles that differ')
    .action(async (tenant: string, o: { differences?: boolean }) => {
      await stockReportCommand(await context(), tenant, { onlyDifferences: o.differences });
    });

  program
    .command('doctor')
    .description(
      "read-only checks of each tenant's Fortnox and WMS accounts, webhook and Fortnox events; exits 1 on a failure (needs the tenants file)",
    )
    .option('--tenant <id>', 'only this tenant')
    .action(async (o: { tenant?: string }) => {
      await doctorCommand(await accounts(), { tenant: o.tenant });
    });

  program
    .command('replay-check')
    .description("replay recent histories against this checkout's workflow code; exits 1 on non-determinism")
    .option('--limit <n>', 'how many recent executions', positiveInt, 50)
    .option('--query <visibility query>', 'extra filter, e.g. Tenant="acme"')
    .action(async (o: { limit: number; query?: string }) => {
      await replayCheckCommand(await context(), { limit: o.limit, query: o.query });
    });

  program
    .command('billing')
    .description('3PL invoicing')
    .command('export')
    .description(
      "show what a goods owner's closed billing month would be invoiced in the 3PL's Fortnox; " +
        'with --yes, create the invoices',
    )
    .requiredOption('--tenant <id>', 'the goods owner (tenant)')
    .requiredOption('--period <YYYY-MM>', 'the billing month: a closed one (in Stockholm time)')
    // A dry run by default: an invoice sent to a customer cannot be taken back, a dry run costs nothing.
    .addOption(
      new Option('--yes', 'create the invoices (without it: a dry run that creates nothing)').conflicts('dryRun'),
    )
    .option('--dry-run', 'the default: compute and show the invoices without creating them')
    .action(async (o: { tenant: string; period: string; yes?: boolean }) => {
      const result = await billingExportCommand({
        tenantId: o.tenant,
        period: o.period,
        yes: o.yes,
        now: options.now?.(),
        commandName: 'npm run cli -- billing export',
        connect: context,
      });
      if (result.needsAttention) throw new OperatorError('the billing export needs attention (see above)');
    });

  return program;
}

async function main(argv: string[]): Promise<number> {
  let closeConnection: (() => Promise<void>) | undefined;
  const context = async (): Promise<OperatorContext> => {
    const config = loadConfig();
    const { env } = config;
    installTemporalRuntime(createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, process.stderr));
    const target = temporalTarget(env, env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`);
    const client = await connectClient(target).catch((err: Error) => {
      throw new OperatorError(
        `cannot reach Temporal at ${target.address} (namespace ${target.namespace}): ${err.message}. ` +
          'Is it running? Set TEMPORAL_ADDRESS (and TLS/API key settings) to point at your cluster.',
      );
    });
    closeConnection = () => client.connection.close();
    return {
      client,
      namespace: target.namespace,
      taskQueue: env.TASK_QUEUE,
      tenants: config.tenants,
      out: process.stdout,
      uiUrl: env.TEMPORAL_UI_URL ?? `http://localhost:${env.TEMPORAL_UI_PORT}`,
    };
  };
  const accounts = async (): Promise<AccountsContext> => {
    const config = loadConfig();
    return {
      tenants: config.tenants,
      registry: config.tenants.length ? new TenantRegistry(config.tenants, { dataDir: config.dataDir }) : undefined,
      out: process.stdout,
      // Only to read the event listener's reports: doctor says so when Temporal cannot be reached, and goes on.
      temporal: async () => (await context()).client,
    };
  };
  try {
    await buildProgram(context, accounts).parseAsync(argv);
    return 0;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode ?? 1; // commander printed it
    if (err instanceof OperatorError) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await closeConnection?.();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv).then((code) => process.exit(code));
}
