import type { ScanResult } from '../core/types.js';

export const FORMATS = ['table', 'json', 'sarif', 'cyclonedx', 'spdx', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface WriteOptions {
  /** colours allowed (a TTY and no NO_COLOR) */
  readonly color?: boolean;
  /** the terminal's width in columns (the table fits it; default: as wide as the cells) */
  readonly width?: number;
  /** the table lists every target's packages, even without findings (`--list-all-pkgs`) */
  readonly listAllPackages?: boolean;
}

/** One writer per format: a result in, the document's text out. */
export type ReportWriter = (result: ScanResult, options: WriteOptions) => string;
