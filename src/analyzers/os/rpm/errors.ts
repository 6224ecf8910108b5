import { StrataError } from '../../../core/errors.js';

/**
 * What can be wrong with an rpm database file: the format is not one we know, its structure
 * (pages, slots, tables) is broken, or one package header blob is malformed.
 */
export type RpmDbErrorCode = 'RPMDB_UNKNOWN_FORMAT' | 'RPMDB_CORRUPT' | 'RPM_HEADER_INVALID';

export class RpmDbError extends StrataError<RpmDbErrorCode> {}
