export {
  attackPathFinding,
  auditFinding,
  exposureFinding,
  type FindingInit,
  misconfigurationFinding,
  networkFinding,
  rbacFinding,
  secretFinding,
  signatureFinding,
  vulnerabilityFinding,
  withSuppression,
} from './build.js';
export { severityRating } from './cvss.js';
export type * from './misconfiguration.js';
export type * from './network.js';
export type * from './other.js';
export type * from './rbac.js';
export * from './types.js';
export type * from './vulnerability.js';
