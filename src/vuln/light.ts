/**
 * The light entry of vuln/ (docs/ARCHITECTURE.md "Start-up"): what the CLI needs to register its
 * commands (flag defaults and help text), without SQLite or the matcher.
 */
export { defaultDbPath } from './db/paths.js';
/** an OS release's OSV ecosystem (`Debian:12`): the image inventory names packages with it */
export { osEcosystem } from './os-ecosystem.js';

/** The OSV project's public bucket: `<mirror>/<Ecosystem>/all.zip`. */
export const DEFAULT_MIRROR = 'https://osv-vulnerabilities.storage.googleapis.com';
