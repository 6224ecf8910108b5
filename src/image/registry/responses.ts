import { defined, tolerant, validItems, z } from '../../core/schema.js';
import { ImageError } from '../errors.js';
import { type Descriptor, DescriptorSchema } from '../manifest.js';
import { readImageJson } from '../read-json.js';

/*
 * The shapes of the registry's JSON answers (distribution spec, docker token spec). Only the
 * fields Strata reads are checked; an answer of another shape is named with the field at fault.
 */

/** A token without `expires_in` lives 60 s (distribution's token spec). */
const DEFAULT_TOKEN_TTL_S = 60;

const TokenBody = z.object({
  token: tolerant(z.string()),
  access_token: tolerant(z.string()),
  expires_in: tolerant(z.number()),
});

/** `{"token": ...}` or `{"access_token": ...}`, with `expires_in` seconds (docker token spec). */
export function parseTokenResponse(
  body: Uint8Array,
  now: number,
  where: string,
): { readonly value: string; readonly expiresAt: number } {
  const doc = readImageJson(TokenBody, body, where, 'token response', 'UNAUTHORIZED');
  const value = doc.token || doc.access_token;
  if (!value) {
    throw new ImageError('UNAUTHORIZED', `${where}: token response has neither "token" nor "access_token"`);
  }
  const ttl = doc.expires_in !== undefined && doc.expires_in > 0 ? doc.expires_in : DEFAULT_TOKEN_TTL_S;
  // renew 10 s early so a token never expires between check and use
  return { value, expiresAt: now + Math.max(0, ttl - 10) * 1000 };
}

/** `GET /v2/<name>/tags/list`: `{"name": ..., "tags": [...]}`; a registry may answer `tags: null`. */
const TagList = z.object({ tags: tolerant(validItems(z.string())) });

export function parseTagList(body: Uint8Array, where: string): readonly string[] {
  return readImageJson(TagList, body, where, 'response', 'REGISTRY_ERROR').tags ?? [];
}

/** `GET /v2/_catalog`: `{"repositories": [...]}`; a registry may answer `repositories: null`. */
const Catalog = z.object({ repositories: tolerant(validItems(z.string())) });

export function parseCatalog(body: Uint8Array, where: string): readonly string[] {
  return readImageJson(Catalog, body, where, 'response', 'REGISTRY_ERROR').repositories ?? [];
}

/** The referrers index: every descriptor must be valid; a missing `manifests` means none. */
const ReferrersIndex = z.object({
  manifests: z.preprocess((v) => (Array.isArray(v) ? v : []), z.array(DescriptorSchema)),
});

export function parseReferrers(body: Uint8Array, where: string): readonly Descriptor[] {
  return readImageJson(ReferrersIndex, body, where, 'response', 'REGISTRY_ERROR').manifests;
}

/** The media type a manifest declares, or '' (the transport's Content-Type was missing). */
const MediaTypeField = z.object({ mediaType: tolerant(z.string()) });

export function declaredMediaType(body: Uint8Array): string {
  try {
    return MediaTypeField.safeParse(JSON.parse(Buffer.from(body).toString('utf8'))).data?.mediaType ?? '';
  } catch {
    return '';
  }
}

/** A distribution error body: `{"errors": [{"code": ..., "message": ...}]}`; fields of another shape read as absent. */
const ErrorBody = z.object({
  errors: tolerant(
    z.tuple([z.object({ code: tolerant(z.string()), message: tolerant(z.string()) })], z.unknown()),
  ),
});

/** The first error entry of a distribution error body, or nothing when the body is not one. */
export function firstRegistryError(body: Uint8Array): { code?: string; message?: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return {};
  }
  const first = ErrorBody.safeParse(doc).data?.errors?.[0];
  return defined({ code: first?.code, message: first?.message });
}
