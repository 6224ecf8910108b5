/**
 * The light entry of notify/ (docs/ARCHITECTURE.md "Start-up"): what the CLI needs to register its
 * commands (flag values and help text), without the webhook client.
 */
export { NOTIFY_FORMATS } from './types.js';
