import { LANGUAGE_ANALYZERS } from './lang/index.js';
import { apkAnalyzer } from './os/apk/index.js';
import { dpkgAnalyzer } from './os/dpkg/index.js';
import { osReleaseAnalyzer } from './os/release/index.js';
import { rpmAnalyzer } from './os/rpm/index.js';
import { createSecretAnalyzer } from './secret/index.js';
import type { Analyzer } from './types.js';

/** Scanner groups, as `--scanners` names them. */
export type AnalyzerGroup = 'os' | 'lang' | 'secret';

export interface RegisteredAnalyzer {
  readonly group: AnalyzerGroup;
  readonly analyzer: Analyzer;
}

/** Every analyzer Strata has, in one explicit list (no import side effects). */
export const ANALYZERS: readonly RegisteredAnalyzer[] = [
  { group: 'os', analyzer: osReleaseAnalyzer },
  { group: 'os', analyzer: dpkgAnalyzer },
  { group: 'os', analyzer: apkAnalyzer },
  { group: 'os', analyzer: rpmAnalyzer },
  ...LANGUAGE_ANALYZERS.map((analyzer) => ({ group: 'lang' as const, analyzer })),
  { group: 'secret', analyzer: createSecretAnalyzer() },
];

export function analyzersFor(groups: readonly AnalyzerGroup[]): Analyzer[] {
  return ANALYZERS.filter((a) => groups.includes(a.group)).map((a) => a.analyzer);
}
