export { TlsError, type TlsErrorCode } from './errors.js';
export { type KeyPair, KeyPairWatcher, readKeyPair } from './key-pair.js';
