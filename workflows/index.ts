// Every workflow the worker runs. The worker bundles this file; clients import the definitions from here.
export { orderWorkflow } from './order';
export { syncOrdersWorkflow } from './sync-orders';
