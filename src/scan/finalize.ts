import type { ScanResult, Severity } from '../core/index.js';
import { filterResult } from '../report/index.js';
import { loadSuppressors } from '../vuln/index.js';

export interface FinalizeOptions {
  /** report only these severities */
  readonly severities?: readonly Severity[];
  /** drop vulnerabilities without a fixed version */
  readonly ignoreUnfixed?: boolean;
  /** an ignore file (default: `.strataignore` in the working directory when present) */
  readonly ignorefile?: string;
  /** OpenVEX documents */
  readonly vex?: string | readonly string[];
  /** the clock (expiry of ignore entries) */
  readonly now?: Date;
}

export interface Finalized {
  /** the result to report: filtered, suppressed findings moved to `suppressed` */
  readonly shown: ScanResult;
  /** true when a reported finding remains: the front end fails the gate (`--exit-code`, a denial) */
  readonly gated: boolean;
  /** for the user, not the report: expired ignore entries and the like */
  readonly warnings: readonly string[];
}

/** The last step of every scan: filter, suppress (ignore file, VEX), decide the gate. */
export function finalizeResult(result: ScanResult, options: FinalizeOptions = {}): Finalized {
  const { suppressors, warnings } = loadSuppressors({
    ...(options.ignorefile !== undefined ? { ignorefile: options.ignorefile } : {}),
    ...(options.vex !== undefined ? { vex: options.vex } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const shown = filterResult(result, {
    ...(options.severities ? { severities: options.severities } : {}),
    ...(options.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
    suppressors,
  });
  return { shown, gated: shown.findings.length > 0, warnings };
}
