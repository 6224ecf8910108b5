export { CelRuleError, type CelRuleErrorCode } from './errors.js';
export { CEL_ANALYZER, evaluateCelRules } from './evaluate.js';
export { compileCelRules, loadCelRules } from './load.js';
export type { CelResource, CelRuleSpec, CompiledCelRule } from './types.js';
