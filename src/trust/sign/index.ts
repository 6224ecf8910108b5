export {
  appendCosignLayer,
  COSIGN,
  type CosignSuffix,
  cosignTag,
  readCosignLayers,
} from './cosign-layout.js';
export { goJson } from './go-json.js';
export {
  buildPayload,
  COSIGN_SIGNATURE_TYPE,
  dockerReference,
  parsePayload,
  type SimpleSigningPayload,
} from './payload.js';
export { type ResolvedImage, resolveImage } from './resolve.js';
export { type SignOptions, type SignResult, signImage } from './sign.js';
