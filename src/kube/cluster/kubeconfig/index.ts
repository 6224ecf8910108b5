import type { ExecSourceOptions } from './exec.js';
import { locateKubeconfig, readKubeconfigs } from './files.js';
import { mergeKubeconfigs } from './merge.js';
import { resolveContext } from './resolve.js';
import type { ClusterConfig } from './types.js';

export { ExecCredentialSource, type ExecSourceOptions } from './exec.js';
export { type ExecClusterInfo, type ExecRunOptions, runExecPlugin } from './exec-run.js';
export { displayPath, type KubeconfigLocation, locateKubeconfig, readKubeconfigs } from './files.js';
export { type MergedKubeconfig, mergeKubeconfigs } from './merge.js';
export { resolveContext } from './resolve.js';
export type { ClientCertificate, ClusterConfig, CredentialKind, Credentials } from './types.js';

export interface LoadKubeconfigOptions {
  /** `--kubeconfig`: this one file; otherwise `$KUBECONFIG` (merged) or `~/.kube/config` */
  readonly kubeconfig?: string;
  /** `--context`; otherwise the merged `current-context` */
  readonly context?: string;
  /** the environment to read `$KUBECONFIG` from (default `process.env`) */
  readonly env?: NodeJS.ProcessEnv;
  /** exec credential plugins: timeout, stderr, clock */
  readonly exec?: ExecSourceOptions;
}

/**
 * Reads the kubeconfig(s) as kubectl does, parses each once at the edge, merges them and resolves
 * one context. Nothing runs yet: an exec plugin runs on the first request that needs a credential.
 */
export function loadKubeconfig(options: LoadKubeconfigOptions = {}): ClusterConfig {
  const location = locateKubeconfig(options.kubeconfig, options.env);
  const merged = mergeKubeconfigs(readKubeconfigs(location));
  return resolveContext(merged, options.context, options.exec);
}
