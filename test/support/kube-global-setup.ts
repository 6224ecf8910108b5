import { mkdtempSync } from 'node:fs';
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

/**
 * Integration project global setup: reserves one state dir for the run's shared real
 * kube-apiserver (started lazily by the first test that asks for it) and stops whatever was
 * started there, by recorded PID, when the run ends.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-kube-test-'));
  project.provide('strataKubeStateDir', dir);
  return () => stopKube(dir);
}
