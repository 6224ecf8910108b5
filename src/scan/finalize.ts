import type { ScanResult, Severity } from '../core/index.js';
import { filterResult } from '../report/index.js';
import { loadSuppressors, type Suppressor } from '../vuln/index.js';

export interface SuppressionOptions {
  /** an ignore file (default: `.strataignore`, else `.trivyignore`, in the working directory when present) */
  readonly ignorefile?: string;
  /** OpenVEX documents */
  readonly vex?: string | readonly string[];
  /** the clock (expiry of ignore entries) */
  readonly now?: Date;
}

/** The ignore file and VEX documents, read and validated: load them before scanning, apply them in finalizeResult. */
export interface Suppression {
  readonly suppressors: readonly Suppressor[];
  /** for the user: expired ignore entries and the like */
  readonly warnings: readonly string[];
  /** the ignore file read (named or found in the working directory) and its number of entries */
  readonly ignorefile?: { readonly file: string; readonly entries: number };
}

/**
 * Reads and validates `--ignorefile` and `--vex` once. Every front end calls it before any scanning,
 * so a bad file is one error at once rather than after a long scan.
 */
export function loadSuppression(options: SuppressionOptions = {}): Suppression {
  return loadSuppressors({
    ...(options.ignorefile !== undefined ? { ignorefile: options.ignorefile } : {}),
    ...(options.vex !== undefined ? { vex: options.vex } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

export interface FinalizeOptions extends SuppressionOptions {
  /** report only these severities */
  readonly severities?: readonly Severity[];
  /** drop vulnerabilities without a fixed version */
  readonly ignoreUnfixed?: boolean;
  /** suppressors loaded before the scan (`loadSuppression`); when given, `ignorefile`/`vex`/`now` are not read */
  readonly suppression?: Suppression;
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
  const { suppressors, warnings } = options.suppression ?? loadSuppression(options);
  const shown = filterResult(result, {
    ...(options.severities ? { severities: options.severities } : {}),
    ...(options.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
    suppressors,
  });
  return { shown, gated: shown.findings.length > 0, warnings };
}
