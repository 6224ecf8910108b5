import { describeError, StrataError } from '../core/errors.js';
import { redact, sanitize } from '../transport/light.js';

/** Every error line: one line, no terminal escapes, no credentials (whatever a server put in it). */
const line = (err: unknown): string => sanitize(describeError(err), 2000);

/**
 * Runs a command body and maps what it throws to SPEC.md's exit codes: user and input errors
 * exit 2 with one line on stderr; anything unexpected exits 3 (with the stack only under --debug).
 */
export async function runAction(body: () => Promise<number | undefined>, debug = false): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (err) {
    if (err instanceof StrataError && err.userError) {
      process.stderr.write(`strata: ${line(err)}\n`);
      if (debug && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`strata: internal error: ${line(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${redact(err.stack)}\n`);
    process.exitCode = 3;
  }
}

export function isDebug(): boolean {
  return process.argv.includes('--debug');
}
