import { redactUrl, sanitize } from '../../transport/index.js';
import { VulnError } from '../errors.js';
import type { ImportCounts } from './import.js';

/** What importing one downloaded export did to the (temporary) database. */
export interface ExportOutcome {
  readonly ecosystem: string;
  readonly url: string;
  readonly counts: ImportCounts;
  /** advisories of this export's origin that are still there */
  readonly kept: number;
  /** advisories of this origin the export no longer lists (pruned) */
  readonly removed: number;
}

/** Removing fewer than this many advisories is never called a collapse (small ecosystems churn). */
const MIN_COLLAPSE = 10;

/**
 * Why an export must not replace what the database had, or undefined when it may. An export with
 * no valid record, one that is mostly bad records, or one whose prune would remove more
 * advisories than it keeps is a broken mirror or a truncated download, not a real update.
 */
export function exportProblem(o: ExportOutcome): string | undefined {
  const c = o.counts;
  const valid = c.imported + c.replaced + c.skipped + c.withdrawn;
  const first = c.badRecords[0];
  const example = first ? ` (first: ${sanitize(`${first.source}: ${first.message}`, 160)})` : '';
  if (valid === 0 && (c.bad > 0 || o.removed > 0)) {
    return `no valid record in the export, ${c.bad} bad${example}`;
  }
  if (c.bad > valid) return `${c.bad} of ${c.bad + valid} records are bad${example}`;
  if (o.removed >= MIN_COLLAPSE && o.removed > o.kept) {
    return `it would remove ${o.removed} advisories and keep ${o.kept} (a truncated export?)`;
  }
  return undefined;
}

/** Throws EXPORT_REJECTED (exit 2) when an export would make the database worse. */
export function assertExportAcceptable(o: ExportOutcome): void {
  const problem = exportProblem(o);
  if (problem === undefined) return;
  throw new VulnError(
    'EXPORT_REJECTED',
    `${o.ecosystem}: refused the export from ${redactUrl(o.url)}: ${problem}; the database was not changed`,
  );
}
