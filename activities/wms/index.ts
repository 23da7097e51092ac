// The WMS (Ongoing REST v1) client, its schemas, errors and webhook signature helpers.
export * from './client';
export * from './errors';
export * from './schemas';
export { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, signWebhookBody, verifyWebhookSignature } from './webhook';
