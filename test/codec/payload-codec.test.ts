// The payload codec: sealed payloads carry no plain text, name their key, open after a rotation, and a wrong or
// missing key is a clear error, never garbage. Keys come from CODEC_KEYS, a file, or a file made once.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { loadCodecKeys, newCodecKeyEntry, parseCodecKeys } from '../../client/codec-keys';
import { EncryptionCodec, KEY_ID_METADATA, PayloadDecryptionError } from '../../client/payload-codec';
import { ConfigError, loadEnv } from '../../config';

const customer = { Name: 'Astrid Lindqvist', Address1: 'Storgatan 12', Email: 'astrid@example.se' };
const toPayload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const codecOf = (text: string) => new EncryptionCodec(parseCodecKeys(text, 'test'));

describe('the payload codec', () => {
  it('seals a payload so that nothing of it reads in plain text, and opens it to the same value', async () => {
    const codec = codecOf(newCodecKeyEntry());
    const [sealed] = await codec.encode([toPayload(customer)]);
    const bytes = Buffer.from(sealed!.data!).toString('latin1');
    for (const text of Object.values(customer)) expect(bytes).not.toContain(text);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(customer);
    // The same value sealed twice differs (a fresh IV each time).
    const [again] = await codec.encode([toPayload(customer)]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
  });

  it('opens payloads sealed with an older key after a rotation, and seals new ones with the new key', async () => {
    const old = newCodecKeyEntry();
    const [sealedBefore] = await codecOf(old).encode([toPayload(customer)]);
    const fresh = newCodecKeyEntry();
    const rotated = codecOf(`${fresh},${old}`);
    const [opened] = await rotated.decode([sealedBefore!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(customer);
    const [sealedAfter] = await rotated.encode([toPayload(customer)]);
    const idOf = (p: typeof sealedAfter) => Buffer.from(p!.metadata![KEY_ID_METADATA]!).toString();
    expect(idOf(sealedBefore)).toBe(old.split(':')[0]);
    expect(idOf(sealedAfter)).toBe(fresh.split(':')[0]);
  });

  it('refuses with a clear error a payload whose key it lacks, or whose key id now names another key', async () => {
    const entry = newCodecKeyEntry();
    const [sealed] = await codecOf(entry).encode([toPayload(customer)]);
    const id = entry.slice(0, entry.indexOf(':'));
    await expect(codecOf(newCodecKeyEntry()).decode([sealed!])).rejects.toThrow(
      new RegExp(`sealed with codec key "${id}", which this process does not hold`),
    );
    const sameIdOtherKey = `${id}:${newCodecKeyEntry().split(':')[1]}`;
    const refused = codecOf(sameIdOtherKey).decode([sealed!]);
    await expect(refused).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(refused).rejects.toThrow(/does not open with the key of that id held here/);
    // Altered bytes are refused too, not decoded into something else.
    const tampered = { ...sealed!, data: Buffer.from(sealed!.data!).fill(0, 20, 21) };
    await expect(codecOf(entry).decode([tampered])).rejects.toBeInstanceOf(PayloadDecryptionError);
  });

  it('passes through payloads written before the codec, so older histories still replay', async () => {
    const plain = toPayload({ orderNumber: '1042' });
    const [opened] = await codecOf(newCodecKeyEntry()).decode([plain]);
    expect(opened).toBe(plain);
  });
});

describe('codec keys', () => {
  it('are read from CODEC_KEYS, the first entry current; a malformed entry is refused without showing the key', () => {
    const current = newCodecKeyEntry();
    const keys = parseCodecKeys(`${current}, ${newCodecKeyEntry()}`, 'CODEC_KEYS');
    expect(keys.current).toBe(current.split(':')[0]);
    expect(keys.keys.size).toBe(2);
    expect(() => parseCodecKeys('k1:c2hvcnQ=', 'CODEC_KEYS')).toThrow(/key "k1" has 5 bytes, expected 32/);
    expect(() => loadEnv({ CODEC_KEYS: 'k1:c2hvcnQ=' })).toThrow(ConfigError);
    try {
      loadEnv({ CODEC_KEYS: 'k1:c2hvcnQ=' });
    } catch (err) {
      expect((err as Error).message).toMatch(/CODEC_KEYS: .*32.*\(got \(hidden\)\)/);
      expect((err as Error).message).not.toContain('c2hvcnQ=');
    }
  });

  it('are read from CODEC_KEYS_FILE when CODEC_KEYS is unset, comments allowed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codec-keys-'));
    const file = join(dir, 'keys');
    const entry = newCodecKeyEntry();
    writeFileSync(file, `# rotated 2026-12\n${entry}\n`);
    const loaded = loadCodecKeys({ CODEC_KEYS_FILE: file }, dir);
    expect(loaded.keys.current).toBe(entry.split(':')[0]);
    expect(loaded.source).toBe(file);
    expect(() => loadCodecKeys({ CODEC_KEYS_FILE: join(dir, 'missing') }, dir)).toThrow(/cannot read/);
  });

  it('are made once in the data directory when none is configured, readable by the owner only, then reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codec-keys-'));
    const first = loadCodecKeys({}, dir);
    expect(first.generated).toBe(true);
    const file = join(dir, 'codec-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadCodecKeys({}, dir);
    expect(second.generated).toBe(false);
    expect(second.keys.current).toBe(first.keys.current);
    expect(readFileSync(file, 'utf8')).toContain(first.keys.current);
  });
});
