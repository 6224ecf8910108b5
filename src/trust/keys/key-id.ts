import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** `sha256:<hex>` of the key's SPKI DER: a stable name for a key in reports and policies. */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ format: 'der', type: 'spki' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}
