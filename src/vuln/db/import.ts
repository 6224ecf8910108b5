import { BadRecordError, parseOsvRecord } from '../osv/parse.js';
import type { OsvRecord } from '../osv/types.js';
import { recordSources } from './sources.js';
import { META_IMPORTED_AT } from './status.js';
import type { AdvisoryDb } from './store.js';

export interface BadRecord {
  readonly source: string;
  readonly message: string;
}

export interface ImportCounts {
  imported: number;
  replaced: number;
  skipped: number;
  withdrawn: number;
  bad: number;
  /** the first bad records (at most MAX_BAD_LISTED), each with the field at fault */
  badRecords: BadRecord[];
}

export interface ImportOptions {
  /** tags the records (used by `db update` to drop advisories a complete export no longer lists) */
  readonly origin?: string;
  /** collects the ids seen (for pruning) */
  readonly seen?: Set<string>;
}

export type ImportProgress = (counts: Readonly<ImportCounts>, source: string) => void;

export const MAX_BAD_LISTED = 100;
const BATCH = 2000;

export function emptyCounts(): ImportCounts {
  return { imported: 0, replaced: 0, skipped: 0, withdrawn: 0, bad: 0, badRecords: [] };
}

function addBad(counts: ImportCounts, source: string, message: string): void {
  counts.bad++;
  if (counts.badRecords.length < MAX_BAD_LISTED) counts.badRecords.push({ source, message });
}

/**
 * Imports OSV records from zip exports, `.json` files and directories into the database:
 * streamed one record at a time, validated, idempotent (same or older `modified` is skipped),
 * newer records replace older ones, withdrawn records stop matching. Bad records are counted, not fatal.
 */
export async function importOsv(
  db: AdvisoryDb,
  paths: readonly string[],
  onProgress?: ImportProgress,
  options: ImportOptions = {},
): Promise<ImportCounts> {
  const counts = emptyCounts();
  let batch: OsvRecord[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    db.transaction(() => {
      for (const r of records) counts[db.upsert(r, options.origin)]++;
    });
  };
  let lastSource = '';
  for await (const item of recordSources(paths)) {
    lastSource = item.source;
    if ('error' in item) {
      addBad(counts, item.source, item.error);
      continue;
    }
    let record: OsvRecord;
    try {
      record = parseOsvRecord(JSON.parse(item.bytes.toString('utf8')));
    } catch (err) {
      const message = err instanceof BadRecordError || err instanceof SyntaxError ? err.message : String(err);
      addBad(counts, item.source, err instanceof SyntaxError ? `invalid JSON: ${message}` : message);
      continue;
    }
    options.seen?.add(record.id);
    batch.push(record);
    if (batch.length >= BATCH) {
      flush();
      onProgress?.(counts, item.source);
    }
  }
  flush();
  db.setMeta(META_IMPORTED_AT, new Date().toISOString());
  onProgress?.(counts, lastSource);
  return counts;
}
