import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface ScratchDir {
  readonly path: string;
  /** removes the directory (once) and stops watching for the process's end */
  remove(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A temporary directory that does not outlive the process: removed by `remove()`, or when the
 * process exits or is interrupted (Ctrl-C), after which the signal is raised again so the exit
 * status stays what it would have been. A saved image can be gigabytes; it must not pile up in
 * /tmp because a scan was interrupted.
 */
export function scratchDir(parent: string, prefix: string): ScratchDir {
  const path = mkdtempSync(join(parent, prefix));
  let removed = false;
  const clean = () => {
    if (removed) return;
    removed = true;
    rmSync(path, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    unwatch();
    clean();
    process.kill(process.pid, signal);
  };
  const unwatch = () => {
    process.off('exit', clean);
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  process.once('exit', clean);
  for (const s of SIGNALS) process.once(s, onSignal);
  return {
    path,
    remove() {
      unwatch();
      clean();
    },
  };
}
