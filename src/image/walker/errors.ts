import { StrataError } from '../../core/errors.js';

export type LayerErrorCode =
  | 'PATH_TRAVERSAL'
  | 'CORRUPT_LAYER'
  | 'UNSUPPORTED_ENTRY'
  | 'UNSUPPORTED_COMPRESSION'
  | 'ROOT_UNREADABLE'
  | 'MALFORMED_WHITEOUT'
  | 'TOO_LARGE';

/** A layer that cannot be read safely: a malformed or malicious image, reported as a user error. */
export class LayerError extends StrataError<LayerErrorCode> {}
