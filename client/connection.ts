// Connects to Temporal from the environment's settings: the embedded dev server, a self-hosted cluster (mTLS) or
// Temporal Cloud (API key). The API key and TLS keys are read here and nowhere else.
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { EnvConfig } from '../config';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
}

export function temporalTarget(env: EnvConfig, address: string): TemporalTarget {
  const mtls =
    env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
      ? { crt: readFileSync(env.TEMPORAL_TLS_CERT), key: readFileSync(env.TEMPORAL_TLS_KEY) }
      : undefined;
  const ca = env.TEMPORAL_TLS_CA ? readFileSync(env.TEMPORAL_TLS_CA) : undefined;
  // An API key (Temporal Cloud) implies TLS.
  const useTls = env.TEMPORAL_TLS || Boolean(mtls) || Boolean(env.TEMPORAL_API_KEY);
  return {
    address,
    namespace: env.TEMPORAL_NAMESPACE,
    tls: useTls ? { clientCertPair: mtls, serverRootCACertificate: ca } : undefined,
    apiKey: env.TEMPORAL_API_KEY,
  };
}

export async function connectClient(target: TemporalTarget): Promise<Client> {
  const connection = await Connection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
  return new Client({ connection, namespace: target.namespace });
}

export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  const options: NativeConnectionOptions = { address: target.address, tls: target.tls, apiKey: target.apiKey };
  return NativeConnection.connect(options);
}
