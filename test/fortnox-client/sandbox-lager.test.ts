// Fortnox Lager through the client against the sandbox: FIFO valuation, reservation then delivery, forced delivery,
// negative rows, reserved type names, locked documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStockholmTimestamp, isReservedDocumentType } from '../../activities/fortnox';
import type { FortnoxClient } from '../../activities/fortnox';
import { createTenant, serviceClient, startSandbox, failure } from './sandbox';
import type { Sandbox } from './sandbox';

let sandbox: Sandbox;
let fortnox: FortnoxClient;
/** Yesterday in Stockholm: a release may not be dated after today. */
const date = formatStockholmTimestamp(new Date(Date.now() - 86_400_000)).slice(0, 10);
let nextId = 1;
const docId = () => nextId++;

beforeAll(async () => {
  // Lager behaviour, not pacing, is under test here (pacing has its own test): no rate limit in this sandbox.
  sandbox = await startSandbox({ rateLimit: false });
  const tenant = await createTenant(sandbox.url, { lager: true });
  fortnox = serviceClient(sandbox, tenant, { pacer: undefined });
});

afterAll(async () => {
  await sandbox?.close();
});

async function article(articleNumber: string): Promise<void> {
  await fortnox.createArticle({
    ArticleNumber: articleNumber,
    Description: `Artikel ${articleNumber}`,
    StockGoods: true,
    Unit: 'st',
  });
}

/** Releases an inbound lot: quantity at a unit cost. */
async function receive(itemId: string, quantity: number, directCost: number): Promise<void> {
  const id = docId();
  await fortnox.putInboundDocument('WMSIN', id, { date, rows: [{ itemId, quantity, directCost }] });
  await fortnox.releaseDocument('inbound', 'WMSIN', id);
}

async function balance(itemId: string): Promise<{ inStock: number; availableStock: number }> {
  const rows = await fortnox.getStockBalance({ itemIds: [itemId] });
  return {
    inStock: rows.reduce((sum, r) => sum + r.inStock, 0),
    availableStock: rows.reduce((sum, r) => sum + r.availableStock, 0),
  };
}

describe('Lager', () => {
  it('reports the warehouse tenant as activated, and lists the default stock point', async () => {
    const tenant = await fortnox.getWarehouseTenant();
    expect(tenant.activated).toBe(true);
    expect(tenant.tenantId).toMatch(/^\d+$/);
    const points = await fortnox.listStockPoints();
    expect(points.length).toBeGreaterThan(0);
    const created = await fortnox.createStockPoint({ code: 'GBG', name: 'Göteborg' });
    expect(created).toMatchObject({ code: 'GBG', name: 'Göteborg' });
    expect((await fortnox.listStockPoints({ state: 'ALL' })).map((p) => p.code)).toContain('GBG');
  });

  it('an inbound counts in stock only once released', async () => {
    await article('IN1');
    const id = docId();
    const saved = await fortnox.putInboundDocument('WMSIN', id, {
      date,
      rows: [{ itemId: 'IN1', quantity: 7, directCost: 3 }],
    });
    expect(saved.warehouseReady).toBe(false);
    expect((await balance('IN1')).inStock).toBe(0);
    await fortnox.releaseDocument('inbound', 'WMSIN', id);
    expect((await balance('IN1')).inStock).toBe(7);
    expect((await fortnox.getInboundDocument('WMSIN', id)).warehouseReady).toBe(true);
  });

  it('FIFO worked example: two lots at different costs, one outbound across both takes the oldest lot first', async () => {
    await article('FIFO1');
    await receive('FIFO1', 10, 10); // lot 1: 10 × 10 kr
    await receive('FIFO1', 10, 20); // lot 2: 10 × 20 kr
    const before = await fortnox.getArticle('FIFO1');
    expect(before.StockValue).toBe(300);

    const out = await fortnox.putOutboundDocument('WMSOUT', docId(), {
      date,
      deliveryState: 'delivery',
      rows: [{ itemId: 'FIFO1', quantity: 15 }],
    });
    expect(out.rows[0]?.deliveredQuantity).toBe(15);
    // 10 × 10 + 5 × 20 = 200 leaves stock: an average of 13.33 per unit, not 15 (the average of the lots).
    const cost = out.averageCosts.find((c) => c.itemId === 'FIFO1');
    expect(cost?.averageCostInSEK).toBeCloseTo(200 / 15, 2);
    const after = await fortnox.getArticle('FIFO1');
    expect((before.StockValue ?? 0) - (after.StockValue ?? 0)).toBe(200);
    expect(after.StockValue).toBe(100); // 5 left, all from the 20 kr lot
    expect((await balance('FIFO1')).inStock).toBe(5);
  });

  it('reservation lowers available stock only; delivery then lowers stock', async () => {
    await article('RES1');
    await receive('RES1', 10, 5);
    const id = docId();
    const reserved = await fortnox.putOutboundDocument('WMSOUT', id, {
      date,
      deliveryState: 'reservation',
      rows: [{ itemId: 'RES1', quantity: 4 }],
    });
    expect(reserved.rows[0]).toMatchObject({ reservedQuantity: 4, deliveredQuantity: 0 });
    expect(await balance('RES1')).toEqual({ inStock: 10, availableStock: 6 });

    const delivered = await fortnox.putOutboundDocument('WMSOUT', id, {
      date,
      deliveryState: 'delivery',
      rows: [{ itemId: 'RES1', quantity: 4 }],
    });
    expect(delivered.deliveryState).toBe('delivery');
    expect(delivered.rows[0]?.deliveredQuantity).toBe(4);
    expect(await balance('RES1')).toEqual({ inStock: 6, availableStock: 6 });
  });

  it('without forcedDelivery only what is available is delivered; with it the full quantity, into negative stock', async () => {
    await article('FORCE1');
    await receive('FORCE1', 3, 8);
    const partial = await fortnox.putOutboundDocument('WMSOUT', docId(), {
      date,
      deliveryState: 'delivery',
      rows: [{ itemId: 'FORCE1', quantity: 5 }],
    });
    expect(partial.rows[0]?.deliveredQuantity).toBe(3); // compare with what was asked: the response says how much
    expect((await balance('FORCE1')).inStock).toBe(0);

    const forced = await fortnox.putOutboundDocument('WMSOUT', docId(), {
      date,
      deliveryState: 'delivery',
      forcedDelivery: true,
      rows: [{ itemId: 'FORCE1', quantity: 2 }],
    });
    expect(forced.forcedDelivery).toBe(true);
    expect(forced.rows[0]?.deliveredQuantity).toBe(2);
    expect((await balance('FORCE1')).inStock).toBe(-2);
  });

  it('a negative row flips direction: out on an inbound, in on an outbound', async () => {
    await article('NEG1');
    await receive('NEG1', 10, 4);
    const inboundId = docId();
    await fortnox.putInboundDocument('WMSIN', inboundId, {
      date,
      rows: [{ itemId: 'NEG1', quantity: -3, directCost: 4 }],
    });
    await fortnox.releaseDocument('inbound', 'WMSIN', inboundId);
    expect((await balance('NEG1')).inStock).toBe(7);

    const outbound = await fortnox.putOutboundDocument('WMSOUT', docId(), {
      date,
      deliveryState: 'delivery',
      rows: [{ itemId: 'NEG1', quantity: -2 }],
    });
    expect(outbound.rows[0]?.quantity).toBe(-2);
    expect((await balance('NEG1')).inStock).toBe(9);
  });

  it('refuses reserved document type names in any spelling', async () => {
    for (const name of ['KUNDORDER', 'customer-order', 'Stock_Transfer']) {
      expect(isReservedDocumentType(name)).toBe(true);
      const err = await failure(
        fortnox.putInboundDocument(name, docId(), { date, rows: [{ itemId: 'IN1', quantity: 1 }] }),
      );
      expect(err).toMatchObject({ kind: 'non-retryable', status: 400 });
      expect(err.code?.toLowerCase()).toContain('referencetypenotallowed');
    }
    expect(isReservedDocumentType('WMSOUT')).toBe(false);
  });

  it('refuses a type used for the other direction', async () => {
    const err = await failure(
      fortnox.putOutboundDocument('WMSIN', docId(), {
        date,
        deliveryState: 'registration',
        rows: [{ itemId: 'IN1', quantity: 1 }],
      }),
    );
    expect(err).toMatchObject({ kind: 'non-retryable', status: 400 });
  });

  it('a released document is locked: changes are refused, void is allowed and gives the stock back', async () => {
    await article('LOCK1');
    await receive('LOCK1', 5, 2);
    const id = docId();
    await fortnox.putOutboundDocument('WMSOUT', id, {
      date,
      deliveryState: 'delivery',
      rows: [{ itemId: 'LOCK1', quantity: 2 }],
    });
    await fortnox.releaseDocument('outbound', 'WMSOUT', id);
    expect((await fortnox.getOutboundDocument('WMSOUT', id)).warehouseReady).toBe(true);

    const err = await failure(
      fortnox.putOutboundDocument('WMSOUT', id, {
        date,
        deliveryState: 'delivery',
        rows: [{ itemId: 'LOCK1', quantity: 1 }],
      }),
    );
    expect(err).toMatchObject({ kind: 'non-retryable', status: 400, code: 'cannot_modify_released_document' });
    expect((await balance('LOCK1')).inStock).toBe(3);

    await fortnox.voidDocument('outbound', 'WMSOUT', id);
    expect((await fortnox.getOutboundDocument('WMSOUT', id)).voided).toBe(true);
    expect((await balance('LOCK1')).inStock).toBe(5);
  });

  it("reads an outbound document's averageCosts as Fortnox spells them: averageCostInSEK per item and stock point uuid", async () => {
    await article('AVG1');
    await receive('AVG1', 4, 25);
    const out = await fortnox.putOutboundDocument('WMSOUT', docId(), {
      date,
      deliveryState: 'delivery',
      rows: [{ itemId: 'AVG1', quantity: 2 }],
    });
    const [point] = await fortnox.listStockPoints();
    expect(out.averageCosts).toEqual([{ itemId: 'AVG1', stockPointId: point!.id, averageCostInSEK: 25 }]);
    expect(out.referenceType).toBe('WMSOUT');
  });

  it("an inbound document carries its currency as Fortnox's object {currency, rate, unit}, and a bare code is refused", async () => {
    await article('CUR1');
    const id = docId();
    const saved = await fortnox.putInboundDocument('WMSIN', id, {
      date,
      currency: { currency: 'EUR', rate: 11.5, unit: 1 },
      rows: [{ itemId: 'CUR1', quantity: 1, directCost: 10 }],
    });
    expect(saved.currency).toEqual({ currency: 'EUR', rate: 11.5, unit: 1 });
    expect((await fortnox.getInboundDocument('WMSIN', id)).currency).toEqual({ currency: 'EUR', rate: 11.5, unit: 1 });
    const bare = await failure(
      fortnox.putInboundDocument('WMSIN', docId(), {
        date,
        currency: 'EUR' as never,
        rows: [{ itemId: 'CUR1', quantity: 1 }],
      }),
    );
    expect(bare).toMatchObject({ kind: 'non-retryable', status: 400 });
  });

  it('an outbound row names its stock point by uuid (stockPointId); a stock point code there is refused', async () => {
    await article('SP1');
    const point = await fortnox.createStockPoint({ code: 'MLM', name: 'Malmö' });
    const id = docId();
    await fortnox.putInboundDocument('WMSIN', id, {
      date,
      rows: [{ itemId: 'SP1', quantity: 5, directCost: 1, stockPointCode: 'MLM' }],
    });
    await fortnox.releaseDocument('inbound', 'WMSIN', id);
    const out = await fortnox.putOutboundDocument('WMSOUT', docId(), {
      date,
      deliveryState: 'delivery',
      rows: [{ itemId: 'SP1', quantity: 2, stockPointId: point.id }],
    });
    expect(out.rows[0]).toMatchObject({ deliveredQuantity: 2, stockPointId: point.id });
    expect(await fortnox.getStockBalance({ itemIds: ['SP1'], stockPointCodes: ['MLM'] })).toEqual([
      { itemId: 'SP1', stockPointCode: 'MLM', availableStock: 3, inStock: 3 },
    ]);
    const byCode = await failure(
      fortnox.putOutboundDocument('WMSOUT', docId(), {
        date,
        deliveryState: 'delivery',
        rows: [{ itemId: 'SP1', quantity: 1, stockPointCode: 'MLM' } as never],
      }),
    );
    expect(byCode).toMatchObject({ kind: 'non-retryable', status: 400 });
    expect(byCode.message).toContain('stockPointId');
  });

  it('lists the registered document types with their direction', async () => {
    const types = await fortnox.listDocumentTypes();
    expect(types).toEqual(
      expect.arrayContaining([
        { category: 'INBOUND', referenceType: 'WMSIN' },
        { category: 'OUTBOUND', referenceType: 'WMSOUT' },
      ]),
    );
  });

  it('an order moves stock under Lager: reservation, then delivery; an empty article silently gets 0 delivered', async () => {
    await article('ORD1');
    await article('EMPTY1');
    await receive('ORD1', 6, 10);
    const customer = await fortnox.createCustomer({ Name: 'Lagerkund AB' });
    const created = await fortnox.createOrder({
      CustomerNumber: customer.CustomerNumber,
      OrderRows: [
        { ArticleNumber: 'ORD1', OrderedQuantity: 4 },
        { ArticleNumber: 'EMPTY1', OrderedQuantity: 1 },
      ],
    });
    expect(created.DeliveryState).toBe('registration');

    const reserved = await fortnox.updateOrder(created.DocumentNumber, { DeliveryState: 'reservation' });
    expect(reserved.OrderRows.map((r) => r.ReservedQuantity)).toEqual([4, 0]);
    expect((await balance('ORD1')).availableStock).toBe(2);

    // RowIds were renumbered by the last update: map rows on a fresh GET, by position and article.
    const fresh = await fortnox.getOrder(created.DocumentNumber);
    const delivered = await fortnox.updateOrder(created.DocumentNumber, {
      DeliveryState: 'delivery',
      OrderRows: fresh.OrderRows.map((row) => ({ RowId: row.RowId, DeliveredQuantity: row.OrderedQuantity })),
    });
    expect(delivered.DeliveryState).toBe('delivery');
    expect(delivered.OrderRows.map((r) => [r.ArticleNumber, r.DeliveredQuantity])).toEqual([
      ['ORD1', 4],
      ['EMPTY1', 0],
    ]);
    expect(await balance('ORD1')).toEqual({ inStock: 2, availableStock: 2 });
  });

  it('a tenant without Lager says so, and its warehouse calls are refused as non-retryable', async () => {
    const plain = serviceClient(sandbox, await createTenant(sandbox.url, { lager: false }), { pacer: undefined });
    expect((await plain.getWarehouseTenant()).activated).toBe(false);
    const err = await failure(plain.getStockBalance());
    expect(err).toMatchObject({ kind: 'non-retryable', status: 403 });
  });
});
