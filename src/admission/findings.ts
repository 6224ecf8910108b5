import { type Finding, misconfigurationFinding, type Severity, severityRank } from '../core/index.js';

/** Finding ids the webhook adds to those of `strata config`, `strata verify` and `strata image`. */
export const ADMISSION_IDS = {
  registry: 'STRATA-ADM-001',
  unresolved: 'STRATA-ADM-002',
  incomplete: 'STRATA-ADM-003',
} as const;

export function atLeast(severity: Severity, threshold: Severity | 'NONE'): boolean {
  return threshold !== 'NONE' && severityRank(severity) >= severityRank(threshold);
}

/** `ID: one-line reason` as kubectl shows it: the title, with the check's detail when it adds one. */
export function reasonLine(f: Finding, about?: string): string {
  const ev = f.evidence as Readonly<Record<string, unknown>>;
  const detail =
    typeof ev.detail === 'string' ? ev.detail : typeof ev.message === 'string' ? ev.message : undefined;
  let text: string;
  if (f.kind === 'vulnerability') {
    const fixed = f.fixedVersion ? `, fixed in ${f.fixedVersion}` : '';
    text = `${f.severity} in ${f.package.name} ${f.package.version}${fixed}`;
  } else {
    text = detail && !f.title.includes(detail) ? `${f.title} (${detail})` : f.title;
  }
  return `${f.id}: ${text}${about ? ` [${about}]` : ''}`.replace(/\s+/g, ' ').trim();
}

function admissionFinding(
  id: string,
  severity: Severity,
  title: string,
  resource: string,
  message: string,
  field: string,
  remediation: string,
): Finding {
  return misconfigurationFinding({
    id,
    severity,
    title,
    location: { resource },
    evidence: { message, field, remediation },
  });
}

export function registryFinding(
  resource: string,
  field: string,
  image: string,
  allowed: readonly string[],
): Finding {
  return admissionFinding(
    ADMISSION_IDS.registry,
    'HIGH',
    'image registry not allowed',
    resource,
    `image "${image}" is not from an allowed registry (${allowed.join(', ')})`,
    field,
    'use an image from one of images.allowedRegistries',
  );
}

export function incompleteFinding(resource: string, what: string, why: string): Finding {
  return admissionFinding(
    ADMISSION_IDS.incomplete,
    'HIGH',
    'check could not finish',
    resource,
    `${what}: ${why}`,
    '',
    'retry; if it persists check the registry and API server the webhook reaches',
  );
}
