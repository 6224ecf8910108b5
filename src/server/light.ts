/**
 * The light entry of server/ (docs/ARCHITECTURE.md "Start-up"): what the CLI needs to register its
 * commands (flag values and help text), without fastify, the stores or the worker.
 */
export { isScope, SCOPES } from './tokens.js';
