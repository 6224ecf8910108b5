export {
  type BundleOptions,
  type BundleVerification,
  parseBundle,
  parseTrustedRoot,
  verifyBundle,
} from './bundle.js';
export { type IdentityConstraint, identityMismatch, type SignerIdentity } from './identity.js';
