/**
 * Kustomize directories built offline for the fields teams use (no npm library builds them; the
 * Go one is kustomize itself). Unsupported kustomization fields are errors naming the field.
 */
export { buildKustomization, kustomizationFile } from './build.js';
export { KustomizeError, type KustomizeErrorCode } from './errors.js';
export type { KResource } from './resource.js';
export { KUSTOMIZATION_FILES } from './schema.js';
