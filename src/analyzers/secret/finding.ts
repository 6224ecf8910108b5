import { type SecretFinding, secretFinding } from '../../core/finding/index.js';
import { redact } from './redact.js';
import type { SecretHit } from './types.js';

/**
 * The Finding for one hit. Only the redacted value leaves: the raw secret is in no field, and the
 * key name is dropped when it would itself carry part of the secret.
 */
export function toFinding(hit: SecretHit, path: string): SecretFinding {
  const { rule } = hit;
  const key = hit.key !== undefined && !hit.key.includes(hit.secret) ? hit.key : undefined;
  return secretFinding({
    id: rule.id,
    severity: rule.severity,
    title: rule.title,
    description:
      `${rule.title} found in ${path}${key === undefined ? '' : ` (${key})`}. Rotate the credential and ` +
      'remove it from the source; a file deleted in a later image layer is still in the image.',
    location: path.startsWith('config:') ? { path } : { path, line: hit.line },
    evidence: {
      rule: rule.id,
      category: rule.category,
      match: redact(hit.secret),
      ...(key === undefined ? {} : { key }),
    },
  });
}
