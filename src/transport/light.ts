/**
 * The light entry of transport/ (docs/ARCHITECTURE.md "Start-up"): what the CLI needs before a
 * command runs (every error line is sanitized, every duration flag parsed), without the HTTP client.
 */
export { redact, sanitize } from './redact.js';
export { durationOption } from './timeouts.js';
