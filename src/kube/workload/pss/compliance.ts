import { UsageError } from '../../../core/errors.js';
import type { Finding } from '../../../core/types.js';
import { activeChecks, effectiveMinor } from './registry.js';
import type { PssLevel, PssVersion } from './types.js';

export const COMPLIANCE_SPECS = ['pss-baseline', 'pss-restricted'] as const;
export type ComplianceSpecId = (typeof COMPLIANCE_SPECS)[number];

export interface ControlResult {
  /** the PSS check id (`hostNamespaces`, `runAsNonRoot`, ...) */
  readonly id: string;
  readonly name: string;
  readonly level: PssLevel;
  readonly severity: Finding['severity'];
  readonly status: 'PASS' | 'FAIL';
  /** resources that fail the control, sorted */
  readonly resources: readonly string[];
}

export interface ComplianceReport {
  readonly spec: ComplianceSpecId;
  readonly title: string;
  /** the policy version evaluated (`v1.37`) */
  readonly version: string;
  readonly controls: readonly ControlResult[];
  readonly summary: { readonly pass: number; readonly fail: number };
}

export function parseComplianceSpec(value: string): ComplianceSpecId {
  if ((COMPLIANCE_SPECS as readonly string[]).includes(value)) return value as ComplianceSpecId;
  throw new UsageError(
    'INVALID_ARGUMENT',
    `--compliance: "${value}" must be one of ${COMPLIANCE_SPECS.join(', ')}`,
  );
}

export function complianceLevel(spec: ComplianceSpecId): PssLevel {
  return spec === 'pss-baseline' ? 'baseline' : 'restricted';
}

/**
 * Pass/fail per Pod Security Standards control: every check the level runs at the version is a
 * control; it fails when any PSS finding (evaluated at that level and version) carries its id.
 */
export function pssCompliance(
  spec: ComplianceSpecId,
  version: PssVersion,
  findings: readonly Finding[],
): ComplianceReport {
  const level = complianceLevel(spec);
  const failing = new Map<string, Set<string>>();
  for (const f of findings) {
    if (!f.id.startsWith('PSS-')) continue;
    const id = f.id.slice(4);
    const set = failing.get(id) ?? new Set<string>();
    set.add(f.location.resource ?? f.location.path ?? '');
    failing.set(id, set);
  }
  const controls = activeChecks(level, version)
    .map(({ check }): ControlResult => {
      const resources = [...(failing.get(check.id) ?? [])].sort();
      return {
        id: check.id,
        name: check.title,
        level: check.level,
        severity: check.severity,
        status: resources.length > 0 ? 'FAIL' : 'PASS',
        resources,
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const fail = controls.filter((c) => c.status === 'FAIL').length;
  return {
    spec,
    title: `Pod Security Standards (${level})`,
    version: `v1.${effectiveMinor(version)}`,
    controls,
    summary: { pass: controls.length - fail, fail },
  };
}
