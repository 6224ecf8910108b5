import { describeError, StrataError } from '../core/errors.js';

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
      process.stderr.write(`strata: ${describeError(err)}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`strata: internal error: ${describeError(err)}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 3;
  }
}

export function isDebug(): boolean {
  return process.argv.includes('--debug');
}
