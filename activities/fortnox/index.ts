// Public API of the Fortnox client: the client, its errors, schemas and types, token stores and the pacer.
export { FortnoxClient } from './client';
export type {
  FortnoxClientOptions,
  ListArticlesQuery,
  ListCustomersQuery,
  ListInvoicesQuery,
  ListOrdersQuery,
  ListSuppliersQuery,
  OrderListFilter,
  InvoiceListFilter,
  ArticleListFilter,
  WarehouseDirection,
} from './client';
export type { FortnoxAuth } from './auth';
export { exchangeAuthorizationCode } from './auth';
export { FortnoxError, FortnoxSchemaError, toApplicationFailure, failureType } from './errors';
export type { FortnoxErrorKind } from './errors';
export { Pacer } from './pacer';
export type { PacerOptions, PeerCount } from './pacer';
export {
  FileTokenStore,
  MemoryTokenStore,
  TokenStoreLeaseLostError,
  TokenStoreLockTimeoutError,
  defaultTokenStore,
} from './token-store';
export type { StoredTokens, TokenLease, TokenStore, FileTokenStoreOptions } from './token-store';
export { formatStockholmTimestamp } from './stockholm-time';
export { isReservedDocumentType } from './reserved-types';
export * from './schemas';
