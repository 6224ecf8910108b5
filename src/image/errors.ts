import { StrataError } from '../core/errors.js';

export type ImageErrorCode =
  | 'INVALID_REFERENCE'
  | 'MANIFEST_UNKNOWN'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'NOT_FOUND'
  | 'DIGEST_MISMATCH'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_MANIFEST'
  | 'INVALID_CONFIG'
  | 'PLATFORM_NOT_FOUND'
  | 'UNREACHABLE'
  | 'TOO_MANY_REQUESTS'
  | 'REGISTRY_ERROR'
  | 'INVALID_ARCHIVE'
  | 'TOO_LARGE'
  /** a local container engine (Docker, Podman, containerd) failed to hand the image over */
  | 'ENGINE_ERROR';

/**
 * Everything that can go wrong while resolving an image. User errors (bad reference, missing
 * image, bad credentials, unreachable registry, corrupt archive) exit 2; `REGISTRY_ERROR` (the
 * server failed after retries) counts as internal.
 */
export class ImageError extends StrataError<ImageErrorCode> {
  constructor(code: ImageErrorCode, message: string, options: { cause?: unknown; userError?: boolean } = {}) {
    super(code, message, { userError: options.userError ?? code !== 'REGISTRY_ERROR', cause: options.cause });
  }
}
