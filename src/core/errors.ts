/**
 * Every error Strata raises on purpose carries a code from a closed set, so callers (the CLI,
 * the server, tests) branch on the code and users get one clear line.
 */
export class StrataError<Code extends string = string> extends Error {
  readonly code: Code;
  /** user errors (bad input, bad reference, bad credentials) exit 2; internal ones exit 3 */
  readonly userError: boolean;

  constructor(code: Code, message: string, options: { cause?: unknown; userError?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userError = options.userError ?? true;
  }
}

export type UsageErrorCode = 'USAGE' | 'INVALID_ARGUMENT' | 'FILE_NOT_FOUND' | 'UNSUPPORTED';
export class UsageError extends StrataError<UsageErrorCode> {}

export class CancelledError extends StrataError<'CANCELLED'> {
  constructor(message = 'cancelled') {
    super('CANCELLED', message);
  }
}

/** One line for humans: the message, and the root cause when it adds something. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? err.cause.message : undefined;
    const line = cause && !err.message.includes(cause) ? `${err.message}: ${cause}` : err.message;
    return line.replace(/\s*\n\s*/g, ' ');
  }
  return String(err);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
