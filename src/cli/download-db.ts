import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { DEFAULT_MIRROR, defaultDbPath, type MissingExport, updateDb } from '../vuln/index.js';
import { progress } from './common.js';

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

/**
 * Runs `db update` when `--download-db` is given and no database exists at the path the scan
 * will open; an existing database (even a stale one) is left as it is, as Trivy's first run does.
 */
export async function downloadDbIfMissing(
  opts: DownloadDbOptions,
  needed: boolean,
  signal?: AbortSignal,
): Promise<void> {
  if (!opts.downloadDb || !needed) return;
  const path = opts.db ?? defaultDbPath();
  if (existsSync(path)) return;
  const mirror = opts.dbMirror ?? DEFAULT_MIRROR;
  progress(opts, `no advisory database at ${path}: downloading it from ${mirror} (--download-db)`);
  const result = await updateDb(path, { mirror, ...(signal ? { signal } : {}) });
  for (const m of result.missing) process.stderr.write(`${missingLine(m)}\n`);
  const advisories = result.ecosystems.reduce((n, e) => n + e.counts.imported, 0);
  progress(opts, `${path}: ${result.ecosystems.length} ecosystems, ${advisories} advisories imported`);
}
