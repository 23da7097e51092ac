// The tenants file's shape: one entry per goods owner, with its Fortnox and WMS connections and its settings.
// Secrets may be written as `env:NAME` so the file itself holds none.
import { z } from 'zod';
import { FORTNOX_MAX_INVOICE_ROWS } from '../domain/fortnox-invoice';
import { feeMappingSchema, type FeeMapping } from '../domain/fee-mapping';
import { priceListSchema, type PriceList } from '../domain/billing-sources';
import { settingsSchema } from '../domain/settings';

/** An API base URL: http or https only, and no credentials in it (they have their own keys and stay out of logs). */
const url = z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' }).refine(
  (value) => {
    if (!URL.canParse(value)) return true; // reported by the URL check itself
    const parsed = new URL(value);
    return parsed.username === '' && parsed.password === '';
  },
  { error: 'expected a URL without a user name or password in it (they go in their own keys)' },
);

export const fortnoxAuthSchema = z.discriminatedUnion(
  'mode',
  [
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
  ],
  { error: 'expected mode client_credentials or refresh_token' },
);

export const fortnoxConnectionSchema = z.object({
  apiBaseUrl: url.default('https://api.fortnox.se'),
  authBaseUrl: url.default('https://apps.fortnox.se'),
  auth: fortnoxAuthSchema,
});

/** A goods owner's Fortnox: the connection, and the event stream its changes come by (settings.fortnoxEvents). */
export const tenantFortnoxSchema = fortnoxConnectionSchema.extend({
  /** Fortnox's WebSocket event stream ("Topics"); the sandbox serves its own. */
  eventsUrl: z
    .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL, e.g. wss://ws.fortnox.se/topics-v1' })
    .default('wss://ws.fortnox.se/topics-v1'),
});

/** A Fortnox CustomerNumber: YAML may read 1001 as a number. */
const customerNumber = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const maxRowsPerInvoice = z.number().int().min(1).max(FORTNOX_MAX_INVOICE_ROWS).default(FORTNOX_MAX_INVOICE_ROWS);

/** Period charges priced by the 3PL (storage, adjustments, inbound): Ongoing's REST API has no price for them. */
const priceList = priceListSchema.default({});
/**
 * Per-order charges from GET /orders/{orderId}/invoiceCharges (the API user needs Ongoing's permission for it);
 * false: the price list alone.
 */
const orderCharges = z.boolean().default(true);

/** Price-list codes without a fee mapping: every fee code needs one, and for these it is known before any run. */
export function unmappedPriceListCodes(prices: PriceList, feeMapping: FeeMapping): string[] {
  return Object.keys(prices).filter((code) => !Object.hasOwn(feeMapping, code));
}

/**
 * 3PL invoicing of one goods owner, as the worker holds it: the 3PL's own Fortnox (not the goods owner's), the
 * goods owner's CustomerNumber there, the fee mapping, and where the charges come from. In the tenants file it is
 * usually written once in the top-level `billing` section (see billingSectionSchema) and joined onto each listed tenant.
 */
export const tenantBillingSchema = z
  .object({
    fortnox: fortnoxConnectionSchema,
    customerNumber,
    feeMapping: feeMappingSchema,
    orderCharges,
    priceList,
    /** Fortnox's limit by default; a longer specification is split into several invoices (docs/billing.md). */
    maxRowsPerInvoice,
  })
  .superRefine((billing, ctx) => {
    for (const code of unmappedPriceListCodes(billing.priceList, billing.feeMapping)) {
      ctx.addIssue({
        code: 'custom',
        path: ['priceList', code],
        message: `fee code "${code}" has no feeMapping entry; every fee code needs one`,
      });
    }
  });

/**
 * The tenants file's top-level `billing` section: one 3PL Fortnox, fee mapping and price list for all goods owners
 * listed; a goods owner may override single fee codes and price-list entries.
 */
export const billingSectionSchema = z.object({
  fortnox: fortnoxConnectionSchema,
  feeMapping: feeMappingSchema,
  orderCharges,
  priceList,
  /** Period close as cron in Europe/Stockholm time; a tenant's own settings.billingCron wins. */
  periodCron: z.string().min(1).optional(),
  maxRowsPerInvoice,
  goodsOwners: z
    .array(
      z.object({
        tenantId: z.string().min(1),
        customerNumber,
        feeMapping: feeMappingSchema.optional(),
        priceList: priceListSchema.optional(),
        orderCharges: z.boolean().optional(),
      }),
    )
    .min(1, { error: 'expected at least one goods owner ({tenantId, customerNumber})' }),
});

/** The URL typed into the WMS's webhook form (without the token in token mode); for checks, never for routing. */
const publicUrl = url.optional();

/**
 * How the WMS's webhooks authenticate (activities/wms/webhook.ts checks them). Ongoing's webhook form takes a URL and
 * "authentication details if applicable" and documents no payload signing: so `basic` (or a token in the URL) is what
 * it sends; `hmac` is for senders that sign; `off` means this tenant's webhooks are not used.
 */
export const wmsWebhookSchema = z.discriminatedUnion(
  'auth',
  [
    z.object({
      auth: z.literal('basic'),
      username: z.string().min(1, { error: 'expected the user name typed into the WMS webhook form' }),
      password: z.string().min(16, { error: 'expected a password of at least 16 characters' }),
      publicUrl,
    }),
    z
      .object({
        auth: z.literal('token'),
        /** The last segment of the webhook URL: /webhooks/wms/<tenant>/<token>. */
        token: z
          .string()
          .regex(/^[A-Za-z0-9_-]{32,}$/, { error: 'expected at least 32 characters of A-Z, a-z, 0-9, _ and -' }),
        publicUrl,
      })
      .refine((w) => !w.publicUrl?.includes(w.token), {
        // Reported on the token's path so the value is hidden; publicUrl is not a secret and may be logged.
        error: 'appears in publicUrl; write publicUrl without it (the token is appended to it)',
        path: ['token'],
      }),
    z.object({
      auth: z.literal('hmac'),
      secret: z.string().min(16, { error: 'expected a shared secret of at least 16 characters' }),
      publicUrl,
    }),
    z.object({ auth: z.literal('off') }),
  ],
  { error: 'expected a webhook section with auth basic, token, hmac or off' },
);

/** A key that is no longer read: refused with what replaces it, rather than silently ignored. */
const retired = (replacement: string) => z.never({ error: replacement }).optional();

export const tenantSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'expected lower-case letters, digits and dashes (max 40)' }),
  name: z.string().min(1).optional(),
  fortnox: tenantFortnoxSchema,
  wms: z.object({
    /** Up to and including the warehouse, e.g. https://api.ongoingsystems.se/MyWarehouse */
    baseUrl: url,
    username: z.string().min(1),
    password: z.string().min(1),
    goodsOwnerId: z.coerce.number().int().positive(),
    webhook: wmsWebhookSchema,
    webhookSecret: retired(
      'replaced by wms.webhook {auth: hmac, secret} (or auth: basic, which is what Ongoing sends)',
    ),
  }),
  settings: settingsSchema.prefault({}),
  /** Present when the 3PL invoices this goods owner (docs/billing.md). */
  billing: tenantBillingSchema.optional(),
});

export type Tenant = z.infer<typeof tenantSchema>;
export type FortnoxAuthConfig = z.infer<typeof fortnoxAuthSchema>;
export type FortnoxConnection = z.infer<typeof fortnoxConnectionSchema>;
export type TenantBilling = z.infer<typeof tenantBillingSchema>;
export type BillingSection = z.infer<typeof billingSectionSchema>;
