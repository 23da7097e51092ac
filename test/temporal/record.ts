// Records a finished workflow's history into test/histories when RECORD_HISTORIES=1, so the replay test keeps
// checking that today's code can still replay it. Histories are named <workflowType>.<scenario>.json and written by
// `temporal workflow show --output json`, the same format an operator exports from a production cluster, with the
// payloads opened by the harness's codec (its key lives only as long as the test), so any code can replay them.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PayloadCodec } from '@temporalio/common';
import { inject } from 'vitest';
import { payloadFromJson, payloadToJson, type JsonPayload } from '../../client/codec-server';
import { ENCRYPTED_ENCODING } from '../../client/payload-codec';
import { resolveTemporalBinary } from '../../scripts/temporal-binary';

let recordingCodec: PayloadCodec | undefined;

/** The codec whose payloads the next recordings open: the harness sets its own as it starts. */
export function recordWith(codec: PayloadCodec): void {
  recordingCodec = codec;
}

const sealedEncoding = Buffer.from(ENCRYPTED_ENCODING).toString('base64');

/** Opens every sealed payload in a history as the CLI prints it (protobuf JSON: bytes in base64). */
async function openPayloads(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map(openPayloads));
  if (!value || typeof value !== 'object') return value;
  const payload = value as JsonPayload;
  if (payload.metadata?.encoding === sealedEncoding && recordingCodec) {
    const [opened] = await recordingCodec.decode([payloadFromJson(payload)]);
    return payloadToJson(opened!);
  }
  const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await openPayloads(v)] as const));
  return Object.fromEntries(entries);
}

/** `runId`: one run of a chain (e.g. the run that continued as new); default the latest. */
export async function recordHistory(
  workflowId: string,
  workflowType: string,
  scenario: string,
  runId?: string,
): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const binary = await resolveTemporalBinary();
  if (!binary) throw new Error('Recording histories needs the Temporal CLI');
  const json = execFileSync(
    binary.path,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
      '--address',
      inject('temporalAddress'),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const opened = await openPayloads(JSON.parse(json));
  writeFileSync(
    join(import.meta.dirname, '..', 'histories', `${workflowType}.${scenario}.json`),
    `${JSON.stringify(opened, null, 2)}\n`,
  );
}
