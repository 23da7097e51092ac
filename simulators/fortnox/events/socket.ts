// The sandbox's WebSocket event stream at /topics-v1, speaking Fortnox's "Topics" protocol: JSON commands
// (add-tenants-v1, remove-tenants-v1, list-tenants-v1, add-topics-v1, subscribe-v1) each answered by
// `{response: <command>, result: 'ok' | 'error', ...}`, then events `{topic, offset, type, tenantId, entityId,
// timestamp}` for the connection's tenants and topics. A topic added with an offset replays from that event on
// (inclusive: a reader that resumes from the last offset it processed sees that one again, as at-least-once allows);
// without one, from the subscription on. A tenant whose access token has expired gets no more events on the
// connection until its new token is added. Faults (controls): dropped connections, duplicated and delayed events.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SandboxState } from '../state';
import { EVENT_TOPICS, type EventTopic, type FortnoxEvent } from './log';

export const EVENTS_PATH = '/topics-v1';

export interface EventFaults {
  /** Share of events sent twice (at-least-once). */
  duplicateRate: number;
  /** Each event is held this long before it is sent. */
  delayMs: number;
}

export interface EventSocketServer {
  /** Open connections. */
  connections(): number;
  /** Closes every connection now, as a network failure would (code 1006 seen by the reader). */
  dropConnections(): number;
  faults: EventFaults;
  close(): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  /** tenantId → the access token it was added with. */
  tenants: Map<string, string>;
  /** topic → the offset to replay from (undefined: from the subscription on). */
  topics: Map<EventTopic, string | undefined>;
  subscribed: boolean;
}

type Json = Record<string, unknown>;

export function installEventSocket(app: FastifyInstance, state: SandboxState): EventSocketServer {
  const wss = new WebSocketServer({ noServer: true });
  const connections = new Set<Connection>();
  const faults: EventFaults = { duplicateRate: 0, delayMs: 0 };
  let duplicateCounter = 0;

  const tokenLive = (token: string): boolean => {
    const t = state.accessTokens.get(token);
    return Boolean(t && !t.revoked && t.expiresAt > state.clock.nowMs());
  };

  const deliver = (connection: Connection, event: FortnoxEvent): void => {
    const tenantId = String(event.tenantId);
    const token = connection.tenants.get(tenantId);
    if (!token || !connection.topics.has(event.topic)) return;
    if (!tokenLive(token)) {
      connection.tenants.delete(tenantId);
      return;
    }
    const send = () => {
      if (connection.socket.readyState !== connection.socket.OPEN) return;
      connection.socket.send(JSON.stringify(event));
      // Deterministic duplicates: every 1/duplicateRate-th event goes twice.
      if (faults.duplicateRate > 0 && (duplicateCounter += faults.duplicateRate) >= 1) {
        duplicateCounter -= 1;
        connection.socket.send(JSON.stringify(event));
      }
    };
    if (faults.delayMs > 0) setTimeout(send, faults.delayMs);
    else send();
  };

  const unlisten = state.events.listen((event) => {
    for (const connection of connections) if (connection.subscribed) deliver(connection, event);
  });

  const handle = (connection: Connection, message: Json): Json => {
    const command = message.command;
    switch (command) {
      case 'add-tenants-v1': {
        const secret = message.clientSecret;
        const tokens = message.accessTokens;
        if (typeof secret !== 'string' || !Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string'))
          return { response: command, result: 'error', message: 'clientSecret and accessTokens are required' };
        const tenantIds: Record<string, number> = {};
        const invalidTokens: string[] = [];
        for (const sent of tokens as string[]) {
          const token = sent.replace(/^bearer\s+/i, '').trim();
          const access = state.accessTokens.get(token);
          const tenant = access && state.tenants.get(access.tenantId);
          if (!access || !tenant || !tokenLive(token) || tenant.clientSecret !== secret) {
            invalidTokens.push(sent);
            continue;
          }
          connection.tenants.set(tenant.tenantId, token);
          tenantIds[sent] = Number(tenant.tenantId);
        }
        return { response: command, result: invalidTokens.length ? 'error' : 'ok', tenantIds, invalidTokens };
      }
      case 'remove-tenants-v1': {
        const ids = Array.isArray(message.tenants) ? message.tenants.map(String) : [];
        for (const id of ids) connection.tenants.delete(id);
        return { response: command, result: 'ok' };
      }
      case 'list-tenants-v1':
        return { response: command, result: 'ok', tenantIds: [...connection.tenants.keys()].map(Number) };
      case 'add-topics-v1': {
        const topics = Array.isArray(message.topics) ? (message.topics as unknown[]) : [];
        const invalidTopics: unknown[] = [];
        for (const entry of topics) {
          const { topic, offset } = (entry ?? {}) as { topic?: unknown; offset?: unknown };
          const known = EVENT_TOPICS.includes(topic as EventTopic);
          const offsetOk =
            offset === undefined || (typeof offset === 'string' && state.events.knows(topic as EventTopic, offset));
          if (!known || !offsetOk) {
            invalidTopics.push(entry);
            continue;
          }
          connection.topics.set(topic as EventTopic, offset as string | undefined);
        }
        return { response: command, result: invalidTopics.length ? 'error' : 'ok', invalidTopics };
      }
      case 'subscribe-v1': {
        if (connection.tenants.size === 0 || connection.topics.size === 0)
          return { response: command, result: 'error', message: 'add tenants and topics before subscribing' };
        connection.subscribed = true;
        // Replay first (from each topic's offset, inclusive), then live events as they are appended.
        setImmediate(() => {
          for (const [topic, offset] of connection.topics) {
            if (offset === undefined) continue;
            for (const event of state.events.from(topic, offset)) deliver(connection, event);
          }
        });
        return { response: command, result: 'ok' };
      }
      default:
        return { response: String(command ?? ''), result: 'error', message: `unknown command ${String(command)}` };
    }
  };

  wss.on('connection', (socket: WebSocket) => {
    const connection: Connection = { socket, tenants: new Map(), topics: new Map(), subscribed: false };
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
    socket.on('message', (data) => {
      let message: Json;
      try {
        message = JSON.parse(String(data)) as Json;
      } catch {
        socket.send(JSON.stringify({ result: 'error', message: 'not JSON' }));
        return;
      }
      socket.send(JSON.stringify(handle(connection, message)));
    });
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://sandbox').pathname !== EVENTS_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  app.server.on('upgrade', onUpgrade);

  return {
    connections: () => connections.size,
    dropConnections() {
      const n = connections.size;
      for (const connection of connections) connection.socket.terminate();
      return n;
    },
    faults,
    async close() {
      unlisten();
      app.server.off('upgrade', onUpgrade);
      for (const connection of connections) connection.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
