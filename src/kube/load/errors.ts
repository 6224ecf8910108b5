import { StrataError } from '../../core/errors.js';

export type KubeLoadErrorCode = 'FILE_NOT_FOUND' | 'READ_FAILED' | 'TOO_LARGE';

/** Raised for inputs the user named that cannot be read at all (one bad document is an `errors[]` entry instead). */
export class KubeLoadError extends StrataError<KubeLoadErrorCode> {}
