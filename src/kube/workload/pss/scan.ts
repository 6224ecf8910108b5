import { type MisconfigurationFinding, misconfigurationFinding } from '../../../core/finding/index.js';
import { closestLine, type KubeResource, type ObjectPath, resourceRef } from '../../load/index.js';
import { formatPath } from '../paths.js';
import { type PodTemplate, podTemplateOf } from '../pod-specs.js';
import { evaluatePodSecurity, type PssOptions } from './evaluate.js';
import { formatPssVersion } from './version.js';

export const PSS_REFERENCE = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** A check's field path (`spec...`/`metadata...` of the pod template) as a path in the resource. */
function inResource(template: PodTemplate, field: ObjectPath): ObjectPath {
  const [head, ...rest] = field;
  return [...(head === 'metadata' ? template.metadataPath : template.specPath), ...rest];
}

/** Pod Security Standards findings for every workload resource (one per forbidding check). */
export function checkPodSecurity(
  resources: readonly KubeResource[],
  options: PssOptions,
): MisconfigurationFinding[] {
  const findings: MisconfigurationFinding[] = [];
  for (const resource of resources) {
    const template = podTemplateOf(resource);
    if (!template) continue;
    const result = evaluatePodSecurity(template.metadata, template.spec, options);
    for (const { check, violation } of result.violations) {
      const fields = violation.fields.map((f) => inResource(template, f));
      const first = fields[0] ?? template.specPath;
      findings.push(
        misconfigurationFinding({
          id: `PSS-${check.id}`,
          severity: check.severity,
          title: `${check.title}: ${violation.reason}`,
          description: `${check.description} ${violation.detail}.`,
          location: {
            path: resource.file,
            line: closestLine(resource, first),
            resource: resourceRef(resource),
          },
          evidence: {
            level: check.level,
            policy: options.level,
            pssVersion: result.evaluatedVersion,
            requestedVersion: formatPssVersion(options.version),
            check: check.id,
            reason: violation.reason,
            detail: violation.detail,
            fields: fields.map(formatPath),
          },
          references: [PSS_REFERENCE],
        }),
      );
    }
  }
  return findings;
}
