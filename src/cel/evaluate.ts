import { type MisconfigurationFinding, misconfigurationFinding } from '../core/finding/index.js';
import type { ScanError } from '../core/types.js';
import type { CelResource, CompiledCelRule } from './types.js';

export const CEL_ANALYZER = 'config/cel';

/** `Kind/namespace/name` as every Kubernetes finding names its resource. */
const resourceRef = (r: CelResource): string =>
  r.namespace ? `${r.kind}/${r.namespace}/${r.name}` : `${r.kind}/${r.name}`;

/**
 * Runs custom rules over resources: a rule whose expression is false gives a finding at the
 * resource; one that does not evaluate to a boolean (a missing field without has(), a type
 * error) is reported in `errors` with the rule id and resource, and the scan goes on.
 */
export function evaluateCelRules(
  rules: readonly CompiledCelRule[],
  resources: readonly CelResource[],
): { findings: MisconfigurationFinding[]; errors: ScanError[] } {
  const findings: MisconfigurationFinding[] = [];
  const errors: ScanError[] = [];
  for (const resource of resources) {
    for (const rule of rules) {
      if (rule.kinds.length > 0 && !rule.kinds.includes(resource.kind)) continue;
      let result: unknown;
      try {
        result = rule.evaluate(resource.object);
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).split('\n', 1)[0];
        errors.push({
          analyzer: CEL_ANALYZER,
          path: resource.file,
          message: `rule ${rule.id} on ${resourceRef(resource)}: ${message}`,
        });
        continue;
      }
      if (typeof result !== 'boolean') {
        errors.push({
          analyzer: CEL_ANALYZER,
          path: resource.file,
          message: `rule ${rule.id} on ${resourceRef(resource)}: expression returned ${typeof result}, not a boolean`,
        });
        continue;
      }
      if (result) continue;
      findings.push(
        misconfigurationFinding({
          id: rule.id,
          severity: rule.severity,
          title: rule.message,
          ...(rule.description ? { description: rule.description } : {}),
          location: { path: resource.file, line: resource.line, resource: resourceRef(resource) },
          evidence: { expression: rule.expression, rulesFile: rule.file, ruleLine: rule.line },
        }),
      );
    }
  }
  return { findings, errors };
}
