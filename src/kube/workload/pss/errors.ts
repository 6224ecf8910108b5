import { StrataError } from '../../../core/errors.js';

export type PssErrorCode = 'INVALID_LEVEL' | 'INVALID_VERSION';

/** A Pod Security Standards option the user gave that upstream would refuse too. */
export class PssError extends StrataError<PssErrorCode> {}
