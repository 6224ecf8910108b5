import { StrataError } from '../../core/index.js';

export type SbomErrorCode =
  | 'UNKNOWN_FORMAT'
  | 'UNSUPPORTED_FORMAT'
  | 'TOO_DEEP'
  | 'TOO_MANY_COMPONENTS'
  | 'TOO_MANY_FINDINGS';

/** An SBOM file Strata cannot read as an inventory: a user error (exit 2), one line naming the file. */
export class SbomError extends StrataError<SbomErrorCode> {
  constructor(code: SbomErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
