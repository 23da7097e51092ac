// Orders that need an operator, made the way they are in real life: a row of an article Fortnox Lager holds none of
// (the warehouse does), so Lager stores 0 for its delivered quantity, the order is not invoiced and waits in
// needs-attention, until an operator books the stock in to Fortnox and resyncs (the runbook's fix).
import type { OrderRowInput, Rig } from '../bench/rig';
import { createArticle } from '../simulators/fortnox/rest/articles';
import { articleBody } from '../simulators/wms/requests';

const STOCK = 1_000_000;

export class StockShortage {
  /** Articles with no stock in Fortnox Lager: one per order, so fixing one order never fixes another by accident. */
  private readonly short = new Set<string>();
  private next = 0;
  refills = 0;

  constructor(private readonly rig: Rig) {
    if (!rig.fortnoxTenant.lager) throw new Error('a stock shortage needs Fortnox Lager');
  }

  /** A row of a new article that the warehouse holds plenty of and Fortnox Lager none of. */
  shortRow(quantity: number): OrderRowInput {
    const { rig } = this;
    const articleNumber = `S${5000 + this.next++}`;
    createArticle(
      rig.fortnoxTenant,
      {
        ArticleNumber: articleNumber,
        Description: `Short in Fortnox ${articleNumber}`,
        StockGoods: true,
        SalesPrice: 120,
        PurchasePrice: 60,
      },
      rig.fortnox.state.clock.nowMs(),
    );
    rig.wms.state.upsertArticle(
      rig.goodsOwner,
      articleBody.parse({
        goodsOwnerId: rig.goodsOwner.goodsOwnerId,
        articleNumber,
        articleName: `Short in Fortnox ${articleNumber}`,
        isStockArticle: true,
      }),
    );
    rig.wms.state.adjustStock(rig.goodsOwner, { articleNumber, count: STOCK, reason: 'count' });
    this.short.add(articleNumber);
    return { ArticleNumber: articleNumber, OrderedQuantity: quantity };
  }

  /** Whether the order has a row Fortnox Lager cannot deliver yet. */
  isShort(documentNumber: string): boolean {
    return this.shortArticles(documentNumber).length > 0;
  }

  /**
   * The operator's fix: a released inbound delivery in Fortnox Lager for each short article on the order, of what the
   * order asks. Returns the articles booked in (none if the order was fixed already).
   */
  refill(documentNumber: string): string[] {
    const articles = this.shortArticles(documentNumber);
    const order = this.rig.fortnoxTenant.orders.get(Number(documentNumber))!;
    const warehouse = this.rig.fortnoxTenant.warehouse;
    for (const itemId of articles) {
      const quantity = order.OrderRows.filter((r) => r.ArticleNumber === itemId).reduce(
        (sum, r) => sum + r.OrderedQuantity,
        0,
      );
      const id = String(++this.refills);
      warehouse.saveDocument('INBOUND', 'CHAOSREFILL', id, {
        date: this.rig.fortnox.state.today(),
        note: `Stock found for ${itemId}`,
        rows: [{ itemId, quantity, directCost: 60 }],
      });
      warehouse.release('INBOUND', 'CHAOSREFILL', id);
      this.short.delete(itemId);
    }
    return articles;
  }

  private shortArticles(documentNumber: string): string[] {
    const order = this.rig.fortnoxTenant.orders.get(Number(documentNumber));
    return [...new Set((order?.OrderRows ?? []).map((r) => r.ArticleNumber).filter((a) => this.short.has(a)))];
  }
}
