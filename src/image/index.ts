export { DIR_LAYER_MEDIA_TYPE, openDirImage } from './dir-source.js';
export {
  DEFAULT_IMAGE_SOURCES,
  type EngineName,
  type ImageSourceName,
  parseImageSources,
} from './engine/index.js';
export { ImageError, type ImageErrorCode } from './errors.js';
export type { Descriptor, ParsedManifest } from './manifest.js';
export { MAX_MANIFEST_BYTES, parseManifest } from './manifest.js';
export { type LayerCompression, layerCompression, MANIFEST_ACCEPT, MEDIA_TYPES } from './media-types.js';
export { formatTarget, openImage } from './open.js';
export { DEFAULT_PLATFORM, formatPlatform, parsePlatform, platformMatches } from './platform.js';
export {
  DOCKER_HUB,
  formatReference,
  type ImageReference,
  isReference,
  manifestReference,
  parseReference,
  type ReferenceParts,
  splitReference,
} from './reference.js';
export {
  type ManifestResult,
  RegistryClient,
  type RegistryClientOptions,
  type RepositoryRef,
} from './registry/client.js';
export {
  type Credentials,
  dockerConfigPath,
  loadDockerConfig,
  lookupCredentials,
} from './registry/docker-config.js';
export { parseImageTarget } from './target.js';
export type {
  ImageConfig,
  ImageHandle,
  ImageTarget,
  LayerContent,
  LayerDescriptor,
  OpenOptions,
  Platform,
  RegistryOptions,
} from './types.js';
export {
  DEFAULT_LAYER_CACHE_LIMITS,
  decompressLayer,
  defaultCacheDir,
  EVICT_SQL,
  type FileVersion,
  type LayerCache,
  type LayerCacheEvent,
  type LayerCacheLimits,
  LayerError,
  type LayerErrorCode,
  LayerWalker,
  layerCacheFile,
  layerCacheTableSql,
  MemoryLayerCache,
  normalizeEntryPath,
  openLayerCacheFile,
  SqliteLayerCache,
  type TrackedFile,
  type WalkOptions,
  type WalkOutput,
  walkImage,
} from './walker/index.js';
