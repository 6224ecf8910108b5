export { KubeLoadError, type KubeLoadErrorCode } from './errors.js';
export { collectFiles, isManifestFile } from './files.js';
export { loadKubeResources, MAX_MANIFEST_BYTES, manifestByteLimit, readStream, STDIN_NAME } from './load.js';
export { MAX_DOCUMENT_BYTES, parseKubeBytes, parseKubeText } from './parse.js';
export { POD_TEMPLATE_PREFIX, podTemplatePrefix } from './pod-templates.js';
export { closestLine, resourceRef } from './refs.js';
export { splitYamlDocuments, type YamlChunk } from './split.js';
export type { KubeResource, LoadOptions, LoadResult, ObjectPath } from './types.js';
export { LOADER_NAME } from './types.js';
