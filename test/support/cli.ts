import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(process.cwd(), 'dist/cli/main.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** peak resident memory of the CLI process in KiB (GNU time), when measured */
  readonly maxRssKiB?: number;
}

/**
 * Runs the built CLI (`dist/cli/main.js`, as `npx strata` does) with a hard heap cap, so a
 * test also proves the command stays within bounded memory.
 */
export function strata(
  args: readonly string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    /** working directory of the CLI (default: this process's) */
    cwd?: string;
    input?: string;
    heapMiB?: number;
    measure?: boolean;
    timeoutMs?: number;
  } = {},
): Promise<CliRun> {
  const nodeArgs = [`--max-old-space-size=${opts.heapMiB ?? 256}`, CLI, ...args];
  const [cmd, cmdArgs] = opts.measure
    ? ['/usr/bin/time', ['-f', 'MAXRSS=%M', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, cmdArgs as string[], {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 300_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /(?:Command exited with non-zero status \d+\n)?MAXRSS=(\d+)\s*$/.exec(stderr);
      if (m) stderr = stderr.slice(0, m.index);
      resolve({ code, stdout, stderr, ...(m ? { maxRssKiB: Number(m[1]) } : {}) });
    });
    child.stdin.end(opts.input ?? '');
  });
}
