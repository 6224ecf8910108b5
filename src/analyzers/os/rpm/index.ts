export { rpmAnalyzer } from './analyzer.js';
export type { RpmDbFormat } from './db-record.js';
export { detectFormat } from './detect.js';
export { RpmDbError, type RpmDbErrorCode } from './errors.js';
export { RpmHeader, RpmTag } from './header.js';
export { parseSourceRpm, type SourceRpm } from './source-rpm.js';
