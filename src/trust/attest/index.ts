export { type AttestOptions, type AttestResult, attestImage, attestSbom } from './attest.js';
export { type AttestationCondition, compileCondition } from './condition.js';
export {
  type DsseEnvelope,
  IN_TOTO_PAYLOAD_TYPE,
  pae,
  parseEnvelope,
  signEnvelope,
  verifyEnvelope,
} from './dsse.js';
export { PREDICATE_TYPES, predicateTypeUri } from './predicate-types.js';
export {
  buildStatement,
  parseStatement,
  STATEMENT_V1,
  STATEMENT_V01,
  type Statement,
  subjectMatches,
} from './statement.js';
export {
  type AttestationCheck,
  type AttestationVerification,
  type VerifyAttestationOptions,
  verifyImageAttestations,
} from './verify-attestation.js';
