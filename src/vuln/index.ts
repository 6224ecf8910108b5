export { coverageGaps } from './coverage.js';
export {
  type BadRecord,
  type ImportCounts,
  type ImportOptions,
  type ImportProgress,
  importOsv,
} from './db/import.js';
export { defaultDbPath } from './db/paths.js';
export {
  checkDbFreshness,
  type DbStatus,
  dbStatus,
  type Freshness,
  STALE_AFTER_DAYS,
} from './db/status.js';
export { AdvisoryDb, type AdvisoryDoc, openAdvisoryDb, type StoredAffected } from './db/store.js';
export {
  DEFAULT_ECOSYSTEMS,
  DEFAULT_MIRROR,
  type EcosystemUpdate,
  type MissingExport,
  OPTIONAL_ECOSYSTEMS,
  type UpdateOptions,
  type UpdateProgress,
  type UpdateResult,
  updateDb,
} from './db/update.js';
export { DEMO_OSV_DIR } from './demo.js';
export { VulnError, type VulnErrorCode } from './errors.js';
export {
  DEFAULT_IGNOREFILE,
  type IgnoreFile,
  type IgnoreRule,
  loadSuppressors,
  type Suppression,
  type Suppressor,
} from './ignore/index.js';
export { type DetectResult, detectVulnerabilities, MATCHER_NAME } from './match.js';
export { normalizeName } from './names.js';
export { applicableEcosystems, ecosystemApplies, osEcosystem } from './os-ecosystem.js';
export { parseOsvRecord } from './osv/parse.js';
export type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from './osv/types.js';
export { assessSeverity, type CvssScore, scoreVector } from './severity.js';
export { comparatorFor, supportedEcosystems, type VersionComparator } from './version/index.js';
