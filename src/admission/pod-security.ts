import { parsePssVersion } from '../kube/index.js';
import type { LevelVersion, PsaLevel } from './policy/types.js';

/** The three Pod Security Admission modes, each with its level and version. */
export interface NamespacePodSecurity {
  readonly enforce: LevelVersion;
  readonly warn: LevelVersion;
  readonly audit: LevelVersion;
  /** labels that did not parse (`pod-security.kubernetes.io/enforce: "bogus": must be one of ...`) */
  readonly errors: readonly string[];
}

export const PSA_LABEL = 'pod-security.kubernetes.io/';
const LEVELS: readonly PsaLevel[] = ['privileged', 'baseline', 'restricted'];
const LATEST = { latest: true } as const;

function rank(level: PsaLevel): number {
  return LEVELS.indexOf(level);
}

/**
 * The policy a namespace's labels ask for, over the webhook's defaults, with Pod Security
 * Admission's rules (api.PolicyToEvaluate): a bad enforce or audit level falls back to
 * `restricted`, a bad warn level to `privileged`, a bad version to `latest`; when only `enforce`
 * is set and it is stricter than the default warn level, warn follows it (and its version).
 */
export function podSecurityOf(
  labels: Readonly<Record<string, string>> | undefined,
  defaults: LevelVersion,
): NamespacePodSecurity {
  const errors: string[] = [];
  const policy = { enforce: { ...defaults }, warn: { ...defaults }, audit: { ...defaults } };
  if (!labels) return { ...policy, errors };
  const level = (mode: 'enforce' | 'warn' | 'audit', fallback: PsaLevel): boolean => {
    const value = labels[`${PSA_LABEL}${mode}`];
    if (value === undefined) return false;
    if ((LEVELS as readonly string[]).includes(value)) {
      policy[mode].level = value as PsaLevel;
      return true;
    }
    errors.push(`${PSA_LABEL}${mode}: "${value}": must be one of ${LEVELS.join(', ')}`);
    policy[mode].level = fallback;
    return mode === 'warn';
  };
  const version = (mode: 'enforce' | 'warn' | 'audit'): boolean => {
    const value = labels[`${PSA_LABEL}${mode}-version`];
    if (value === undefined) return false;
    try {
      policy[mode].version = parsePssVersion(value);
    } catch {
      errors.push(`${PSA_LABEL}${mode}-version: "${value}": must be "latest" or "v1.x"`);
      policy[mode].version = LATEST;
    }
    return true;
  };
  const enforceValid =
    labels[`${PSA_LABEL}enforce`] !== undefined &&
    (LEVELS as readonly string[]).includes(labels[`${PSA_LABEL}enforce`] ?? '');
  level('enforce', 'restricted');
  version('enforce');
  level('audit', 'restricted');
  version('audit');
  const hasWarnLevel = level('warn', 'privileged');
  const hasWarnVersion = version('warn');
  if (!hasWarnLevel && enforceValid && rank(policy.enforce.level) > rank(policy.warn.level)) {
    policy.warn.level = policy.enforce.level;
    if (!hasWarnVersion) policy.warn.version = policy.enforce.version;
  }
  return { ...policy, errors };
}
