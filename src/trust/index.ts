export * from './attest/index.js';
export { TrustError, type TrustErrorCode } from './errors.js';
export * from './integrity/index.js';
export * from './keyless/index.js';
export * from './keys/index.js';
export * from './policy/index.js';
export * from './sign/index.js';
export * from './verify/index.js';
