import { type ChildProcess, spawn } from 'node:child_process';
import { CLI } from './cli.js';

/** A long-running `strata` process (server, worker, audit --follow ...) with its stdout+stderr kept. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** everything it wrote so far, stdout and stderr interleaved */
  out(): string;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  let out = '';
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return { child, out: () => out };
}

/** SIGTERM each process still running and wait for it to exit. */
export async function stopCli(...procs: (CliProcess | undefined)[]): Promise<void> {
  await Promise.all(
    procs.map((p) => {
      if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return undefined;
      p.child.kill('SIGTERM');
      return new Promise((r) => p.child.once('exit', r));
    }),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` (a throw counts as "not yet") until it returns a value, or fails after `ms`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 90_000,
  everyMs = 200,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
