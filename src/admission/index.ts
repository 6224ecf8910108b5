/**
 * The admission webhook: one AdmissionReview in, a decision with the same finding ids as
 * `strata config`, `strata verify --policy` and `strata image` out (review/), the policy file
 * (policy/), image checks with per-digest caches (images/) and the HTTPS server (server/).
 */

export { type KeyPair, readKeyPair } from '../tls/index.js';
export { TtlCache } from './cache.js';
export { AdmissionError, type AdmissionErrorCode } from './errors.js';
export { ADMISSION_IDS, reasonLine } from './findings.js';
export { type ImageCheckOptions, ImageChecks, type PinnedImage } from './images/checks.js';
export { ApiNamespaces, inClusterConfig, type NamespaceSource, StaticNamespaces } from './namespaces.js';
export { type NamespacePodSecurity, PSA_LABEL, podSecurityOf } from './pod-security.js';
export { loadAdmissionPolicy, parseAdmissionPolicy } from './policy/load.js';
export type { AdmissionPolicy, Exemption, LevelVersion, Mode, PsaLevel } from './policy/types.js';
export { parseAdmissionReview } from './review/parse.js';
export {
  type Decision,
  type ReviewDeps,
  type ReviewOptions,
  type ReviewOutcome,
  reviewAdmission,
} from './review/review.js';
export type {
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReviewRequest,
  AdmissionReviewResponse,
} from './review/schema.js';
export { AdmissionMetrics, kindLabel } from './server/metrics.js';
export { AdmissionServer, type AdmissionServerOptions, MAX_REVIEW_BYTES } from './server/server.js';
export { significantPodChange, subjectOf } from './subject.js';
