// Where the payload codec's keys come from: CODEC_KEYS (in the environment), else CODEC_KEYS_FILE, else a key file in
// the data directory, made on first use, for the embedded default and a single machine. Never from the repository.
// Both forms list `id:base64-key` entries (comma- or line-separated, `#` comments in the file); the first is the current
// key, the others still open the payloads they sealed, so rotation is: put a new key first, keep the old ones until
// the histories they sealed have passed retention.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_BYTES, type CodecKeys } from './payload-codec';

/** The key file made in the data directory when no key is configured. */
export const GENERATED_KEYS_FILE = 'codec-keys';

export interface CodecKeySettings {
  CODEC_KEYS?: string;
  CODEC_KEYS_FILE?: string;
}

export class CodecKeysError extends Error {
  override name = 'CodecKeysError';
}

/** Parses `id:base64` entries; `source` names where they came from in an error (never the key material). */
export function parseCodecKeys(text: string, source: string): CodecKeys {
  const entries = text
    .split('\n')
    .flatMap((line) => line.replace(/#.*/, '').split(','))
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new CodecKeysError(`${source}: expected at least one key as id:base64`);
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon).trim();
    if (colon <= 0 || !/^[\w.-]+$/.test(id)) {
      throw new CodecKeysError(`${source}: entry ${i + 1} is not id:base64 (an id of letters, digits, . _ -)`);
    }
    const key = Buffer.from(entry.slice(colon + 1).trim(), 'base64');
    if (key.length !== KEY_BYTES) {
      throw new CodecKeysError(
        `${source}: key "${id}" has ${key.length} bytes, expected ${KEY_BYTES} (openssl rand -base64 32)`,
      );
    }
    if (keys.has(id)) throw new CodecKeysError(`${source}: key id "${id}" appears twice`);
    keys.set(id, key);
  });
  return { current: [...keys.keys()][0]!, keys };
}

/** A new entry for a key file: a random 256-bit key under an id that says when it was made. */
export function newCodecKeyEntry(now = new Date()): string {
  return `${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

export interface LoadedCodecKeys {
  keys: CodecKeys;
  /** Where they came from, for a log line (a name or a path, never key material). */
  source: string;
  /** The key file was made just now. */
  generated: boolean;
}

export function loadCodecKeys(settings: CodecKeySettings, dataDir: string): LoadedCodecKeys {
  if (settings.CODEC_KEYS) {
    return { keys: parseCodecKeys(settings.CODEC_KEYS, 'CODEC_KEYS'), source: 'CODEC_KEYS', generated: false };
  }
  if (settings.CODEC_KEYS_FILE) {
    const file = settings.CODEC_KEYS_FILE;
    return { keys: parseCodecKeys(readKeyFile(file), `CODEC_KEYS_FILE ${file}`), source: file, generated: false };
  }
  const file = join(dataDir, GENERATED_KEYS_FILE);
  let generated = false;
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // Written whole, then linked into place (which fails if it exists): of several processes starting together, one
    // makes the key, and none reads a half-written file.
    const draft = `${file}.${process.pid}.draft`;
    writeFileSync(
      draft,
      `# Made on first start: every worker, receiver and CLI must hold these keys. See docs/deployment.md.\n${newCodecKeyEntry()}\n`,
      { mode: 0o600 },
    );
    try {
      linkSync(draft, file);
      generated = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(draft);
    }
  }
  return { keys: parseCodecKeys(readKeyFile(file), file), source: file, generated };
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CodecKeysError(`cannot read the codec key file ${file} (${(err as NodeJS.ErrnoException).code})`);
  }
}
