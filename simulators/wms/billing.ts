// The 3PL's billing specification for one goods owner and period, computed from floor activity (sandbox extension).
import { createHash } from 'node:crypto';
import { badRequest } from './errors';
import type { GoodsOwnerState } from './types';

/** Fee codes and default prices (SEK, excl. VAT). Real 3PLs configure these per goods owner in Ongoing's invoicing module. */
export const DEFAULT_RATES = {
  STORAGE: { description: 'Storage, per day', unit: 'day', unitPrice: 15 },
  ORDER: { description: 'Order handling, per sent order', unit: 'order', unitPrice: 25 },
  PICKLINE: { description: 'Pick lines', unit: 'line', unitPrice: 4 },
  PARCEL: { description: 'Parcels', unit: 'parcel', unitPrice: 12 },
  INBOUND: { description: 'Inbound lines received', unit: 'line', unitPrice: 8 },
  ADJUSTMENT: { description: 'Stock adjustments (count, damage)', unit: 'adjustment', unitPrice: 10 },
} as const;

type FeeCode = keyof typeof DEFAULT_RATES;

const DAY_MS = 86_400_000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(value: string | undefined, name: string): number {
  if (!value || !datePattern.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw badRequest(`Query parameter ${name} must be a date YYYY-MM-DD.`);
  }
  return Date.parse(`${value}T00:00:00Z`);
}

export function billingSpecification(owner: GoodsOwnerState, from: string | undefined, to: string | undefined) {
  const start = parseDay(from, 'from');
  const endDay = parseDay(to, 'to');
  if (endDay < start) throw badRequest('Query parameter to must not be before from.');
  const end = endDay + DAY_MS; // the period includes the whole of its last day
  const quantities: Record<FeeCode, number> = { STORAGE: 0, ORDER: 0, PICKLINE: 0, PARCEL: 0, INBOUND: 0, ADJUSTMENT: 0 };
  quantities.STORAGE = Math.round((end - start) / DAY_MS);
  for (const e of owner.billable) {
    const at = Date.parse(e.at);
    if (at < start || at >= end) continue;
    if (e.kind === 'orderSent') {
      quantities.ORDER += 1;
      quantities.PICKLINE += e.pickLines;
      quantities.PARCEL += e.parcels;
    } else if (e.kind === 'inboundLine') {
      quantities.INBOUND += 1;
    } else {
      quantities.ADJUSTMENT += 1;
    }
  }
  const lines = (Object.keys(DEFAULT_RATES) as FeeCode[])
    .filter((code) => code === 'STORAGE' || quantities[code] > 0)
    .map((feeCode) => ({
      feeCode,
      description: DEFAULT_RATES[feeCode].description,
      quantity: quantities[feeCode],
      unitPrice: DEFAULT_RATES[feeCode].unitPrice,
      unit: DEFAULT_RATES[feeCode].unit,
    }));
  // The version is a hash of the content: an exported specification that changes later gets a new version.
  const version = createHash('sha256').update(JSON.stringify(lines)).digest('hex').slice(0, 16);
  return {
    goodsOwnerId: owner.goodsOwnerId,
    periodFrom: from!,
    periodTo: to!,
    specificationId: `${owner.goodsOwnerId}-${from}-${to}`,
    version,
    currency: 'SEK',
    lines,
  };
}
