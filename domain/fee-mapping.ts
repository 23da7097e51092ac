// A tenant's fee mapping as the tenants file states it: fee code → the Fortnox invoice row it becomes. Apart from
// domain/billing.ts so that the workflow bundle, which imports the billing rules, carries no schema library (why:
// test/workers/workflow-bundle.test.ts).
import { z } from 'zod';
import { FORTNOX_ROW_DESCRIPTION_MAX } from './fortnox-invoice';

/** How one fee code becomes a Fortnox invoice row. Unset fields fall back to the article's (or Fortnox's) own. */
export const feeMappingEntrySchema = z.object({
  /** Must exist in the 3PL's Fortnox article register. */
  articleNumber: z.string().min(1).optional(),
  /** Default: the specification line's own description. */
  description: z.string().min(1).max(FORTNOX_ROW_DESCRIPTION_MAX).optional(),
  /** A unit code of the 3PL's Fortnox unit register (e.g. "st", "h"); the WMS's own units ("day", "line") rarely are. */
  unit: z.string().min(1).optional(),
  /** VAT percentage: 25, 12, 6 or 0 in Sweden. */
  vat: z.number().min(0).max(100).optional(),
  /** Sales account, e.g. 3041. */
  accountNumber: z.number().int().min(1000).max(9999).optional(),
});
export type FeeMappingEntry = z.infer<typeof feeMappingEntrySchema>;

/**
 * Fee code → how it is invoiced. Fee codes are the WMS's invoice-article codes (per-order charges) and the price list's
 * own codes (period charges). A fee code without an entry stops the export (nothing is created).
 */
export const feeMappingSchema = z
  .record(z.string().min(1), feeMappingEntrySchema)
  .refine((m) => Object.keys(m).length > 0, { error: 'expected at least one fee code' });
export type FeeMapping = z.infer<typeof feeMappingSchema>;
