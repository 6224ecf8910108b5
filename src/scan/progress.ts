import type { ScanError } from '../core/index.js';

/** How a scan talks to its caller while it runs: never stdout/stderr, only these callbacks. */
export interface ProgressOptions {
  /** a progress line (the CLI writes it to stderr unless --quiet) */
  readonly onProgress?: (message: string) => void;
  /** a warning for the user, already one line (`path: message`) */
  readonly onWarning?: (message: string) => void;
  /** `--debug` lines: what the scan does (sources, layers, analyzers, database, timings), never a secret */
  readonly onDebug?: (message: string) => void;
}

export function warnAll(errors: readonly ScanError[], options: ProgressOptions): void {
  for (const e of errors) options.onWarning?.(`${e.path ? `${e.path}: ` : ''}${e.message}`);
}
