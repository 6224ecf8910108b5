import type { Obj } from '../view.js';
import { activeChecks, effectiveMinor } from './registry.js';
import type { PssCheck, PssLevel, PssVersion, Violation } from './types.js';

export interface PssOptions {
  readonly level: PssLevel;
  readonly version: PssVersion;
}

export interface PssViolation {
  readonly check: PssCheck;
  readonly violation: Violation;
}

export interface PssEvaluation {
  /** the policy version the checks ran at (`v1.35`), after resolving `latest` and newer versions */
  readonly evaluatedVersion: string;
  readonly violations: readonly PssViolation[];
}

/**
 * Evaluates one pod (metadata and spec, as in a pod template) against a level and version,
 * check by check as upstream's registry does. An empty `violations` means the pod is allowed.
 */
export function evaluatePodSecurity(metadata: Obj, spec: Obj, options: PssOptions): PssEvaluation {
  const violations: PssViolation[] = [];
  for (const { check, revision } of activeChecks(options.level, options.version)) {
    const violation = revision.checkPod(metadata, spec);
    if (violation) violations.push({ check, violation });
  }
  return { evaluatedVersion: `v1.${effectiveMinor(options.version)}`, violations };
}
