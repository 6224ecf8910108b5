export { decompressLayer } from './decompress.js';
export { LayerError, type LayerErrorCode } from './errors.js';
export {
  DEFAULT_LAYER_CACHE_LIMITS,
  EVICT_SQL,
  type LayerCache,
  type LayerCacheLimits,
  layerCacheTableSql,
  MemoryLayerCache,
  SqliteLayerCache,
} from './layer-cache.js';
export { defaultCacheDir, layerCacheFile, openLayerCacheFile } from './layer-cache-file.js';
export { analyzerKey, decodeLayerRecord, encodeLayerRecord, LAYER_RECORD_FORMAT } from './layer-record.js';
export type { FileVersion, TrackedFile } from './overlay.js';
export { normalizeEntryPath } from './path.js';
export { type LayerCacheEvent, LayerWalker, type WalkOptions, type WalkOutput, walkImage } from './walk.js';
