import type { ScanResult } from '../core/types.js';
import type { ComplianceReport } from '../kube/index.js';

export const FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'spdx', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface WriteOptions {
  /** colours allowed (a TTY and no NO_COLOR) */
  readonly color?: boolean;
  /** the terminal's width in columns (the table fits it; default: as wide as the cells) */
  readonly width?: number;
  /** the table lists every target's packages, even without findings (`--list-all-pkgs`) */
  readonly listAllPackages?: boolean;
  /** the scanners that ran, for the HTML report's summary (`[]`: none, packages only) */
  readonly scanners?: readonly string[];
  /** the HTML report also shows and embeds `metadata` (strata verify: the per-signature results) */
  readonly details?: boolean;
  /** `strata config --compliance`: the HTML report shows the control summary too */
  readonly compliance?: ComplianceReport;
}

/** One writer per format: a result in, the document's text out. */
export type ReportWriter = (result: ScanResult, options: WriteOptions) => string;
