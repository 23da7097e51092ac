// Rules for custom document type names and ids: reserved names, allowed characters, digits-only ids.
import { WarehouseApiError } from '../errors';

/** Names Fortnox keeps for its own documents (their dash, underscore and case variants are reserved too). */
const RESERVED = [
  'ARTICLEPRODUCTION',
  'ARTIKELPRODUKTION',
  'CUSTOMERINVOICE',
  'CUSTOMERORDER',
  'DELIVERYNOTE',
  'FAKTURA',
  'FÖLJESEDEL',
  'INGÅENDESALDO',
  'INKÖP',
  'INKÖPSORDER',
  'INVENTERING',
  'INVENTORY',
  'INVOICE',
  'ITEMPRODUCTION',
  'KREDITFAKTURA',
  'KREDITORDER',
  'KUNDFAKTURA',
  'KUNDORDER',
  'LAGERFLYTT',
  'LEGACYINTEGRATIONIN',
  'LEGACYINTEGRATIONOUT',
  'LEVERANTÖRSFAKTURA',
  'LEVFAKTURA',
  'MANUALDELIVERY',
  'MANUALINBOUND',
  'MANUALINBOUNDDELIVERY',
  'MANUALOUTBOUND',
  'MANUALOUTBOUNDDELIVERY',
  'MANUELLINLEVERANS',
  'MANUELLLEVERANS',
  'MANUELLUTLEVERANS',
  'NEGATIVEOPENINGBALANCES',
  'POSITIVEOPENINGBALANCES',
  'NEGATIVTINGÅENDESALDO',
  'ORDER',
  'PLOCKLISTA',
  'PRODUCTION',
  'PRODUKTION',
  'PURCHASE',
  'PURCHASEORDER',
  'STOCKTAKING',
  'STOCKTAKINGDEVIATION',
  'STOCKTRANSFER',
  'SUPINVOICE',
  'SUPPLIERINVOICE',
];
const RESERVED_SET = new Set(RESERVED);

const TYPE_PATTERN = /^[A-Z0-9_-]{1,25}$/;
const ID_PATTERN = /^\d{1,25}$/;

/** Validates a custom document type and returns its canonical (upper case) form. */
export function normalizeReferenceType(type: string): string {
  const upper = type.toUpperCase();
  if (RESERVED_SET.has(upper.replace(/[-_]/g, ''))) {
    // The seed text spells this `validation.referencetypenotallowed`; the reference's code name is used here.
    throw new WarehouseApiError(400, 'referenceTypeNotAllowed', `Reference type ${type} is reserved by Fortnox.`);
  }
  if (!TYPE_PATTERN.test(upper)) {
    throw new WarehouseApiError(
      400,
      'invalidReferenceType',
      `Reference type must be 1-25 characters of A-Z, 0-9, _ and -: ${type}`,
    );
  }
  return upper;
}

export function validateReferenceId(id: string): string {
  if (!ID_PATTERN.test(id)) {
    throw new WarehouseApiError(400, 'invalidReferenceId', `Reference id must be 1-25 digits: ${id}`);
  }
  return id;
}
