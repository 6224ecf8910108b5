export { decompressLayer } from './decompress.js';
export { LayerError, type LayerErrorCode } from './errors.js';
export type { FileVersion, TrackedFile } from './overlay.js';
export { normalizeEntryPath } from './path.js';
export { LayerWalker, type WalkOptions, type WalkOutput, walkImage } from './walk.js';
