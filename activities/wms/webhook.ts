// How a webhook proves it comes from the tenant's WMS: HTTP Basic (what Ongoing's webhook form offers), a token in the
// URL, or an HMAC signature of the raw body for senders that sign. Every comparison runs in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
export { webhookPayloadSchema, type WmsWebhookPayload } from './schemas';

export const WEBHOOK_SIGNATURE_HEADER = 'x-webhook-signature';
export const WEBHOOK_EVENT_ID_HEADER = 'x-webhook-event-id';

/** A tenant's webhook authentication: the tenants file's `wms.webhook` section has this shape (plus `publicUrl`). */
export type WebhookAuth =
  | { auth: 'basic'; username: string; password: string }
  | { auth: 'token'; token: string }
  | { auth: 'hmac'; secret: string }
  /** Webhooks are not used for this tenant. */
  | { auth: 'off' };

/** What a request offers as proof; `pathToken` is the URL's last segment on the token route, else undefined. */
export interface WebhookCredentials {
  rawBody: Buffer;
  authorization?: string;
  signature?: string;
  pathToken?: string;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Constant time whatever the lengths: SHA-256 digests are always 32 bytes, so a length mismatch leaks nothing. */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function signWebhookBody(rawBody: Buffer | string, secret: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** True only for a well-formed `sha256=<hex>` header whose HMAC matches the exact raw bytes received. */
export function verifyWebhookSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function basicAuthorization(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** `Authorization: Basic base64(user:password)`; the password may contain colons, the user name may not (RFC 7617). */
function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** True only when both the user name and the password match; both are always compared, so timing tells neither. */
export function verifyBasic(header: string | undefined, username: string, password: string): boolean {
  const given = parseBasic(header);
  if (!given || !username || !password) return false;
  const userMatches = sameSecret(given.username, username);
  const passwordMatches = sameSecret(given.password, password);
  return userMatches && passwordMatches;
}

export function verifyToken(given: string | undefined, token: string): boolean {
  if (given === undefined || !token) return false;
  return sameSecret(given, token);
}

/**
 * Whether the request proves it comes from the tenant's WMS. A token travels only in the token route's URL, so any
 * other mode refuses a request that carries one (and token mode one that does not); `off` accepts nothing.
 */
export function authenticateWebhook(auth: WebhookAuth, credentials: WebhookCredentials): boolean {
  switch (auth.auth) {
    case 'basic':
      return (
        credentials.pathToken === undefined && verifyBasic(credentials.authorization, auth.username, auth.password)
      );
    case 'token':
      return verifyToken(credentials.pathToken, auth.token);
    case 'hmac':
      return (
        credentials.pathToken === undefined &&
        verifyWebhookSignature(credentials.rawBody, credentials.signature, auth.secret)
      );
    case 'off':
      return false;
  }
}
