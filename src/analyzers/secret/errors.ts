import { StrataError } from '../../core/errors.js';

export type SecretConfigErrorCode = 'SECRET_CONFIG_NOT_FOUND' | 'SECRET_CONFIG_INVALID';

/** A secret-scanning config file that cannot be used; the message names the file and the field. */
export class SecretConfigError extends StrataError<SecretConfigErrorCode> {}
