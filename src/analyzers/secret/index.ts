export { createSecretAnalyzer } from './analyzer.js';
export { DEFAULT_SECRET_MAX_FILE_SIZE } from './builtin.js';
export { loadSecretConfig, parseSecretConfig } from './config.js';
export { SecretConfigError, type SecretConfigErrorCode } from './errors.js';
export { scanImageConfig, scanImageConfigReport } from './image-config.js';
export { redact } from './redact.js';
export { BUILTIN_RULES } from './rules/index.js';
export type { AllowRule, SecretConfig, SecretRule } from './types.js';
