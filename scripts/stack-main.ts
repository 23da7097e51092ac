// `npm run stack`: the compose file's Temporal deployment (PostgreSQL, schema job, Temporal server, setup job), run
// natively on this host, in the foreground until Ctrl-C. Then run the product against it:
//   TEMPORAL_ADDRESS=127.0.0.1:7233 npm start      (or npm run worker / npm run receiver with a tenants file)
import { Command } from 'commander';
import { join } from 'node:path';
import { projectRoot } from './temporal-binary';
import { startStack } from './stack/stack';

const program = new Command('stack')
  .description("docker-compose.yml's PostgreSQL and Temporal server, natively")
  .option('--dir <path>', 'where PostgreSQL keeps its cluster and the logs go', join(projectRoot, '.stack'))
  .option('--postgres-port <port>', 'PostgreSQL on 127.0.0.1', '55432')
  .option('--port <port>', "the Temporal server's gRPC port on 127.0.0.1", '7233')
  .option('--namespace <name>', 'the namespace the setup job creates', 'default')
  .parse();
const options = program.opts<{ dir: string; postgresPort: string; port: string; namespace: string }>();

const log = (line: string) => console.error(`[stack] ${line}`);
const stack = await startStack({
  dir: options.dir,
  postgresPort: Number(options.postgresPort),
  ports: { FRONTEND_GRPC_PORT: Number(options.port) },
  namespace: options.namespace,
  log,
});
log(
  `ready: Temporal at ${stack.address}, namespace ${stack.namespace}, PostgreSQL on 127.0.0.1:${stack.postgres.port}`,
);
log(`run the product on it: TEMPORAL_ADDRESS=${stack.address} npm start   (Ctrl-C here stops the stack)`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log('stopping the Temporal server and PostgreSQL');
    void stack.stop().then(
      () => process.exit(0),
      (err: Error) => {
        log(err.message);
        process.exit(1);
      },
    );
  });
}
