/** Analyzers: one plugin per folder, listed in registry.ts; the contract types live in core/analyzer.ts. */
export { LANGUAGE_ANALYZERS } from './lang/index.js';
export { parseOsRelease, RELEASE_FILES, resolveOS } from './os/release/index.js';
export { parseSourceRpm } from './os/rpm/index.js';
export { ANALYZERS, type AnalyzerGroup, analyzersFor, type RegisteredAnalyzer } from './registry.js';
export * from './secret/index.js';
export type {
  AnalysisInput,
  AnalysisResult,
  Analyzer,
  FileInterest,
  FileMeta,
  PackageDraft,
  PackageType,
} from './types.js';
export { DEFAULT_MAX_FILE_SIZE } from './types.js';
