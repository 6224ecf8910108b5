import { StrataError } from '../core/index.js';

export type AdmissionErrorCode =
  /** the AdmissionPolicy file is missing, not YAML, or has a bad field */
  | 'INVALID_POLICY'
  /** the AdmissionReview is not JSON or not an admission.k8s.io/v1 AdmissionReview request */
  | 'INVALID_REVIEW'
  /** a request body over the size cap */
  | 'TOO_LARGE'
  /** a check did not finish within the policy's timeoutSeconds */
  | 'TIMEOUT'
  /** the namespace could not be read from the API server */
  | 'NAMESPACE_UNAVAILABLE'
  /** TLS certificate or key files could not be read */
  | 'TLS';

/** Errors of the admission webhook; all but TLS at serve time are about the caller's input (exit 2). */
export class AdmissionError extends StrataError<AdmissionErrorCode> {}
