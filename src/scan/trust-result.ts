import {
  signatureFinding as build,
  buildResult,
  type Finding,
  type ScanResult,
  type Severity,
  type SignatureEvidence,
  type SignatureFinding,
} from '../core/index.js';

/** A SPEC.md result for a trust check: failures as `signature` findings, the details in metadata. */
export function trustResult(
  name: string,
  digest: string | undefined,
  findings: readonly Finding[],
  metadata: Record<string, unknown>,
): ScanResult {
  return buildResult({
    target: { type: 'container_image', name, ...(digest ? { digest } : {}) },
    findings,
    metadata,
  });
}

export function signatureFinding(
  id: string,
  image: string,
  title: string,
  evidence: SignatureEvidence,
  severity: Severity = 'HIGH',
): SignatureFinding {
  return build({ id, severity, title, location: { resource: image }, evidence });
}
