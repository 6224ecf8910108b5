export { type EvaluateOptions, evaluatePolicy } from './evaluate.js';
export { findBundles } from './find-bundles.js';
export { globMatches, imageName, matchingRules } from './match.js';
export { loadPolicy, parsePolicy } from './parse.js';
export type {
  AttestationRequirement,
  PolicyDecision,
  PolicyRule,
  RuleOutcome,
  VerificationPolicy,
} from './types.js';
