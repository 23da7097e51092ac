// A round-robin TCP balancer on loopback, in front of several webhook receiver processes, as a load balancer in
// front of the receivers in production: each connection goes to the next backend that accepts it.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface Balancer {
  url: string;
  /** Connections handed to each backend, by port. */
  connections: Map<number, number>;
  close(): Promise<void>;
}

export async function startBalancer(backendPorts: number[]): Promise<Balancer> {
  let next = 0;
  const connections = new Map<number, number>(backendPorts.map((p) => [p, 0]));
  const open = new Set<Socket>();
  const connect = (client: Socket, tried: number) => {
    if (tried >= backendPorts.length) return client.destroy();
    const port = backendPorts[next++ % backendPorts.length]!;
    const backend = createConnection({ port, host: '127.0.0.1' });
    open.add(backend);
    backend.once('close', () => open.delete(backend));
    let connected = false;
    backend.once('connect', () => {
      connected = true;
      connections.set(port, (connections.get(port) ?? 0) + 1);
      client.pipe(backend).pipe(client);
      client.resume();
      backend.on('error', () => client.destroy());
      client.on('error', () => backend.destroy());
      client.once('close', () => backend.destroy());
      backend.once('close', () => client.destroy());
    });
    // Refused (that receiver is down): the next one, as a load balancer's health check would decide.
    backend.once('error', () => {
      if (!connected) connect(client, tried + 1);
    });
  };
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    connect(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
