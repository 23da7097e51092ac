// Routes the Temporal SDK's logs (workflow and activity logs included) into our structured pino logs. The SDK's own
// chatter (webpack output, worker state changes) is kept at warn and above unless the log level asks for more.
import type { Logger as PinoLogger } from 'pino';
import { Runtime, type LogLevel, type LogMetadata, type Logger } from '@temporalio/worker';

const pinoLevel = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
const rank: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

export class PinoTemporalLogger implements Logger {
  constructor(private readonly logger: PinoLogger) {}

  log(level: LogLevel, message: string, meta: LogMetadata = {}): void {
    const component = meta.sdkComponent as string | undefined;
    const business = component === 'workflow' || component === 'activity';
    if (!business && rank[level] < rank.WARN && !this.logger.isLevelEnabled('debug')) return;
    // Workflow and activity logs carry the workflow id, which names the tenant and the order.
    this.logger[pinoLevel[level]]({ ...meta }, message);
  }
  trace(message: string, meta?: LogMetadata) { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata) { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata) { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata) { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata) { this.log('ERROR', message, meta); }
}

/** Must run before any Temporal connection is made in this process. */
export function installTemporalRuntime(logger: PinoLogger): void {
  Runtime.install({ logger: new PinoTemporalLogger(logger.child({ component: 'temporal' })) });
}
