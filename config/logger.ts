// Structured JSON logs (pino) with secrets redacted wherever they might appear.
import { pino, type Logger } from 'pino';

export const REDACTED_KEYS = [
  'password', 'clientSecret', 'client_secret', 'secret', 'webhookSecret', 'accessToken', 'access_token',
  'refreshToken', 'refresh_token', 'authorization', 'apiKey', 'token',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `headers.${key}`, `req.headers.${key}`]);
  return pino(
    { level, base: { service: 'wms-fortnox' }, redact: { paths, censor: '[redacted]' } },
    destination as pino.DestinationStream | undefined,
  );
}
