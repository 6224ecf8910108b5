import type { Finding } from './types.js';
import type { CvssRating } from './vulnerability.js';

/**
 * The CVSS rating a finding's severity came from: the first scored vector of a vulnerability
 * rated by CVSS (`severitySource` `cvss_v*`, or `alias:ID` for the CVSS of an aliased record);
 * undefined for distro or database ratings and for every other kind.
 */
export function severityRating(f: Finding): CvssRating | undefined {
  if (f.kind !== 'vulnerability') return undefined;
  const { severitySource, cvss } = f.evidence;
  const byCvss =
    typeof severitySource === 'string' &&
    (severitySource.startsWith('cvss_') || severitySource.startsWith('alias:'));
  return byCvss ? cvss?.[0] : undefined;
}
