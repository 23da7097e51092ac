// Webhook signatures: `X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, checked in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
export { webhookPayloadSchema, type WmsWebhookPayload } from './schemas';

export const WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature';
export const WEBHOOK_EVENT_ID_HEADER = 'x-webhook-event-id';

export function signWebhookBody(rawBody: Buffer | string, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** True only for a well-formed header whose HMAC matches the exact raw bytes received. */
export function verifyWebhookSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
