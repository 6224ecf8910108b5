import { StrataError } from '../../core/errors.js';

export type KustomizeErrorCode = 'UNSUPPORTED' | 'INVALID' | 'NOT_FOUND' | 'CYCLE';

/** A kustomization that cannot be built: one line naming the kustomization file and field. */
export class KustomizeError extends StrataError<KustomizeErrorCode> {}
