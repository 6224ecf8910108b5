export { DEFAULT_SCRYPT, decryptPrivateKey, encryptPrivateKey, type ScryptParams } from './encrypted.js';
export { keyId } from './key-id.js';
export {
  type GeneratedKeyPair,
  generateKeyPair,
  parsePrivateKey,
  parsePublicKey,
  publicKeyPem,
  readPrivateKey,
  readPublicKey,
} from './keys.js';
export { defaultPasswordSource, envPassword, type PasswordSource } from './password.js';
export { signBytes, verifyBytes } from './signer.js';
export { checkKeyDestinations, type KeyFile, writeKeyFile } from './write.js';
