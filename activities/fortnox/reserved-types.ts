// Custom warehouse document type names Fortnox reserves for itself (400 referenceTypeNotAllowed), for checking before a PUT.
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

const normalise = (name: string) => name.toUpperCase().replace(/[-_]/g, '');
const reserved = new Set(RESERVED.map(normalise));

/** True for a reserved name in any case, with or without dashes/underscores ("customer-order", "Kund_Order"). */
export function isReservedDocumentType(name: string): boolean {
  return reserved.has(normalise(name));
}
