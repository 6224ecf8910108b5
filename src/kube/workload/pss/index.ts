export {
  COMPLIANCE_SPECS,
  type ComplianceReport,
  type ComplianceSpecId,
  type ControlResult,
  complianceLevel,
  parseComplianceSpec,
  pssCompliance,
} from './compliance.js';
export { PssError, type PssErrorCode } from './errors.js';
export { evaluatePodSecurity, type PssEvaluation, type PssOptions, type PssViolation } from './evaluate.js';
export {
  type ActiveCheck,
  activeChecks,
  effectiveMinor,
  MAX_PSS_MINOR,
  PSS_CHECKS,
  revisionAt,
} from './registry.js';
export { checkPodSecurity, PSS_REFERENCE } from './scan.js';
export type { PssCheck, PssLevel, PssVersion, VersionedCheck, Violation } from './types.js';
export { formatPssVersion, parsePssLevel, parsePssVersion } from './version.js';
