/**
 * The light entry of image/ (docs/ARCHITECTURE.md "Start-up"): what the CLI needs to register its
 * commands (flag defaults and help text), without the sources, the registry client or the walker.
 */
export { DEFAULT_IMAGE_SOURCES } from './engine/sources.js';
