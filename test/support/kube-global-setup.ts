import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopKube } from './kube-apiserver.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the state dir of the run's shared control plane (test/support/kube-apiserver.ts) */
    strataKubeStateDir: string;
  }
}

const PREFIX = 'strata-kube-test-';
/** the PID of the vitest process that owns a state dir */
const OWNER = '.strata-run-pid';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Stops the servers of earlier runs that were killed before their teardown (their vitest process
 * is gone): by the PIDs recorded in their state dir, which stop.sh checks against each process's
 * command line first. Dirs of runs still alive, and dirs without an owner file, are left alone.
 */
async function sweepAbandoned(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const ownerFile = join(dir, OWNER);
    if (!existsSync(ownerFile)) continue;
    const owner = Number(readFileSync(ownerFile, 'utf8'));
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
    try {
      await stopKube(dir);
    } catch (err) {
      console.warn(`kube-global-setup: could not stop the abandoned control plane in ${dir}: ${String(err)}`);
    }
  }
}

/**
 * Integration project global setup: reserves one state dir for the run's shared real
 * kube-apiserver (started lazily by the first test that asks for it) and stops whatever was
 * started there, by recorded PID, when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await sweepAbandoned();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, OWNER), String(process.pid));
  project.provide('strataKubeStateDir', dir);
  return () => stopKube(dir);
}
