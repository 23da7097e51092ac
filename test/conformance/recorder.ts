// A recording proxy between the product's clients and a sandbox: every request body the product sends and every raw
// answer the sandbox gives is kept verbatim, so both can be checked against the specification.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  /** The scenario step that made the call. */
  step: string;
  method: string;
  /** Without the query (and without `stripPrefix`). */
  path: string;
  /** Values as sent; a repeated key becomes an array. */
  query: Record<string, string | string[]>;
  requestText: string;
  status: number;
  responseText: string;
}

export interface Recorder {
  url: string;
  exchanges: Exchange[];
  /** Labels the calls that follow. */
  setStep(step: string): void;
  close(): Promise<void>;
}

/** Headers that belong to one hop, not to the message. */
const HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'expect',
  'upgrade',
]);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startRecorder(target: string, options: { stripPrefix?: RegExp } = {}): Promise<Recorder> {
  const exchanges: Exchange[] = [];
  let step = '(setup)';
  const server = createServer((request, response) => {
    void (async () => {
      const requestText = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://recorder');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (!HOP.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const method = request.method ?? 'GET';
      const answer = await fetch(`${target}${request.url ?? '/'}`, {
        method,
        headers,
        body: requestText === '' || method === 'GET' ? undefined : requestText,
      });
      const responseText = await answer.text();
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(key);
        query[key] = values.length === 1 ? (values[0] as string) : values;
      }
      exchanges.push({
        step,
        method,
        path: options.stripPrefix ? url.pathname.replace(options.stripPrefix, '') : url.pathname,
        query,
        requestText,
        status: answer.status,
        responseText,
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP.has(name)) out[name] = value;
      });
      response.writeHead(answer.status, out);
      response.end(responseText);
    })().catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`recorder: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    setStep: (name) => {
      step = name;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The endpoint a recorded call belongs to: of the templates that match its path, the one with the fewest parameters
 * (so `/articles/inventoryPerWarehouse` is not taken for `/articles/{articleSystemId}`).
 */
export function endpointOf(exchange: Pick<Exchange, 'method' | 'path'>, endpoints: string[]): string | undefined {
  const matching = endpoints.filter((endpoint) => {
    const [method, template = ''] = endpoint.split(' ');
    if (method !== exchange.method) return false;
    const pattern = template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\\?\{[^}]*\\?\}/g, '[^/]+')
      .replace(/\/$/, '');
    return new RegExp(`^${pattern}/?$`).test(exchange.path);
  });
  const params = (endpoint: string) => (endpoint.match(/\{/g) ?? []).length;
  return matching.sort((a, b) => params(a) - params(b))[0];
}
