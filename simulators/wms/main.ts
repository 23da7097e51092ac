// CLI: `npm run sandbox:wms -- --port 4020 [--host 0.0.0.0] [--seed] [--autopilot-ms 3000]` runs the WMS sandbox alone.
import { parseArgs } from 'node:util';
import { startWmsSandbox } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4020' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'boolean', default: false },
    'autopilot-ms': { type: 'string' },
    logger: { type: 'boolean', default: false },
  },
});

const autopilotMs = values['autopilot-ms'] ? Number(values['autopilot-ms']) : undefined;
const sandbox = await startWmsSandbox({
  port: Number(values.port),
  host: values.host,
  logger: values.logger,
  autopilot: autopilotMs ? { enabled: true, stepMs: autopilotMs } : undefined,
});

console.log(`WMS sandbox (Ongoing REST v1) listening on ${sandbox.url}`);
console.log(`  API:      ${sandbox.url}/${sandbox.state.warehouse}/api/v1/...`);
console.log(`  Controls: ${sandbox.url}/_sandbox/... (POST /_sandbox/goods-owners to get credentials)`);
if (values.seed) {
  const owner = sandbox.state.createGoodsOwner('Demo goods owner');
  sandbox.state.seed(owner);
  console.log(`  Demo goods owner ${owner.goodsOwnerId}: username ${owner.username}, password ${owner.password}`);
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the WMS sandbox`);
  await sandbox.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
