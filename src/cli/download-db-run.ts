import { existsSync } from 'node:fs';
import { DEFAULT_MIRROR, defaultDbPath } from '../vuln/light.js';
import { progress } from './common.js';
import { type DownloadDbOptions, missingLine } from './download-db.js';

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
  const { updateDb } = await import('../vuln/index.js');
  progress(opts, `no advisory database at ${path}: downloading it from ${mirror} (--download-db)`);
  const result = await updateDb(path, { mirror, ...(signal ? { signal } : {}) });
  for (const m of result.missing) process.stderr.write(`${missingLine(m)}\n`);
  const advisories = result.ecosystems.reduce((n, e) => n + e.counts.imported, 0);
  progress(opts, `${path}: ${result.ecosystems.length} ecosystems, ${advisories} advisories imported`);
}
