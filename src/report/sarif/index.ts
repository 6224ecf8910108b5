export { sarifLevel, securitySeverity } from './severity.js';
export { SARIF_SCHEMA, toUri, writeSarif } from './write.js';
