import type { AdvisoryDoc } from './db/store.js';
import type { OsvSeverity } from './osv/types.js';
import { assessSeverity, ratingFromWord, type SeverityVerdict } from './severity.js';
import type { VendorRating } from './vendor-severity.js';

/** What one matched (advisory, affected package) offers to rate it. */
export interface SeverityInputs {
  /** the affected package's CVSS vectors, else the record's (`severity[]`) */
  readonly vectors: readonly OsvSeverity[];
  /** the distribution's own ratings of the affected package */
  readonly vendor: readonly VendorRating[];
  /** the database's own rating of the record (GHSA `database_specific.severity`) */
  readonly databaseSeverity?: string | undefined;
  /** the records that share an id with this one (aliases, upstream), read only when needed */
  readonly related: () => readonly AdvisoryDoc[];
}

export interface RatedSeverity extends SeverityVerdict {
  /** the distribution rating used, when `source` is `vendor` */
  readonly vendor?: VendorRating;
}

/** GHSA (reviewed, per package) first, then CVE records (NVD's vector), then the rest; by id. */
function aliasPreference(id: string): number {
  if (id.startsWith('GHSA-')) return 0;
  if (id.startsWith('CVE-')) return 1;
  return 2;
}

/**
 * A finding's severity, from the first of these that gives one (`source` says which):
 * 1. the record's own CVSS (`cvss_v3.1`, `cvss_v4.0`...: the affected package's vectors, else the record's);
 * 2. the distribution's own rating (`vendor`: a typed rating in `severity[]` such as Ubuntu's, Red Hat's or
 *    SUSE's `severity`, Debian's `urgency`, a USN's Ubuntu priority), then the database's own word for the
 *    record (`database`: GHSA `database_specific.severity`);
 * 3. the CVSS of a record in the database that shares an alias or upstream id (`alias:GHSA-...`: GHSA
 *    records first, then CVE records, then the others, by id) — Go standard-library advisories carry no
 *    CVSS, the GHSA, Ubuntu or SUSE record of the same CVE often does;
 * 4. else UNKNOWN (`none`).
 */
export function rateSeverity(inputs: SeverityInputs): RatedSeverity {
  const own = assessSeverity(inputs.vectors.filter((s) => s.type.startsWith('CVSS_')));
  if (own.severity !== 'UNKNOWN') return own;
  const typed: VendorRating[] = inputs.vectors
    .filter((s) => !s.type.startsWith('CVSS_'))
    .map((s) => ({ word: s.score, field: `severity[type=${s.type}]` }));
  for (const v of [...typed, ...inputs.vendor]) {
    const severity = ratingFromWord(v.word);
    if (severity) return { severity, source: 'vendor', cvss: [], vendor: v };
  }
  const database = ratingFromWord(inputs.databaseSeverity);
  if (database) return { severity: database, source: 'database', cvss: [] };
  const related = [...inputs.related()].sort(
    (a, b) => aliasPreference(a.id) - aliasPreference(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  for (const doc of related) {
    const verdict = assessSeverity(doc.severity.filter((s) => s.type.startsWith('CVSS_')));
    if (verdict.severity !== 'UNKNOWN') return { ...verdict, source: `alias:${doc.id}` };
  }
  return { severity: 'UNKNOWN', source: 'none', cvss: [] };
}
