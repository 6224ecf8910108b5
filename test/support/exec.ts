import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const pexec = promisify(execFile);

/** Runs a tool and returns its stdout; a failure names the command and shows its stderr. */
export async function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string } = {},
): Promise<string> {
  try {
    const { stdout } = await pexec(cmd, [...args], { maxBuffer: 256 * 1024 * 1024, ...opts });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}
