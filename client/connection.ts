// Connects to Temporal from the environment's settings: the embedded dev server, a self-hosted cluster (mTLS) or
// Temporal Cloud (API key). The API key, TLS keys and codec keys are read here and nowhere else.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { EnvConfig } from '../config';
import { loadCodecKeys, type CodecKeySettings } from './codec-keys';
import { EncryptionCodec } from './payload-codec';

export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
  /** Seals every payload this process hands Temporal and opens what it reads (client/payload-codec.ts). */
  payloadCodec: EncryptionCodec;
  /** Where the codec keys came from, for a log line. */
  codecKeysSource: string;
}

/**
 * The codec of a process configured by `settings` (CODEC_KEYS, CODEC_KEYS_FILE) with `dataDir` as its data directory,
 * and where its keys came from.
 */
function codecWithSource(settings: CodecKeySettings, dataDir: string): { codec: EncryptionCodec; source: string } {
  const { keys, source } = loadCodecKeys(settings, dataDir);
  return { codec: new EncryptionCodec(keys), source };
}

export function payloadCodecFor(settings: CodecKeySettings, dataDir: string): EncryptionCodec {
  return codecWithSource(settings, dataDir).codec;
}

/** The data converter of every client and worker: Temporal's JSON payloads, sealed by the codec. */
export function dataConverterOf(payloadCodec: EncryptionCodec): DataConverter {
  return { payloadCodecs: [payloadCodec] };
}

export function temporalTarget(env: EnvConfig, address: string): TemporalTarget {
  const mtls =
    env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
      ? { crt: readFileSync(env.TEMPORAL_TLS_CERT), key: readFileSync(env.TEMPORAL_TLS_KEY) }
      : undefined;
  const ca = env.TEMPORAL_TLS_CA ? readFileSync(env.TEMPORAL_TLS_CA) : undefined;
  // An API key (Temporal Cloud) implies TLS.
  const useTls = env.TEMPORAL_TLS || Boolean(mtls) || Boolean(env.TEMPORAL_API_KEY);
  const { codec, source } = codecWithSource(env, resolve(env.DATA_DIR));
  return {
    address,
    namespace: env.TEMPORAL_NAMESPACE,
    tls: useTls ? { clientCertPair: mtls, serverRootCACertificate: ca } : undefined,
    apiKey: env.TEMPORAL_API_KEY,
    payloadCodec: codec,
    codecKeysSource: source,
  };
}

/** `identity`: who the client is in the histories it writes (default Temporal's pid@host). */
export async function connectClient(target: TemporalTarget, options: { identity?: string } = {}): Promise<Client> {
  const connection = await Connection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
  return new Client({
    connection,
    namespace: target.namespace,
    dataConverter: dataConverterOf(target.payloadCodec),
    identity: options.identity,
  });
}

export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  const options: NativeConnectionOptions = { address: target.address, tls: target.tls, apiKey: target.apiKey };
  return NativeConnection.connect(options);
}
