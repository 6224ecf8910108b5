import { StrataError } from '../../core/errors.js';

export type TarErrorCode = 'BAD_CHECKSUM' | 'BAD_NUMBER' | 'BAD_PAX' | 'META_TOO_LARGE';

/**
 * A tar header or PAX record that breaks the format. The message says what is wrong, without
 * saying where: the reader (layer walker, archive index) wraps it with the layer or file name.
 */
export class TarError extends StrataError<TarErrorCode> {}
