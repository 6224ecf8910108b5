import type { Severity } from '../core/severity.js';
import type { OsvAffected } from './osv/types.js';
import { ratingFromWord } from './severity.js';

/** A distribution's own rating of an affected package, and the OSV field it was read from. */
export interface VendorRating {
  readonly word: string;
  readonly field: string;
}

const RANK: Readonly<Record<Severity, number>> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 0 };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Ubuntu USNs rate each CVE they fix in `database_specific.cves_map.cves[].severity[]` (an entry of
 * type `Ubuntu`, the Ubuntu priority): the notice's rating is the highest of its CVEs'.
 */
function ubuntuPriority(databaseSpecific: Readonly<Record<string, unknown>> | undefined): VendorRating[] {
  const cves = isRecord(databaseSpecific?.cves_map) ? databaseSpecific.cves_map.cves : undefined;
  if (!Array.isArray(cves)) return [];
  let best: { word: string; rank: number; cve: string } | undefined;
  for (const cve of cves) {
    if (!isRecord(cve) || !Array.isArray(cve.severity)) continue;
    for (const s of cve.severity) {
      if (!isRecord(s) || s.type !== 'Ubuntu' || typeof s.score !== 'string') continue;
      const rating = ratingFromWord(s.score);
      if (rating && (!best || RANK[rating] > best.rank))
        best = { word: s.score, rank: RANK[rating], cve: String(cve.id ?? '') };
    }
  }
  return best ? [{ word: best.word, field: `database_specific.cves_map (${best.cve})` }] : [];
}

/**
 * The ratings a distribution gives one affected package, in the order they are trusted: its own
 * `ecosystem_specific.severity` / `database_specific.severity` (Red Hat, SUSE, AlmaLinux, Rocky),
 * Debian's `ecosystem_specific.urgency`, the Ubuntu priority of a USN's CVEs. Words that rate
 * nothing (Debian's "not yet assigned") are left out.
 */
export function vendorRatings(a: OsvAffected): VendorRating[] {
  const out: VendorRating[] = [];
  const add = (word: unknown, field: string): void => {
    if (typeof word === 'string' && ratingFromWord(word)) out.push({ word, field });
  };
  add(a.ecosystemSpecific?.severity, 'ecosystem_specific.severity');
  add(a.databaseSpecific?.severity, 'database_specific.severity');
  add(a.ecosystemSpecific?.urgency, 'ecosystem_specific.urgency');
  out.push(...ubuntuPriority(a.databaseSpecific));
  return out;
}
