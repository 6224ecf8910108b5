import { StrataError } from '../core/index.js';

export type PipelineErrorCode = 'NEED_MISSING';

/** A fault of the scan pipeline itself (never the user's input): exits 3. */
export class PipelineError extends StrataError<PipelineErrorCode> {
  constructor(code: PipelineErrorCode, message: string) {
    super(code, message, { userError: false });
  }
}
