// Serves GET /metrics: the product's metrics and, appended, the Temporal SDK's own (its Core runtime exports them on
// an internal loopback port), so Prometheus scrapes one endpoint per process.
import type { Logger } from 'pino';
import { createServer, type Server } from 'node:http';
import got from 'got';
import getPort from 'get-port';
import { registry } from './metrics';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** A free loopback address for the SDK's exporter; pass it to installTemporalRuntime before any connection. */
export async function sdkMetricsBindAddress(): Promise<string> {
  return `127.0.0.1:${await getPort({ host: '127.0.0.1' })}`;
}

/** Where a local client reaches a server listening on `host`: loopback for the wildcard addresses. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** `host` defaults to loopback: the endpoint has no authentication (METRICS_HOST widens it where a scraper needs it). */
export async function startMetricsServer(options: {
  port: number;
  host?: string;
  sdkBindAddress?: string;
}): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && req.url !== '/healthz')) {
      res.writeHead(404).end();
      return;
    }
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    void (async () => {
      try {
        const own = await registry.metrics();
        const sdk = options.sdkBindAddress
          ? await got(`http://${options.sdkBindAddress}/metrics`, { timeout: { request: 2000 }, retry: { limit: 0 } })
              .text()
              .catch(() => '# Temporal SDK metrics unavailable\n')
          : '';
        res.writeHead(200, { 'content-type': registry.contentType }).end(`${own}\n${sdk}`);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(err as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${urlHost(host)}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The metrics endpoint of a product process: a failure to listen (the port taken by a second process on the host) is a
 * loud log line, not a process that stops doing its work.
 */
export async function startProcessMetrics(
  env: { METRICS_PORT: number; METRICS_HOST: string },
  sdkBindAddress: string,
  logger: Pick<Logger, 'error'>,
): Promise<MetricsServer | undefined> {
  return startMetricsServer({ port: env.METRICS_PORT, host: env.METRICS_HOST, sdkBindAddress }).catch((err: Error) => {
    logger.error(
      { err: err.message, host: env.METRICS_HOST, port: env.METRICS_PORT },
      'metrics endpoint not started: set METRICS_PORT to a free port',
    );
    return undefined;
  });
}
