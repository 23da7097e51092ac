// The product's custom search attributes: what operators filter on in the Web UI. Registered on the dev server at
// start-up and on other clusters by client/search-attributes.ts.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantAttr = defineSearchAttributeKey('Tenant', SearchAttributeType.KEYWORD);
export const FortnoxOrderNumberAttr = defineSearchAttributeKey('FortnoxOrderNumber', SearchAttributeType.KEYWORD);
export const WmsOrderIdAttr = defineSearchAttributeKey('WmsOrderId', SearchAttributeType.KEYWORD);
export const OrderStageAttr = defineSearchAttributeKey('OrderStage', SearchAttributeType.KEYWORD);
export const NeedsAttentionAttr = defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL);

export const productSearchAttributes = [
  TenantAttr,
  FortnoxOrderNumberAttr,
  WmsOrderIdAttr,
  OrderStageAttr,
  NeedsAttentionAttr,
] as const;
