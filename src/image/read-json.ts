import { isDigest } from '../core/digest.js';
import { safeParseWith, z } from '../core/schema.js';
import { ImageError, type ImageErrorCode } from './errors.js';

/**
 * Decodes an image document (manifest, index, config, `manifest.json`, `oci-layout`) and checks
 * its shape; failures are `code` errors reading `WHERE: [WHAT ]is not valid JSON` or
 * `WHERE: path.to.field: expected X, got Y`.
 */
export function readImageJson<S extends z.ZodType>(
  schema: S,
  bytes: Uint8Array,
  where: string,
  what: string | undefined,
  code: ImageErrorCode,
): z.output<S> {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    const text = what ? `${what} is not valid JSON` : 'not valid JSON';
    throw new ImageError(code, `${where}: ${text}`, { cause });
  }
  return checkImageJson(schema, doc, where, code);
}

/** Checks an already decoded value against `schema`, as readImageJson does. */
export function checkImageJson<S extends z.ZodType>(
  schema: S,
  doc: unknown,
  where: string,
  code: ImageErrorCode,
): z.output<S> {
  const r = safeParseWith(schema, doc);
  if (!r.ok) throw new ImageError(code, `${where}: ${r.message}`);
  return r.value;
}

/** A content digest (`sha256:<64 hex>`, `sha512:<128 hex>`). */
export const DigestText = z.string().refine(isDigest, {
  error: (issue) => `expected a digest, got "${String(issue.input).slice(0, 100)}"`,
});
