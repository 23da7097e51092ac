// The metrics endpoint has no authentication, so by default it must answer on the loopback address only: started
// without a host it refuses connections on the machine's other addresses, and METRICS_HOST defaults to loopback.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../config';
import { startMetricsServer, type MetricsServer } from '../../observability/metrics-server';

/** An address of this machine other than loopback (IPv4 first; link-local IPv6 needs a scope, so not those). */
function externalAddress(): string | undefined {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal);
  return (
    addresses.find((a) => a!.family === 'IPv4') ??
    addresses.find((a) => a!.family === 'IPv6' && !a!.address.startsWith('fe80'))
  )?.address;
}

/** Whether a TCP connection to host:port is accepted: settles on the first connect or error event. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const portOf = (server: MetricsServer) => Number(new URL(server.url).port);
const external = externalAddress();
let server: MetricsServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('metrics endpoint exposure', () => {
  it('defaults METRICS_HOST to the loopback address', () => {
    expect(loadEnv({}).METRICS_HOST).toBe('127.0.0.1');
    expect(loadEnv({ METRICS_HOST: '0.0.0.0' }).METRICS_HOST).toBe('0.0.0.0');
  });

  it.skipIf(!external)(
    `is not reachable on a non-loopback address (${external ?? 'this machine has none'}) when started without a host`,
    async () => {
      server = await startMetricsServer({ port: 0 });
      expect(await accepts('127.0.0.1', portOf(server))).toBe(true);
      expect(await accepts(external!, portOf(server))).toBe(false);
    },
  );

  it.skipIf(!external)(
    'is reachable there when configured to listen on all interfaces (the check above can see exposure)',
    async () => {
      server = await startMetricsServer({ port: 0, host: '0.0.0.0' });
      expect(await accepts(external!, portOf(server))).toBe(true);
    },
  );
});
