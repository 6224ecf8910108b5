import { type MisconfigurationFinding, misconfigurationFinding } from '../../../core/finding/index.js';
import {
  closestLine,
  type KubeResource,
  type ObjectPath,
  resourceRef,
  stringTable,
} from '../../load/index.js';
import { formatPath } from '../paths.js';
import { type PodTemplate, podTemplateOf } from '../pod-specs.js';
import { evaluatePodSecurity, type PssOptions } from './evaluate.js';
import { formatPssVersion } from './version.js';

export const PSS_REFERENCE = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
/** shared by every PSS finding (findings are never changed in place) */
const PSS_REFERENCES: readonly string[] = [PSS_REFERENCE];

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
  const text = stringTable();
  const requestedVersion = formatPssVersion(options.version);
  for (const resource of resources) {
    const template = podTemplateOf(resource);
    if (!template) continue;
    const result = evaluatePodSecurity(template.metadata, template.spec, options);
    if (result.violations.length === 0) continue;
    const ref = resourceRef(resource);
    const pssVersion = text(result.evaluatedVersion);
    for (const { check, violation } of result.violations) {
      const fields = violation.fields.map((f) => inResource(template, f));
      const first = fields[0] ?? template.specPath;
      findings.push(
        misconfigurationFinding({
          id: text(`PSS-${check.id}`),
          severity: check.severity,
          title: text(`${check.title}: ${violation.reason}`),
          description: text(`${check.description} ${violation.detail}.`),
          location: {
            path: resource.file,
            line: closestLine(resource, first),
            resource: ref,
          },
          evidence: {
            level: check.level,
            policy: options.level,
            pssVersion,
            requestedVersion,
            check: check.id,
            reason: text(violation.reason),
            detail: text(violation.detail),
            fields: fields.map((f) => text(formatPath(f))),
          },
          references: PSS_REFERENCES,
        }),
      );
    }
  }
  return findings;
}
