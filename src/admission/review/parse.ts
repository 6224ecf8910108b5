import { parseJsonText, safeParseWith } from '../../core/schema.js';
import { AdmissionError } from '../errors.js';
import { type AdmissionReviewRequest, AdmissionReviewSchema } from './schema.js';

/** Parses an AdmissionReview body once, at the edge; `INVALID_REVIEW` names the source and the field. */
export function parseAdmissionReview(text: string, source: string): AdmissionReviewRequest {
  let value: unknown;
  try {
    value = parseJsonText(text, source);
  } catch (err) {
    throw new AdmissionError('INVALID_REVIEW', (err as Error).message, { cause: err });
  }
  const r = safeParseWith(AdmissionReviewSchema, value);
  if (!r.ok)
    throw new AdmissionError(
      'INVALID_REVIEW',
      `${source}: not an admission.k8s.io/v1 AdmissionReview request: ${r.message}`,
    );
  return r.value;
}
