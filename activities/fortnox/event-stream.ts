// One connection to Fortnox's WebSocket event stream ("Topics" API, wss://ws.fortnox.se/topics-v1): commands sent one
// at a time, each resolved by its `{response, result}` answer; events validated and handed on in the order they came.
// Reconnecting, offsets and what an event means are the listener's (client/fortnox-events/).
import WebSocket from 'ws';
import { z } from 'zod';

export const fortnoxEventSchema = z.object({
  topic: z.string().min(1),
  offset: z.string().min(1),
  type: z.string().min(1),
  tenantId: z.union([z.number(), z.string()]).transform(String),
  entityId: z.union([z.string(), z.number()]).transform(String),
  timestamp: z.string(),
});
export type FortnoxStreamEvent = z.infer<typeof fortnoxEventSchema>;

const responseSchema = z.looseObject({ response: z.string(), result: z.string() });
export type CommandResponse = z.infer<typeof responseSchema>;

export class EventStreamError extends Error {
  constructor(
    message: string,
    readonly response?: CommandResponse,
  ) {
    super(message);
    this.name = 'EventStreamError';
  }
}

export interface EventStreamHandlers {
  onEvent(event: FortnoxStreamEvent): void;
  /** A frame that is neither an answer nor a valid event (logged, never thrown: one bad frame must not stop the stream). */
  onMalformed?(raw: string, reason: string): void;
  onClose?(code: number, reason: string): void;
}

export class EventStreamConnection {
  private pending: { command: string; resolve: (r: CommandResponse) => void; reject: (e: Error) => void } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly socket: WebSocket,
    private readonly commandTimeoutMs: number,
  ) {}

  /** Opens a connection; rejects if it cannot within `connectTimeoutMs`. */
  static open(
    url: string,
    handlers: EventStreamHandlers,
    options: { connectTimeoutMs?: number; commandTimeoutMs?: number } = {},
  ): Promise<EventStreamConnection> {
    const socket = new WebSocket(url, { handshakeTimeout: options.connectTimeoutMs ?? 10_000 });
    const connection = new EventStreamConnection(socket, options.commandTimeoutMs ?? 15_000);
    socket.on('message', (data) => connection.receive(String(data), handlers));
    // An error is always followed by 'close', which is what the listener acts on.
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      connection.pending?.reject(new EventStreamError(`connection closed (${code}) before the answer came`));
      connection.pending = undefined;
      handlers.onClose?.(code, String(reason));
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(connection));
      socket.once('error', (err) => reject(new EventStreamError(`cannot connect to ${url}: ${err.message}`)));
    });
  }

  /** Sends a command and resolves with its answer; an answer with `result: 'error'` resolves too (the caller decides). */
  command(body: { command: string } & Record<string, unknown>): Promise<CommandResponse> {
    const run = () =>
      new Promise<CommandResponse>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending = undefined;
          reject(new EventStreamError(`no answer to ${body.command} within ${this.commandTimeoutMs} ms`));
        }, this.commandTimeoutMs);
        this.pending = {
          command: body.command,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        this.socket.send(JSON.stringify(body), (err) => err && this.pending?.reject(err));
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private receive(raw: string, handlers: EventStreamHandlers): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      handlers.onMalformed?.(raw, 'not JSON');
      return;
    }
    const response = responseSchema.safeParse(message);
    if (response.success) {
      if (this.pending && this.pending.command === response.data.response) {
        const { resolve } = this.pending;
        this.pending = undefined;
        resolve(response.data);
      } else handlers.onMalformed?.(raw, 'an answer to no command sent');
      return;
    }
    const event = fortnoxEventSchema.safeParse(message);
    if (event.success) handlers.onEvent(event.data);
    else handlers.onMalformed?.(raw, event.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }

  close(): void {
    this.socket.close();
  }

  /** Closes without the closing handshake (tests, and a connection that stopped answering). */
  terminate(): void {
    this.socket.terminate();
  }
}
