export { aggregateClusterRoles } from './aggregate.js';
export { analyzeRbac, type RbacAnalysis } from './analyze.js';
export { Authorizer, subjectApplies } from './authorizer.js';
export { bootstrapPolicy, parseK8sVersion } from './bootstrap/index.js';
export {
  type EffectivePermissions,
  effectivePermissions,
  type PermissionRow,
  renderPermissions,
} from './can.js';
export { CAPABILITIES, type Capability, type CapabilityName, capabilityRules } from './capabilities.js';
export { type DefaultsOptions, type DefaultsUsed, describeDefaults, withDefaults } from './defaults.js';
export { RBAC_ANALYZER, RbacError, type RbacErrorCode } from './errors.js';
export { escalationFindings, MAX_STEPS } from './escalation.js';
export { formatSubject, identityOf, parseSubjectArg, serviceAccountUser } from './identity.js';
export {
  apiGroupMatches,
  nonResourceURLMatches,
  resourceMatches,
  resourceNameMatches,
  resourceRequest,
  ruleAllows,
  verbMatches,
} from './match.js';
export { parseRbac } from './parse.js';
export { bindingRef, roleRef } from './refs.js';
export { CAPABILITY_RISKS, RISK_RULE_IDS } from './risk-rules.js';
export { isSystemSubject, riskFindings } from './risks.js';
export type {
  Binding,
  Grant,
  Identity,
  PolicyRule,
  RbacModel,
  Request,
  Role,
  Subject,
  SubjectKind,
} from './types.js';
export { renderWhoCan, type Via, type WhoCanSubject, whoCan } from './who-can.js';
