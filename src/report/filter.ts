import { withSuppression } from '../core/finding/index.js';
import { compareFindings, summarize } from '../core/result.js';
import type { Severity } from '../core/severity.js';
import type { Finding, ScanResult, ScanTarget } from '../core/types.js';

export interface FindingFilter {
  /** report only these severities */
  readonly severities?: readonly Severity[];
  /** drop vulnerabilities without a fixed version */
  readonly ignoreUnfixed?: boolean;
  /** ignore-file entries and VEX statements: a suppressed finding moves to `suppressed`, with the reason */
  readonly suppressors?: readonly FindingSuppressor[];
}

/**
 * Says why a finding of the scan of `target` is suppressed (shown as `evidence.suppression`), or
 * undefined to keep it. The target scopes VEX statements to the image they speak about.
 */
export type FindingSuppressor = (
  f: Finding,
  target: ScanTarget,
) => Readonly<Record<string, unknown>> | undefined;

export function keepFinding(f: Finding, filter: FindingFilter): boolean {
  if (filter.severities && !filter.severities.includes(f.severity)) return false;
  if (filter.ignoreUnfixed && f.kind === 'vulnerability' && !f.fixedVersion) return false;
  return true;
}

function suppression(
  f: Finding,
  target: ScanTarget,
  filter: FindingFilter,
): Readonly<Record<string, unknown>> | undefined {
  for (const s of filter.suppressors ?? []) {
    const why = s(f, target);
    if (why) return why;
  }
  return undefined;
}

/**
 * The same result with only the findings the user asked to see, and the summary recounted; findings an
 * ignore file or VEX statement suppresses are listed under `suppressed` with their reason.
 */
export function filterResult(result: ScanResult, filter: FindingFilter): ScanResult {
  const findings: Finding[] = [];
  const suppressed: Finding[] = [...(result.suppressed ?? [])];
  for (const f of result.findings) {
    if (!keepFinding(f, filter)) continue;
    const why = suppression(f, result.target, filter);
    if (why) suppressed.push(withSuppression(f, why));
    else findings.push(f);
  }
  return {
    ...result,
    findings,
    summary: summarize(findings),
    ...(suppressed.length ? { suppressed: suppressed.sort(compareFindings) } : {}),
  };
}
