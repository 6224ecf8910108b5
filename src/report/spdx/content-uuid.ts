import { createHash } from 'node:crypto';

/** The RFC 4122 name space for URLs (appendix C); our names are `https://strata.dev/...` URLs. */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/**
 * A name-based (version 5, SHA-1) UUID: the same name always gives the same UUID, which keeps
 * SBOM serial numbers and document namespaces stable for the same scan result.
 */
export function uuidV5(name: string): string {
  const bytes = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUID derived from a document's content (its JSON text without the identifier itself). */
export function contentUuid(kind: string, content: string): string {
  const digest = createHash('sha256').update(content, 'utf8').digest('hex');
  return uuidV5(`https://strata.dev/sbom/${kind}/${digest}`);
}
