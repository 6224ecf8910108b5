export { type ImageRefParts, isMutableTag, splitImage } from './image-ref.js';
export { isSensitiveHostPath } from './pod-rules.js';
export { WORKLOAD_RULES } from './registry.js';
export { checkWorkloadRules } from './scan.js';
export type { RuleHit, RuleTarget, WorkloadRule } from './types.js';
