// CLI entry: `npm run sandbox:fortnox -- --port <p> [--host h] [--no-rate-limit] [--token-ttl s] [--seed]`.
import { parseArgs } from 'node:util';
import { startFortnoxSandbox } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-rate-limit': { type: 'boolean', default: false },
    'token-ttl': { type: 'string' },
    logger: { type: 'boolean', default: false },
  },
});

const sandbox = await startFortnoxSandbox({
  port: Number(values.port),
  host: values.host,
  rateLimit: values['no-rate-limit'] ? false : undefined,
  accessTokenTtlSeconds: values['token-ttl'] ? Number(values['token-ttl']) : undefined,
  logger: values.logger,
});

console.log(`Fortnox sandbox listening on ${sandbox.url}`);
console.log(`  REST v3:   ${sandbox.url}/3/...`);
console.log(`  Lager:     ${sandbox.url}/api/warehouse/...`);
console.log(`  OAuth:     ${sandbox.url}/oauth-v1/token`);
console.log(`  Controls:  ${sandbox.url}/_sandbox/... (POST /_sandbox/tenants {"lager": true} to begin)`);

const stop = (): void => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
