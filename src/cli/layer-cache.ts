import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { errorMessage, UsageError } from '../core/errors.js';
import type { LayerCache } from '../image/index.js';
import { debugSink, warn } from './common.js';

export interface LayerCacheOptions {
  cacheDir?: string;
  cacheBackend: string;
  clearCache?: boolean;
  quiet?: boolean;
  debug?: boolean;
}

const BACKENDS = ['sqlite', 'memory', 'none'] as const;

/** `--cache-dir`, `--cache-backend`, `--clear-cache` (Trivy's names) on the commands that walk image layers. */
export function addLayerCacheOptions(cmd: Command): Command {
  return cmd
    .option(
      '--cache-dir <dir>',
      'where analysed layers are kept (default $STRATA_CACHE_DIR or ~/.cache/strata)',
    )
    .option(
      '--cache-backend <backend>',
      'layer cache: sqlite (a file in --cache-dir), memory (this run only) or none',
      'sqlite',
    )
    .option('--clear-cache', 'empty the layer cache before scanning');
}

/**
 * The layer cache the options ask for (the image module is loaded here, when a scan runs). A
 * cache file that is not a database is removed and made again; one that cannot be opened at all
 * (an unwritable directory) is a warning, and the scan runs without a cache rather than fail.
 */
export async function openCliLayerCache(opts: LayerCacheOptions): Promise<LayerCache | undefined> {
  const backend = opts.cacheBackend;
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new UsageError(
      'INVALID_ARGUMENT',
      `--cache-backend: "${backend}" is not one of ${BACKENDS.join(', ')}`,
    );
  }
  if (backend === 'none') return undefined;
  const { defaultCacheDir, layerCacheFile, MemoryLayerCache, openLayerCacheFile } = await import(
    '../image/index.js'
  );
  if (backend === 'memory') return new MemoryLayerCache();
  const file = layerCacheFile(opts.cacheDir ?? defaultCacheDir());
  const open = async () => {
    try {
      return await openLayerCacheFile(file);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw err;
      warn(opts, `layer cache ${file} is damaged (${errorMessage(err)}); starting it again`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      return openLayerCacheFile(file);
    }
  };
  try {
    const cache = await open();
    if (opts.clearCache) {
      const removed = await cache.clear();
      debugSink(opts)?.(`layer cache ${file}: cleared ${removed} entries`);
    }
    debugSink(opts)?.(`layer cache: ${file}`);
    return cache;
  } catch (err) {
    warn(opts, `layer cache ${file} cannot be used (${errorMessage(err)}); scanning without it`);
    return undefined;
  }
}
