import { type ExposureFinding, exposureFinding } from '../../core/finding/index.js';
import type { CollectFailure } from './collect.js';

/**
 * A list that could not be read is a finding, so no report can read silence as "none there":
 * `STRATA-K8S-COLLECT-FORBIDDEN` (401/403) or `STRATA-K8S-COLLECT-FAILED` (timeout, other errors).
 */
export function collectFailureFinding(f: CollectFailure, context: string): ExposureFinding {
  const forbidden = f.reason === 'forbidden' || f.reason === 'unauthorized';
  const what = `${f.resource}${f.namespace ? ` in namespace ${f.namespace}` : ''}`;
  return exposureFinding({
    id: forbidden ? 'STRATA-K8S-COLLECT-FORBIDDEN' : 'STRATA-K8S-COLLECT-FAILED',
    severity: 'UNKNOWN',
    title: `could not read ${what}: ${f.reason}`,
    description: forbidden
      ? `The API server refused to list ${what} to this identity, so nothing about them was analysed. This is not "no ${f.resource}": grant list on them (read-only) to scan them.`
      : `Listing ${what} did not complete (${f.message}); the analysis of them is missing or partial.`,
    location: { path: `cluster:${context}`, resource: f.namespace ? `${f.kind}/${f.namespace}` : f.kind },
    evidence: {
      request: f.request,
      reason: f.reason,
      ...(f.status ? { status: f.status } : {}),
      message: f.message,
      ...(f.partialItems > 0 ? { partialItems: f.partialItems } : {}),
    },
  });
}
