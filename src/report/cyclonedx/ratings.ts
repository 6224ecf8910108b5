import type { CvssVersion, VulnerabilityFinding } from '../../core/finding/index.js';
import type { CdxRating } from './types.js';

const METHOD: Record<CvssVersion, NonNullable<CdxRating['method']>> = {
  '2.0': 'CVSSv2',
  '3.0': 'CVSSv3',
  '3.1': 'CVSSv31',
  '4.0': 'CVSSv4',
};

/**
 * The ratings of one advisory: every scored CVSS vector its findings carry (the worst finding's
 * first, each once) with method, base score, vector and that score's severity; without a vector,
 * the advisory's or distro's own rating word as method `other`; with neither, the severity alone.
 */
export function cdxRatings(
  worstFirst: readonly VulnerabilityFinding[],
  source: NonNullable<CdxRating['source']>,
): CdxRating[] {
  const seen = new Set<string>();
  const out: CdxRating[] = [];
  for (const f of worstFirst) {
    for (const c of f.evidence.cvss ?? []) {
      if (seen.has(c.vector)) continue;
      seen.add(c.vector);
      out.push({
        source,
        score: c.score,
        severity: c.severity.toLowerCase(),
        method: METHOD[c.version],
        vector: c.vector,
      });
    }
  }
  if (out.length > 0) return out;
  const worst = worstFirst[0];
  if (!worst) return [];
  const severity = worst.severity.toLowerCase();
  const from = worst.evidence.severitySource;
  return from && from !== 'none' ? [{ source, severity, method: 'other' }] : [{ severity }];
}
