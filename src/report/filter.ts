import { summarize } from '../core/result.js';
import type { Severity } from '../core/severity.js';
import type { Finding, ScanResult } from '../core/types.js';

export interface FindingFilter {
  /** report only these severities */
  readonly severities?: readonly Severity[];
  /** drop vulnerabilities without a fixed version */
  readonly ignoreUnfixed?: boolean;
}

export function keepFinding(f: Finding, filter: FindingFilter): boolean {
  if (filter.severities && !filter.severities.includes(f.severity)) return false;
  if (filter.ignoreUnfixed && f.kind === 'vulnerability' && !f.fixedVersion) return false;
  return true;
}

/** The same result with only the findings the user asked to see, and the summary recounted. */
export function filterResult(result: ScanResult, filter: FindingFilter): ScanResult {
  const findings = result.findings.filter((f) => keepFinding(f, filter));
  return { ...result, findings, summary: summarize(findings) };
}
