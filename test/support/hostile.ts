import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { CLI } from './cli.js';

/**
 * Runs the built CLI the way the hostile-input suite needs: a 512 MiB heap, a 3 GiB address-space
 * limit (`prlimit --as`; V8 alone reserves over 1 GiB), and a wall-clock timeout, so a case that
 * hangs or balloons is a failed assertion instead of a stuck CI run.
 */
export interface HostileRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly ms: number;
}

const AS_LIMIT = 3 * 1024 * 1024 * 1024;
const MAX_CAPTURE = 4 * 1024 * 1024;

export function strataHostile(
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string | Buffer; timeoutMs?: number; cwd?: string } = {},
): Promise<HostileRun> {
  const started = Date.now();
  // --disable-wasm-trap-handler: the HTTP client (undici) parses with WebAssembly, and V8's default
  // guard regions (~10 GiB of address space per memory) cannot fit under the --as cap
  const argv = [
    `--as=${AS_LIMIT}`,
    process.execPath,
    '--max-old-space-size=512',
    '--disable-wasm-trap-handler',
    CLI,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('prlimit', argv, {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < MAX_CAPTURE) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < MAX_CAPTURE) stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The promise every hostile case keeps: it ends in time, with exit 0 or 2 (or the gate value
 * given), never an abort or an internal error; a failure is one `strata: ` line without a stack.
 */
export function expectCleanEnd(r: HostileRun, allowed: readonly number[] = [0, 2]): void {
  expect(r.timedOut, `timed out after ${r.ms} ms; stderr: ${r.stderr.slice(0, 300)}`).toBe(false);
  expect(r.signal, `killed by ${r.signal}; stderr: ${r.stderr.slice(0, 300)}`).toBeNull();
  expect(allowed, `exit ${r.code}; stderr: ${r.stderr.slice(0, 500)}`).toContain(r.code);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/internal error|FATAL ERROR/);
  if (r.code === 2) {
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('strata: warning'));
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^strata: /);
  }
}

/** A clean user error: exit 2 and one line matching `pattern`. */
export function expectInputError(r: HostileRun, pattern: RegExp): void {
  expectCleanEnd(r, [2]);
  expect(r.stderr).toMatch(pattern);
}
