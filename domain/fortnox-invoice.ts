// What Fortnox refuses on an invoice: the limits the billing rules split and cut by, and the fee mapping checks.

/** Fortnox refuses an invoice with more rows than this. */
export const FORTNOX_MAX_INVOICE_ROWS = 500;
/** Fortnox's longest invoice row Description. */
export const FORTNOX_ROW_DESCRIPTION_MAX = 50;
