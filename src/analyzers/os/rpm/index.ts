export { rpmAnalyzer } from './analyzer.js';
export type { RpmDbFormat } from './db-record.js';
export { detectFormat } from './detect.js';
export { type RpmDbErrorCode, RpmDbError } from './errors.js';
export { RpmHeader, RpmTag } from './header.js';
export { type SourceRpm, parseSourceRpm } from './source-rpm.js';
