import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  DEFAULT_LAYER_CACHE_LIMITS,
  type LayerCacheLimits,
  layerCacheTableSql,
  SqliteLayerCache,
} from './layer-cache.js';

/** `--cache-dir`: `$STRATA_CACHE_DIR`, else `~/.cache/strata` (where the advisory database also lives by default). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STRATA_CACHE_DIR || join(homedir(), '.cache', 'strata');
}

/** The layer cache file under a cache dir. */
export function layerCacheFile(cacheDir: string): string {
  return join(cacheDir, 'layers.db');
}

/**
 * Opens (creating) the CLI's layer cache file. better-sqlite3 is loaded here, on first use, not
 * when the image module loads. Throws when the file cannot be opened or is not a database; the
 * caller scans without a cache then.
 */
export async function openLayerCacheFile(
  file: string,
  limits: LayerCacheLimits = DEFAULT_LAYER_CACHE_LIMITS,
): Promise<SqliteLayerCache> {
  const { default: Database } = await import('better-sqlite3');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  try {
    // the timeout first: switching to WAL and creating the table wait for another scan's lock
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.exec(layerCacheTableSql('BLOB'));
    return new SqliteLayerCache(db, limits, true);
  } catch (err) {
    db.close();
    throw err;
  }
}
