// A Fortnox user at work in the web UI during the soak: changes an order's quantity or cancels it. UI edits do not
// count against the API's rate limit and are not hit by API faults, so they go straight into the sandbox's state,
// with what the API's own PUT would also do (new RowIds, a new modification time the order sync lists by, and under
// Lager the order's reservation moved or voided).
import type { Rig } from '../bench/rig';
import { cancelOrderState, syncWarehouse, touchOrder } from '../simulators/fortnox/rest/orders';

function editableOrder(rig: Rig, documentNumber: string) {
  const order = rig.fortnoxTenant.orders.get(Number(documentNumber));
  if (!order || order.Cancelled || order.InvoiceReference) return undefined;
  return order;
}

/** Adds `delta` to the first row's ordered quantity; false if the order can no longer be changed. */
export function changeQuantity(rig: Rig, documentNumber: string, delta: number): boolean {
  const order = editableOrder(rig, documentNumber);
  const row = order?.OrderRows[0];
  if (!order || !row) return false;
  row.OrderedQuantity += delta;
  for (const r of order.OrderRows) r.RowId = ++rig.fortnoxTenant.counters.rowId;
  syncWarehouse(rig.fortnoxTenant, order);
  touchOrder(rig.fortnoxTenant, order, rig.fortnox.state.clock.nowMs());
  return true;
}

export function cancelOrder(rig: Rig, documentNumber: string): boolean {
  const order = editableOrder(rig, documentNumber);
  if (!order) return false;
  cancelOrderState(rig.fortnoxTenant, order, rig.fortnox.state.clock.nowMs());
  return true;
}
