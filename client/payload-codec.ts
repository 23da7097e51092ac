// Encrypts every payload Temporal stores (activity inputs and results, workflow state carried through continue-as-new,
// query answers, signals) with AES-256-GCM, so customers' names, addresses, phone numbers and e-mail addresses never
// sit in plain text in histories. Each payload names the key that sealed it; a process holds several keys so that a
// key can be rotated (new payloads use the current key, old ones still open with theirs). Payloads written before the
// codec existed, without the encrypted encoding, pass through unchanged.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import proto from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface CodecKeys {
  /** The key new payloads are sealed with. */
  current: string;
  /** Every key this process can open payloads with, by id (the current one included): 32 bytes each. */
  keys: ReadonlyMap<string, Buffer>;
}

/** A payload this process cannot open: its key is missing, or it is not the key it was sealed with. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export class EncryptionCodec implements PayloadCodec {
  private readonly current: { id: string; key: Buffer };

  constructor(private readonly keys: CodecKeys) {
    const key = keys.keys.get(keys.current);
    if (!key) throw new Error(`the current codec key "${keys.current}" is not among the keys`);
    for (const [id, candidate] of keys.keys) {
      if (candidate.length !== KEY_BYTES) throw new Error(`codec key "${id}" has ${candidate.length} bytes, not 32`);
    }
    this.current = { id: keys.current, key };
  }

  // A refusal rejects the promise (the executor turns the throw into a rejection), as the SDK expects of a codec.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.seal(payload))));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return new Promise((resolve) => resolve(payloads.map((payload) => this.open(payload))));
  }

  private seal(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const plain = proto.temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encode(this.current.id) },
      data: sealed,
    };
  }

  private open(payload: Payload): Payload {
    const encoding = payload.metadata?.encoding;
    if (!encoding || decode(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const id = idBytes ? decode(idBytes) : '';
    const key = this.keys.keys.get(id);
    if (!key) {
      throw new PayloadDecryptionError(
        `payload sealed with codec key "${id}", which this process does not hold (it holds: ${[...this.keys.keys.keys()].join(', ')})`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`payload sealed with codec key "${id}" is truncated (${data.length} bytes)`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(
        `payload sealed with codec key "${id}" does not open with the key of that id held here: the key was replaced ` +
          'under the same id, or the payload was altered',
      );
    }
    return proto.temporal.api.common.v1.Payload.decode(plain);
  }
}
