// Routes the Temporal SDK's logs (workflow and activity logs included) into our structured pino logs. The SDK's own
// chatter (webpack output, worker state changes) is kept at warn and above unless the log level asks for more.
import type { Logger as PinoLogger } from 'pino';
import { Runtime, type LogLevel, type LogMetadata, type Logger } from '@temporalio/worker';

const pinoLevel = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
const rank: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/**
 * `order:<tenant>:<DocumentNumber>` → tenant and order; `<process>:<tenant>` and the ids schedules derive from it
 * (`sync-orders:<tenant>-<timestamp>`) → tenant. Tenant ids are lower-case letters, digits and dashes.
 */
export function tenantAndOrder(workflowId: unknown): { tenant?: string; order?: string } {
  if (typeof workflowId !== 'string') return {};
  const order = /^order:([a-z0-9-]+):(.+)$/.exec(workflowId);
  if (order) return { tenant: order[1], order: order[2] };
  const process = /^[a-z-]+:([a-z0-9][a-z0-9-]*?)(?:-\d{4}-\d{2}-\d{2}T.*)?(?::.*)?$/.exec(workflowId);
  return process ? { tenant: process[1] } : {};
}

export class PinoTemporalLogger implements Logger {
  constructor(private readonly logger: PinoLogger) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    const component = meta.sdkComponent as string | undefined;
    const business = component === 'workflow' || component === 'activity';
    if (!business && rank[level] < rank.WARN && !this.logger.isLevelEnabled('debug')) return;
    // Workflow and activity logs carry the workflow id, which names the tenant and the order: say them as fields.
    this.logger[pinoLevel[level]]({ ...tenantAndOrder(meta.workflowId), ...meta }, message);
  }
  trace(message: string, meta?: LogMetadata) {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata) {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata) {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata) {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata) {
    this.log('ERROR', message, meta);
  }
}

/**
 * Must run before any Temporal connection is made in this process. With `metricsBindAddress` (host:port), the SDK's
 * own metrics (workflow and activity task latencies, poller and slot counts, ...) are served there in Prometheus format.
 */
export function installTemporalRuntime(logger: PinoLogger, options: { metricsBindAddress?: string } = {}): void {
  Runtime.install({
    logger: new PinoTemporalLogger(logger.child({ component: 'temporal' })),
    ...(options.metricsBindAddress
      ? {
          telemetryOptions: {
            metrics: { prometheus: { bindAddress: options.metricsBindAddress, countersTotalSuffix: true } },
          },
        }
      : {}),
  });
}
