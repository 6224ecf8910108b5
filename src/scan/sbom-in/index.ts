/**
 * SBOMs as scan targets (`strata image sbom:FILE`, a bare CycloneDX/SPDX JSON path): the document
 * read into the inventory an image scan builds, then the same detectors.
 */
export { SbomError, type SbomErrorCode } from './errors.js';
export { type SbomInventory, sbomInventory } from './inventory.js';
export { sbomByteLimit } from './limits.js';
export { decodeSbom, readSbomFile } from './read.js';
export { type SbomScanOptions, scanSbom } from './scan.js';
export { looksLikeSbom, SBOM_PREFIX, sbomTargetPath } from './target.js';
export type { SbomDocument, SbomEntry, SbomFormat } from './types.js';
