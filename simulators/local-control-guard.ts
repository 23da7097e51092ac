// Guards the sandboxes' controls and the sandbox console against a web page in the operator's browser: they have no
// authentication, so a page on another site (or a DNS-rebinding name pointing at 127.0.0.1) could otherwise press
// their buttons with a plain HTML form or a `text/plain` fetch, which browsers send cross-site without asking.
//  - Host must name this machine's loopback (localhost, 127.0.0.1, [::1]) or the address the server was started on,
//    with the port it listens on: a rebinding name never matches.
//  - An Origin header, when present, must be this server's own origin: browsers send it on cross-site POSTs.
//  - A state-changing request must be `application/json`, which a page can only send cross-site after a CORS
//    preflight that these servers never grant. A DELETE without a body is let through: browsers preflight DELETE.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface LocalControlGuardOptions {
  /** The address the server listens on; accepted as a Host name too unless it is a wildcard (0.0.0.0, ::). */
  listenHost?: string;
}

export interface Refusal {
  statusCode: 403 | 415;
  error: 'forbiddenHost' | 'crossOrigin' | 'unsupportedMediaType';
  message: string;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A Host or Origin authority (`name[:port]`) as URL parts, or undefined when it is not one. */
function authority(value: string): URL | undefined {
  if (!/^[^/?#@\s]+$/.test(value)) return undefined;
  try {
    return new URL(`http://${value}`);
  } catch {
    return undefined;
  }
}

function acceptedNames(listenHost: string | undefined): string[] {
  if (!listenHost || listenHost === '0.0.0.0' || listenHost === '::') return LOOPBACK_NAMES;
  return [...LOOPBACK_NAMES, (listenHost.includes(':') ? `[${listenHost}]` : listenHost).toLowerCase()];
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Why this request must be refused, or undefined when it may go on. */
export function refusal(request: FastifyRequest, options: LocalControlGuardOptions = {}): Refusal | undefined {
  const hostHeader = request.headers.host ?? '';
  const host = authority(hostHeader);
  // The port the connection really arrived on (absent under app.inject, where there is no socket to compare).
  const localPort = request.socket?.localPort;
  const portMatches = !host || localPort === undefined || Number(host.port || 80) === localPort;
  if (!host || !acceptedNames(options.listenHost).includes(host.hostname) || !portMatches) {
    return {
      statusCode: 403,
      error: 'forbiddenHost',
      message: `Host "${hostHeader}" is not this sandbox: call it as localhost, 127.0.0.1 or [::1] with its port.`,
    };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host.host}`) {
    return {
      statusCode: 403,
      error: 'crossOrigin',
      message: `Origin "${origin}" is not this sandbox (http://${host.host}).`,
    };
  }
  if (SAFE_METHODS.has(request.method) || (request.method === 'DELETE' && !hasBody(request))) return undefined;
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return {
      statusCode: 415,
      error: 'unsupportedMediaType',
      message: `${request.method} needs content-type: application/json (got ${mediaType || 'none'}); send a JSON body, {} when there is nothing to say.`,
    };
  }
  return undefined;
}

/**
 * Refuses, before the body is parsed, every request to the routes of `app` (an encapsulated plugin scope, or the
 * whole app) that `refusal` objects to, answering `{ error, message }` with 403 or 415.
 */
export function installLocalControlGuard(app: FastifyInstance, options: LocalControlGuardOptions = {}): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const refused = refusal(request, options);
    if (refused)
      return reply
        .code(refused.statusCode)
        .type('application/json')
        .send({ error: refused.error, message: refused.message });
    return undefined;
  });
}
