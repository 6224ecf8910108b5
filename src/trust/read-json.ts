import { safeParseWith, type z } from '../core/schema.js';
import { TrustError } from './errors.js';

/**
 * Decodes a signed document (simple-signing payload, DSSE envelope, in-toto statement) and checks
 * its shape: `WHERE: WHAT is not JSON` or `WHERE: path.to.field: expected X, got Y` (INVALID_PAYLOAD).
 */
export function readSignedJson<S extends z.ZodType>(
  schema: S,
  bytes: Uint8Array,
  where: string,
  what: string,
): z.output<S> {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new TrustError('INVALID_PAYLOAD', `${where}: ${what} is not JSON`, { cause });
  }
  const r = safeParseWith(schema, doc);
  if (!r.ok) throw new TrustError('INVALID_PAYLOAD', `${where}: ${what}: ${r.message}`);
  return r.value;
}
