// Temporal's codec-server protocol over the payload codec, so operators read decoded inputs, results and histories in
// the Web UI (and `temporal workflow show --codec-endpoint`) while Temporal stores only sealed payloads.
// POST <endpoint>/decode and <endpoint>/encode take and return `{ payloads: [...] }` in protobuf JSON (base64 bytes).
// Authenticated: `Authorization: Bearer <token>` (the CLI's --codec-auth, a proxy), or the token as a path segment,
// `/codec/<token>/decode`, for a Web UI that cannot send a header (the dev server's --ui-codec-endpoint). Browsers
// may call it only from the Web UI's origin.
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sameSecret } from '../activities/wms/webhook';
import { PayloadDecryptionError } from './payload-codec';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Bearer token (or path token) a caller must present. */
  token: string;
  /** Origins a browser may call from: the Web UI's, e.g. http://localhost:8233. */
  allowedOrigins: string[];
  logger: FastifyBaseLogger;
}

/** The endpoint to give the Web UI (`--ui-codec-endpoint`), which appends /decode and /encode itself. */
export const codecEndpointForUi = (baseUrl: string, token: string) =>
  `${baseUrl.replace(/\/$/, '')}/codec/${encodeURIComponent(token)}`;

const MAX_BODY_BYTES = 8 * 1024 * 1024;

const payloadsBody = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.base64()).optional(),
      data: z.base64().optional(),
    }),
  ),
});

type CodecRequest = FastifyRequest<{ Params: { token?: string; action: string } }>;

/** A payload in protobuf JSON, as the codec-server protocol and `temporal workflow show --output json` write it. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export function payloadFromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

export function payloadToJson(payload: Payload): Required<JsonPayload> {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

/** The request log line without a path token: the path is a credential there. */
function requestWithoutToken(request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.replace(/^\/codec\/[^/?#]+\/(decode|encode)/, '/codec/[redacted]/$1'),
    remoteAddress: request.ip,
  };
}

export function buildCodecServer(options: CodecServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger.child({}, { serializers: { req: requestWithoutToken } }) as FastifyBaseLogger,
    bodyLimit: MAX_BODY_BYTES,
  });
  const allowed = new Set(options.allowedOrigins.map((origin) => origin.replace(/\/$/, '')));

  const cors = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const origin = request.headers.origin;
    if (origin === undefined) return true; // not a browser: the CLI, a proxy, a test
    if (!allowed.has(origin)) return false;
    reply
      .header('access-control-allow-origin', origin)
      .header('vary', 'origin')
      .header('access-control-allow-credentials', 'true')
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, x-namespace, authorization');
    return true;
  };

  const authenticated = (request: CodecRequest): boolean => {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const given = request.params.token ?? bearer;
    return given !== undefined && sameSecret(given, options.token);
  };

  const preflight = (request: CodecRequest, reply: FastifyReply) =>
    cors(request, reply) ? reply.code(204).send() : reply.code(403).send({ error: 'origin not allowed' });

  const handle = async (request: CodecRequest, reply: FastifyReply) => {
    if (!cors(request, reply)) return reply.code(403).send({ error: 'origin not allowed' });
    const action = request.params.action;
    if (action !== 'decode' && action !== 'encode')
      return reply.code(404).send({ error: 'expected /decode or /encode' });
    if (!authenticated(request)) return reply.code(401).send({ error: 'expected Authorization: Bearer <codec token>' });
    const parsed = payloadsBody.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'expected { payloads: [{ metadata?: {…base64}, data?: base64 }] }' });
    }
    const payloads = parsed.data.payloads.map(payloadFromJson);
    try {
      const result = action === 'decode' ? await options.codec.decode(payloads) : await options.codec.encode(payloads);
      return reply.send({ payloads: result.map(payloadToJson) });
    } catch (err) {
      if (err instanceof PayloadDecryptionError) return reply.code(422).send({ error: err.message });
      throw err;
    }
  };

  app.options('/codec/:action', preflight);
  app.options('/codec/:token/:action', preflight);
  app.post('/codec/:action', handle);
  app.post('/codec/:token/:action', handle);
  return app;
}
