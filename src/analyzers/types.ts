/** The analyzer contract lives in core (the image walker runs analyzers without importing this module). */
export type {
  AnalysisInput,
  AnalysisResult,
  Analyzer,
  FileInterest,
  FileMeta,
  PackageDraft,
  PackageType,
} from '../core/analyzer.js';
export { DEFAULT_MAX_FILE_SIZE } from '../core/analyzer.js';
