#!/bin/sh
# The namespace and the product's search attributes (workflows/search-attributes.ts), idempotent. Run by the compose
# file's temporal-setup job (admin-tools image) and by `npm run stack` (scripts/stack/), with TEMPORAL_ADDRESS,
# NAMESPACE and NAMESPACE_RETENTION in the environment and the Temporal CLI on PATH.
set -eu
: "${TEMPORAL_ADDRESS:?}" "${NAMESPACE:=default}" "${NAMESPACE_RETENTION:=30d}"
export TEMPORAL_ADDRESS
temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$NAMESPACE_RETENTION"
existing=$(temporal operator search-attribute list --namespace "$NAMESPACE")
add() { echo "$existing" | grep -qw "$1" || temporal operator search-attribute create --namespace "$NAMESPACE" --name "$1" --type "$2"; }
add Tenant Keyword
add FortnoxOrderNumber Keyword
add WmsOrderId Keyword
add OrderStage Keyword
add NeedsAttention Bool
echo "namespace $NAMESPACE and search attributes ready"
