/**
 * The light entry of probe/ (docs/ARCHITECTURE.md "Start-up"): what the CLI needs to register its
 * commands (flag defaults and help text), without the probes.
 */
export { ProbeError } from './errors.js';

/** per-request timeout */
export const DEFAULT_TIMEOUT_MS = 3000;
/** endpoints probed at once */
export const DEFAULT_CONCURRENCY = 16;
/** `--allow-public` probes at most this many public addresses */
export const PUBLIC_MAX_TARGETS = 16;
/** hosts refused beyond this many unless `--max-targets` says otherwise */
export const DEFAULT_MAX_TARGETS = 256;
