// Patch ids on both sides: the ones the workflow code asks about (patched('id') / deprecatePatch('id')) and the ones a
// recorded history's markers say a run took.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every patch id named in the .ts files of a folder and its subfolders (the order workflow lives in workflows/order/). */
export function patchIdsIn(folder: string): string[] {
  const ids = new Set<string>();
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    for (const match of readFileSync(join(folder, file), 'utf8').matchAll(
      /\b(?:patched|deprecatePatch)\(\s*'([^']+)'\s*\)/g,
    ))
      ids.add(match[1]!);
  }
  return [...ids].sort();
}

interface HistoryJson {
  events: Array<{
    markerRecordedEventAttributes?: {
      markerName?: string;
      details?: Record<string, { payloads?: Array<{ data?: string }> }>;
    };
  }>;
}

/** The patch ids whose markers a history (as `temporal workflow show --output json` writes it) carries. */
export function patchIdsOf(history: HistoryJson): string[] {
  const ids: string[] = [];
  for (const event of history.events) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') continue;
    for (const payload of marker.details?.['patch-data']?.payloads ?? []) {
      const decoded = JSON.parse(Buffer.from(payload.data ?? '', 'base64').toString('utf8')) as { id?: string };
      if (decoded.id) ids.push(decoded.id);
    }
  }
  return ids;
}
