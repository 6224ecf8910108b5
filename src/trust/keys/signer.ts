import { type KeyObject, sign, verify } from 'node:crypto';

/** Signs as cosign does: SHA-256 digest, ECDSA signatures ASN.1 DER (Ed25519 signs the message). */
export function signBytes(key: KeyObject, data: Uint8Array): Buffer {
  return sign(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key);
}

/** Verifies a signature made by `signBytes`; a malformed signature is simply invalid. */
export function verifyBytes(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key, signature);
  } catch {
    return false;
  }
}
