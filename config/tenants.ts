// The tenants file's shape: one entry per goods owner, with its Fortnox and WMS connections and its settings.
// Secrets may be written as `env:NAME` so the file itself holds none.
import { z } from 'zod';
import { settingsSchema } from '../domain/settings';

const url = z.url({ error: 'expected an absolute http(s) URL' });

export const fortnoxAuthSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('client_credentials'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Fortnox DatabaseNumber, sent as the TenantId header. */
    tenantId: z.string().regex(/^\d+$/, { error: 'expected the Fortnox DatabaseNumber (digits)' }),
    scope: z.string().default('article order invoice supplier customer companyinformation settings warehouse'),
  }),
  z.object({
    mode: z.literal('refresh_token'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Used only the first time; afterwards the rotated token lives in the token store. */
    initialRefreshToken: z.string().min(1).optional(),
  }),
], { error: 'expected mode client_credentials or refresh_token' });

export const tenantSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'expected lower-case letters, digits and dashes (max 40)' }),
  name: z.string().min(1).optional(),
  fortnox: z.object({
    apiBaseUrl: url.default('https://api.fortnox.se'),
    authBaseUrl: url.default('https://apps.fortnox.se'),
    auth: fortnoxAuthSchema,
  }),
  wms: z.object({
    /** Up to and including the warehouse, e.g. https://api.ongoingsystems.se/MyWarehouse */
    baseUrl: url,
    username: z.string().min(1),
    password: z.string().min(1),
    goodsOwnerId: z.coerce.number().int().positive(),
    webhookSecret: z.string().min(16, { error: 'expected a shared secret of at least 16 characters' }),
  }),
  settings: settingsSchema.prefault({}),
});

export type Tenant = z.infer<typeof tenantSchema>;
export type FortnoxAuthConfig = z.infer<typeof fortnoxAuthSchema>;
