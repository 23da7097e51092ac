// The standalone codec server (`npm run codec-server`) for a Web UI in front of a cluster or Temporal Cloud: point the
// UI's codec endpoint at https://<host>/codec (with "pass access token" off) and give operators the token, or put it
// behind the same sign-in as the UI. It holds the codec keys; nothing else about the integration.
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../config/logger';
import { payloadCodecFor } from './connection';
import { buildCodecServer } from './codec-server';

async function main(): Promise<void> {
  const { env, dataDir } = loadConfig();
  const logger = createLogger(env.LOG_LEVEL).child({ component: 'codec-server' });
  const problems = [
    ...(env.CODEC_SERVER_TOKEN ? [] : ['CODEC_SERVER_TOKEN: expected the token callers must present (16+ characters)']),
    ...(env.CODEC_SERVER_ALLOWED_ORIGINS
      ? []
      : ["CODEC_SERVER_ALLOWED_ORIGINS: expected the Web UI's origin, e.g. https://temporal.example.com"]),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  const server = buildCodecServer({
    codec: payloadCodecFor(env, dataDir),
    token: env.CODEC_SERVER_TOKEN!,
    allowedOrigins: env.CODEC_SERVER_ALLOWED_ORIGINS!.split(',').map((origin) => origin.trim()),
    logger,
  });
  await server.listen({ port: env.CODEC_SERVER_PORT, host: '0.0.0.0' });
  logger.info({ port: env.CODEC_SERVER_PORT }, 'codec server ready');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
