// The sandbox's stand-in for the charges Ongoing's invoicing books on orders: invoice articles per goods owner, the
// charges a sent order gets from them, and the GetOrderInvoiceChargeModel the API answers with.
import type { SandboxInvoiceArticle, StoredInvoiceCharge, StoredOrder } from './types';

/**
 * Every new goods owner starts with these (prices in SEK, excl. VAT). Ids 1–3 are shared by all goods owners, as an
 * Ongoing instance's invoice articles are the 3PL's; articles set through the control get ids from 100 on.
 */
export const DEFAULT_INVOICE_ARTICLES: readonly SandboxInvoiceArticle[] = [
  { invoiceArticleId: 1, code: 'ORDER', title: 'Order handling', account: '3041', price: 25, per: 'order' },
  { invoiceArticleId: 2, code: 'PICKLINE', title: 'Pick lines', account: '3041', price: 4, per: 'pickedLine' },
  { invoiceArticleId: 3, code: 'PARCEL', title: 'Parcels', account: '3041', price: 12, per: 'parcel' },
];

export const defaultInvoiceArticles = (): SandboxInvoiceArticle[] => DEFAULT_INVOICE_ARTICLES.map((a) => ({ ...a }));

function itemsOf(article: SandboxInvoiceArticle, order: StoredOrder): number {
  switch (article.per) {
    case 'order':
      return 1;
    case 'pickedLine':
      return order.lines.filter((l) => l.pickedNumberOfItems > 0).length;
    case 'pickedItem':
      return order.lines.reduce((sum, l) => sum + l.pickedNumberOfItems, 0);
    case 'parcel':
      return order.parcels.length;
  }
}

/** The charges of a sent order: one per invoice article that counts something on it. */
export function chargesForSentOrder(
  order: StoredOrder,
  articles: readonly SandboxInvoiceArticle[],
  nextChargeId: () => number,
  at: string,
): StoredInvoiceCharge[] {
  return articles.flatMap((article) => {
    const numberOfItems = itemsOf(article, order);
    if (numberOfItems <= 0) return [];
    const { invoiceArticleId, code, title, account } = article;
    return [
      {
        chargeId: nextChargeId(),
        price: article.price,
        numberOfItems,
        actionDate: at,
        comment: null,
        invoiceArticle: { invoiceArticleId, code, title, account },
      },
    ];
  });
}

/** GetOrderInvoiceChargeModel. */
export function invoiceChargeView(charge: StoredInvoiceCharge) {
  return {
    // The sandbox has no invoicing module, so no charge is on an invoice of Ongoing's yet. What Ongoing answers for
    // such a charge is not documented; 0 is the sandbox's choice, and the product does not read it.
    invoiceId: 0,
    chargeId: charge.chargeId,
    price: charge.price,
    numberOfItems: charge.numberOfItems,
    actionDate: charge.actionDate,
    comment: charge.comment,
    profitCenter: null,
    invoiceArticle: charge.invoiceArticle,
  };
}
