// 3PL invoicing activities: read a goods owner's WMS billing specification and plan its invoices (main queue), look
// the period's invoices up in the 3PL's own Fortnox, and create one invoice after looking its reference up again.
import { ApplicationFailure } from '@temporalio/common';
import {
  planBillingExport,
  UnknownFeeCodeError,
  type BillingExportPlan,
  type BillingInvoiceDraft,
  type BillingPeriod,
  type ExistingBillingInvoice,
} from '../domain/billing';
import type { FortnoxClient } from './fortnox/client';
import { toApplicationFailure as fortnoxFailure } from './fortnox/errors';
import type { FortnoxInvoiceListItem } from './fortnox/schemas';
import type { TenantRegistry } from './tenant-registry';
import { toApplicationFailure as wmsFailure } from './wms/errors';

export const UNKNOWN_FEE_CODE_FAILURE_TYPE = 'UnknownFeeCode';

export interface CreatedBillingInvoice {
  DocumentNumber: string;
  ExternalInvoiceReference1: string;
  /** False when the reference was already there (an earlier attempt created it): nothing was created twice. */
  created: boolean;
  ExternalInvoiceReference2: string | null;
}

const toExisting = (i: FortnoxInvoiceListItem): ExistingBillingInvoice => ({
  DocumentNumber: i.DocumentNumber,
  ExternalInvoiceReference1: i.ExternalInvoiceReference1 ?? '',
  ExternalInvoiceReference2: i.ExternalInvoiceReference2 ?? null,
  Cancelled: i.Cancelled,
});

/** Fortnox's filter is documented, not its matching: compare exactly ourselves. */
async function invoicesWithReference(client: FortnoxClient, reference: string): Promise<ExistingBillingInvoice[]> {
  const items = await client.listAllInvoices({ externalInvoiceReference1: reference });
  return items.filter((i) => i.ExternalInvoiceReference1 === reference).map(toExisting);
}

export function createBillingActivities(registry: TenantRegistry) {
  return {
    /**
     * Reads the specification fresh from the WMS and maps every line before anything is planned, so an unknown fee
     * code fails the export (non-retryable, naming the codes) before a single invoice exists.
     */
    async prepareBillingExport(tenantId: string, period: BillingPeriod): Promise<BillingExportPlan> {
      const billing = registry.billing(tenantId);
      let spec;
      try {
        spec = await registry.wms(tenantId).getBillingSpecification({ from: period.from, to: period.to });
      } catch (err) {
        throw wmsFailure(err);
      }
      try {
        return planBillingExport(spec, {
          tenantId,
          CustomerNumber: billing.customerNumber,
          period,
          feeMapping: billing.feeMapping,
          maxRowsPerInvoice: billing.maxRowsPerInvoice,
        });
      } catch (err) {
        if (err instanceof UnknownFeeCodeError) {
          throw ApplicationFailure.create({
            type: UNKNOWN_FEE_CODE_FAILURE_TYPE,
            message: err.message,
            nonRetryable: true,
            details: [{ feeCodes: err.feeCodes, tenantId, period: period.period }],
          });
        }
        throw err;
      }
    },

    /** Every invoice in the 3PL's Fortnox under one of the given ExternalInvoiceReference1 values (cancelled too). */
    async findBillingInvoices(tenantId: string, references: string[]): Promise<ExistingBillingInvoice[]> {
      const client = registry.billingFortnox(tenantId);
      try {
        const found: ExistingBillingInvoice[] = [];
        for (const reference of references) found.push(...(await invoicesWithReference(client, reference)));
        return found;
      } catch (err) {
        throw fortnoxFailure(err);
      }
    },

    /**
     * Creates one invoice unless its ExternalInvoiceReference1 is already there (Fortnox has no idempotency key, so a
     * retry after a lost answer must find the first attempt's invoice instead of creating a second).
     */
    async createBillingInvoice(tenantId: string, draft: BillingInvoiceDraft): Promise<CreatedBillingInvoice> {
      const client = registry.billingFortnox(tenantId);
      try {
        const [already] = (await invoicesWithReference(client, draft.ExternalInvoiceReference1)).filter((i) => !i.Cancelled);
        if (already) return { ...already, created: false };
        const invoice = await client.createInvoice({
          CustomerNumber: draft.CustomerNumber,
          ExternalInvoiceReference1: draft.ExternalInvoiceReference1,
          ExternalInvoiceReference2: draft.ExternalInvoiceReference2,
          ...(draft.Currency ? { Currency: draft.Currency } : {}),
          InvoiceRows: draft.InvoiceRows.map(({ feeCode: _feeCode, net: _net, ...row }) => row),
        });
        return {
          DocumentNumber: invoice.DocumentNumber,
          ExternalInvoiceReference1: draft.ExternalInvoiceReference1,
          ExternalInvoiceReference2: invoice.ExternalInvoiceReference2 ?? null,
          created: true,
        };
      } catch (err) {
        throw fortnoxFailure(err);
      }
    },
  };
}
