import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import type { RegisterCommand } from '../../src/cli/commands/index.js';

/**
 * Runs one CLI command in-process (faster than spawning the built CLI), capturing stdout,
 * stderr and the exit code the command sets; commander's usage errors map to 2 as in main.ts.
 */
export async function runCommand(
  register: RegisterCommand,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command('strata').exitOverride();
  register(program);
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0);
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((c) => err.push(String(c)) > 0);
  process.exitCode = 0;
  let code: number;
  try {
    await program.parseAsync(['node', 'strata', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = 0;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}
