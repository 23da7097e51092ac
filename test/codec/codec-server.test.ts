// The codec server speaks Temporal's codec-server protocol over a real HTTP port: decode and encode in protobuf JSON,
// only for a caller with the token (header or path), and for browsers only from the Web UI's origin.
import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import got from 'got';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCodecKeyEntry, parseCodecKeys } from '../../client/codec-keys';
import { buildCodecServer, codecEndpointForUi, payloadFromJson, payloadToJson } from '../../client/codec-server';
import { EncryptionCodec } from '../../client/payload-codec';
import { createLogger } from '../../config/logger';

const token = 'codec-token-for-tests-0123456789';
const uiOrigin = 'http://localhost:8233';
const codec = new EncryptionCodec(parseCodecKeys(newCodecKeyEntry(), 'test'));
let server: FastifyInstance;
let base: string;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  got.post(`${base}${path}`, { json: body, headers, throwHttpErrors: false, retry: { limit: 0 } });

beforeAll(async () => {
  server = buildCodecServer({ codec, token, allowedOrigins: [uiOrigin], logger: createLogger('silent') });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => server.close());

describe('the codec server', () => {
  it('decodes sealed payloads for the Web UI (token in the path) and for a caller with the bearer token', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ Name: 'Astrid Lindqvist' })]);
    const body = { payloads: [payloadToJson(sealed!)] };
    const endpoint = new URL(codecEndpointForUi(base, token)).pathname;
    for (const answer of [
      await post(`${endpoint}/decode`, body, { origin: uiOrigin, 'x-namespace': 'default' }),
      await post('/codec/decode', body, { authorization: `Bearer ${token}` }),
    ]) {
      expect(answer.statusCode).toBe(200);
      const { payloads } = JSON.parse(answer.body) as {
        payloads: Array<{ metadata: Record<string, string>; data: string }>;
      };
      expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ Name: 'Astrid Lindqvist' });
    }
    const fromUi = await post(`${endpoint}/decode`, body, { origin: uiOrigin });
    expect(fromUi.headers['access-control-allow-origin']).toBe(uiOrigin);
  });

  it('encodes: what it seals, the codec opens', async () => {
    const plain = defaultPayloadConverter.toPayload({ orderNumber: '1042' });
    const answer = await post(
      '/codec/encode',
      { payloads: [payloadToJson(plain)] },
      { authorization: `Bearer ${token}` },
    );
    expect(answer.statusCode).toBe(200);
    const sealed = (JSON.parse(answer.body) as { payloads: Array<{ metadata: Record<string, string>; data: string }> })
      .payloads[0]!;
    expect(Buffer.from(sealed.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    const [opened] = await codec.decode([payloadFromJson(sealed)]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ orderNumber: '1042' });
  });

  it('answers the Web UI preflight from its origin, and refuses other origins, missing or wrong tokens', async () => {
    const preflight = await got(`${base}/codec/${token}/decode`, {
      method: 'OPTIONS',
      headers: { origin: uiOrigin, 'access-control-request-method': 'POST' },
      throwHttpErrors: false,
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('x-namespace');
    const body = { payloads: [] };
    expect((await post('/codec/decode', body)).statusCode).toBe(401);
    expect((await post('/codec/decode', body, { authorization: 'Bearer wrong-token-0123456789' })).statusCode).toBe(
      401,
    );
    expect((await post('/codec/not-the-token/decode', body)).statusCode).toBe(401);
    expect((await post(`/codec/${token}/decode`, body, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post(`/codec/${token}/decode`, body)).statusCode).toBe(200);
  });

  it('says what it expected for a malformed body, and why it cannot open a payload sealed with another key', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const malformed = await post('/codec/decode', { payloads: [{ data: 'not base64!' }] }, auth);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('expected { payloads');
    const other = new EncryptionCodec(parseCodecKeys(newCodecKeyEntry(), 'other'));
    const [sealed] = await other.encode([defaultPayloadConverter.toPayload('x')]);
    const refused = await post('/codec/decode', { payloads: [payloadToJson(sealed!)] }, auth);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toMatch(/which this process does not hold/);
  });
});
