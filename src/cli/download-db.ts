import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { MissingExport } from '../vuln/index.js';
import { DEFAULT_MIRROR } from '../vuln/light.js';

export interface DownloadDbOptions {
  downloadDb?: boolean;
  dbMirror?: string;
  db?: string;
  offline?: boolean;
  quiet?: boolean;
}

/** `--download-db` and `--db-mirror` on the scanning commands (Trivy fetches its DB on first use). */
export function addDownloadDbOptions(cmd: Command): Command {
  return cmd
    .option(
      '--download-db',
      'when no advisory database exists yet, download it first (as "strata db update")',
    )
    .option(
      '--db-mirror <url>',
      `base URL serving <Ecosystem>/all.zip for --download-db (default ${DEFAULT_MIRROR})`,
    );
}

/** Checked before any work: the flags agree with each other and the mirror is a URL. */
export function checkDownloadDb(opts: DownloadDbOptions): void {
  if (opts.dbMirror !== undefined) {
    if (!opts.downloadDb) throw new UsageError('USAGE', '--db-mirror: only used with --download-db');
    let url: URL | undefined;
    try {
      url = new URL(opts.dbMirror);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new UsageError('INVALID_ARGUMENT', `--db-mirror: "${opts.dbMirror}" is not an http(s) URL`);
    }
  }
  if (opts.downloadDb && opts.offline) {
    throw new UsageError('USAGE', '--offline: --download-db needs the network (drop one of them)');
  }
}

/** One stderr line per export that could not be had: a warning, or a note for an optional one. */
export function missingLine(m: MissingExport): string {
  const kept = m.keptFrom
    ? `; keeping its advisories from ${m.keptFrom}`
    : '; its packages will not be checked';
  return m.optional
    ? `strata: note: ${m.ecosystem}: not published by this source (${m.reason})`
    : `strata: warning: ${m.ecosystem}: no export imported (${m.reason})${kept}`;
}
