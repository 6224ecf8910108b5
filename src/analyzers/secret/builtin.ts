import { BUILTIN_PATH_ALLOW_RULES, BUILTIN_VALUE_ALLOW_RULES } from './allow-rules.js';
import { BUILTIN_RULES } from './rules/index.js';
import { SecretScanner } from './scanner.js';
import type { AllowRule, SecretConfig, SecretRule } from './types.js';

export const DEFAULT_SECRET_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** The rule set a config selects: custom rules first (they win overlaps), then the enabled built-ins. */
export interface ResolvedSecretConfig {
  readonly rules: readonly SecretRule[];
  /** path-only allow rules: files skipped unread */
  readonly pathAllowRules: readonly AllowRule[];
  /** allow rules that look at values */
  readonly valueAllowRules: readonly AllowRule[];
  readonly maxFileSize: number;
}

export function resolveSecretConfig(config: SecretConfig = {}): ResolvedSecretConfig {
  // a custom rule with a built-in rule's id replaces it
  const disabledRules = new Set([...(config.disableRules ?? []), ...(config.rules ?? []).map((r) => r.id)]);
  const disabledAllow = new Set(config.disableAllowRules ?? []);
  const builtinAllow = [...BUILTIN_PATH_ALLOW_RULES, ...BUILTIN_VALUE_ALLOW_RULES].filter(
    (a) => !disabledAllow.has(a.id),
  );
  const allow = [...builtinAllow, ...(config.allowRules ?? [])];
  return {
    rules: [...(config.rules ?? []), ...BUILTIN_RULES.filter((r) => !disabledRules.has(r.id))],
    pathAllowRules: allow.filter((a) => a.path !== undefined && a.regex === undefined),
    valueAllowRules: allow.filter((a) => a.regex !== undefined),
    maxFileSize: config.maxFileSize ?? DEFAULT_SECRET_MAX_FILE_SIZE,
  };
}

export function createScanner(resolved: ResolvedSecretConfig): SecretScanner {
  return new SecretScanner({ rules: resolved.rules, allowRules: resolved.valueAllowRules });
}
