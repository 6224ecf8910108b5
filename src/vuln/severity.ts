import cvss from 'ae-cvss-calculator';
import type { CvssRating } from '../core/finding/index.js';
import type { Severity } from '../core/severity.js';
import type { OsvSeverity } from './osv/types.js';

/** One scored CVSS vector, as findings show it in their evidence (`evidence.cvss[]`). */
export type CvssScore = CvssRating;

export interface SeverityVerdict {
  readonly severity: Severity;
  /** where the rating came from: `cvss_v3.1`, `cvss_v4.0`, `cvss_v2.0`, `database`, `distro`, or `none` */
  readonly source: string;
  readonly cvss: readonly CvssScore[];
}

/** FIRST's qualitative ratings: v3.x and v4.0 share them; v2.0 has no Critical band. */
export function ratingFor(version: CvssScore['version'], score: number): Severity {
  if (version === '2.0') return score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : score > 0 ? 'LOW' : 'UNKNOWN';
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return score > 0 ? 'LOW' : 'UNKNOWN';
}

const BASE_METRICS: Record<CvssScore['version'], readonly string[]> = {
  '2.0': ['AV', 'AC', 'Au', 'C', 'I', 'A'],
  '3.0': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

/** Every base metric present exactly once, each as METRIC:VALUE. */
function hasBaseMetrics(version: CvssScore['version'], vector: string): boolean {
  const parts = vector.replace(/^CVSS:[0-9.]+\//, '').split('/');
  const keys = parts.map((p) => /^([A-Za-z]+):([A-Za-z]+)$/.exec(p)?.[1]);
  if (keys.some((k) => k === undefined)) return false;
  return BASE_METRICS[version].every((m) => keys.filter((k) => k === m).length === 1);
}

const scored = new Map<string, CvssScore | undefined>();

/** Scores one vector with ae-cvss-calculator (memoised); undefined when the vector does not parse. */
export function scoreVector(vector: string): CvssScore | undefined {
  if (scored.has(vector)) return scored.get(vector);
  const result = computeScore(vector);
  if (scored.size > 10_000) scored.clear();
  scored.set(vector, result);
  return result;
}

function computeScore(vector: string): CvssScore | undefined {
  const v = vector.trim();
  try {
    let version: CvssScore['version'];
    let calc: { calculateScores(): { base?: number; overall?: number } };
    if (v.startsWith('CVSS:4.0/')) {
      version = '4.0';
      calc = new cvss.Cvss4P0(v);
    } else if (v.startsWith('CVSS:3.1/')) {
      version = '3.1';
      calc = new cvss.Cvss3P1(v);
    } else if (v.startsWith('CVSS:3.0/')) {
      version = '3.0';
      calc = new cvss.Cvss3P0(v);
    } else if (/^(\(?AV:[LAN]\/AC:[HML]\/Au:[MSN]\/C:[NPC]\/I:[NPC]\/A:[NPC])/.test(v)) {
      version = '2.0';
      calc = new cvss.Cvss2(v.replace(/^\(|\)$/g, ''));
    } else return undefined;
    if (!hasBaseMetrics(version, v.replace(/^\(|\)$/g, ''))) return undefined;
    const s = calc.calculateScores();
    const score = s.base ?? s.overall;
    if (typeof score !== 'number' || Number.isNaN(score)) return undefined;
    return { version, vector: v, score, severity: ratingFor(version, score) };
  } catch {
    return undefined;
  }
}

const WORDS: Record<string, Severity> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  important: 'HIGH',
  moderate: 'MEDIUM',
  medium: 'MEDIUM',
  low: 'LOW',
  negligible: 'LOW',
  unimportant: 'LOW',
};

/** A distro's or database's word (GHSA MODERATE, Ubuntu medium, Red Hat Important, Debian urgency). */
export function ratingFromWord(word: unknown): Severity | undefined {
  if (typeof word !== 'string') return undefined;
  return WORDS[word.trim().toLowerCase().replace(/\*+$/, '')];
}

// Preference when several vectors exist: v3.1/v3.0 (what NVD and most feeds rate by), then v4.0, then v2.
const PREFERENCE: readonly CvssScore['version'][] = ['3.1', '3.0', '4.0', '2.0'];

/**
 * The severity of one affected package: from its CVSS vectors (package-level first, else the record's),
 * else from a rating word the database or distro gives, else UNKNOWN.
 */
export function assessSeverity(
  vectors: readonly OsvSeverity[],
  words: readonly unknown[] = [],
): SeverityVerdict {
  const scored = vectors
    .filter((s) => s.type.startsWith('CVSS_'))
    .map((s) => scoreVector(s.score))
    .filter((s): s is CvssScore => s !== undefined)
    .sort((a, b) => PREFERENCE.indexOf(a.version) - PREFERENCE.indexOf(b.version) || b.score - a.score);
  const best = scored[0];
  if (best) return { severity: best.severity, source: `cvss_v${best.version}`, cvss: scored };
  for (const s of vectors) {
    const r = ratingFromWord(s.score);
    if (r) return { severity: r, source: s.type.toLowerCase(), cvss: [] };
  }
  for (const w of words) {
    const r = ratingFromWord(w);
    if (r) return { severity: r, source: 'database', cvss: [] };
  }
  return { severity: 'UNKNOWN', source: 'none', cvss: [] };
}
