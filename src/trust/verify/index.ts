export { type FoundLayer, findCosignLayers, MAX_PAYLOAD_BYTES } from './find-signatures.js';
export type { ImageVerification, SignatureCheck, SignatureSource } from './types.js';
export { type VerifyOptions, verifyImageSignatures } from './verify.js';
