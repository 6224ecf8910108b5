import { type HttpResponse, readPrefix, sanitize } from '../../transport/index.js';
import { ImageError, type ImageErrorCode } from '../errors.js';
import { firstRegistryError } from './responses.js';

export type ResourceKind = 'manifest' | 'blob' | 'repository' | 'upload' | 'referrers' | 'catalog';

/** The first `{errors:[{code,message}]}` entry of a distribution error body, when there is one. */
export function registryErrorDetail(body: Buffer): { code?: string; message?: string } {
  const first = firstRegistryError(body);
  // server text: no terminal escapes, no credentials echoed back, one short line
  return {
    ...(first.code !== undefined ? { code: sanitize(first.code, 40) } : {}),
    ...(first.message !== undefined ? { message: sanitize(first.message) } : {}),
  };
}

function codeFor(status: number, kind: ResourceKind, detail: string | undefined): ImageErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'DENIED';
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status === 404)
    return kind === 'manifest' && detail !== 'NAME_UNKNOWN' ? 'MANIFEST_UNKNOWN' : 'NOT_FOUND';
  if (detail === 'MANIFEST_INVALID' || detail === 'MANIFEST_BLOB_UNKNOWN') return 'INVALID_MANIFEST';
  if (detail === 'DIGEST_INVALID') return 'DIGEST_MISMATCH';
  if (detail === 'UNSUPPORTED') return 'UNSUPPORTED_MEDIA_TYPE';
  return 'REGISTRY_ERROR';
}

function sentence(status: number, kind: ResourceKind): string {
  switch (status) {
    case 401:
      return 'authentication required (give credentials: --username/--password or docker login)';
    case 403:
      return 'access denied';
    case 404:
      return kind === 'manifest' ? 'manifest unknown (no such image or tag)' : `${kind} not found`;
    case 429:
      return 'too many requests (rate limited); try again later';
    default:
      return `registry answered HTTP ${status}`;
  }
}

/** Maps a failed response to one clear ImageError that names what was asked for. */
export async function responseError(
  res: HttpResponse,
  kind: ResourceKind,
  what: string,
): Promise<ImageError> {
  const body = await readPrefix(res);
  const detail = registryErrorDetail(body);
  const code = codeFor(res.status, kind, detail.code);
  const extra = detail.code ? ` [${detail.code}${detail.message ? `: ${detail.message}` : ''}]` : '';
  return new ImageError(code, `${what}: ${sentence(res.status, kind)}${extra}`.replace(/\s*\n\s*/g, ' '));
}
