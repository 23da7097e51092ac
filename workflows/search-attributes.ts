// The product's custom search attributes: what operators filter on in the Web UI. Registered on the dev server at
// start-up and on other clusters by client/search-attributes.ts.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantAttr = defineSearchAttributeKey('Tenant', SearchAttributeType.KEYWORD);
export const FortnoxOrderNumberAttr = defineSearchAttributeKey('FortnoxOrderNumber', SearchAttributeType.KEYWORD);
export const WmsOrderIdAttr = defineSearchAttributeKey('WmsOrderId', SearchAttributeType.KEYWORD);
export const OrderStageAttr = defineSearchAttributeKey('OrderStage', SearchAttributeType.KEYWORD);
export const NeedsAttentionAttr = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);

/**
 * Set by Temporal's scheduler on every run it starts: the time the run was scheduled for (nominal, whole seconds), also
 * when it starts late (catch-up, backfill). Temporal's own attribute: never registered nor set by the product.
 */
export const ScheduledStartTimeAttr = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

export const productSearchAttributes = [
  TenantAttr,
  FortnoxOrderNumberAttr,
  WmsOrderIdAttr,
  OrderStageAttr,
  NeedsAttentionAttr,
] as const;
