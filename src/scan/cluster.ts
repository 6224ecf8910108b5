import { buildResult, type Finding, type ScanError, type ScanResult } from '../core/index.js';
import {
  ApiClient,
  analyzeRbac,
  ClassEngine,
  type ClusterConfig,
  ClusterError,
  type CollectFailure,
  collectCluster,
  collectFailureFinding,
  type ExecSourceOptions,
  encryptionFindings,
  type KubeResource,
  loadKubeconfig,
  networkFindings,
  type PssOptions,
  parseCluster,
  scanWorkloads,
} from '../kube/index.js';

export interface ClusterScanOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** limit namespaced lists to one namespace (default: every namespace) */
  readonly namespace?: string;
  readonly pss: PssOptions;
  /** per request (default 30 s) */
  readonly timeoutMs?: number;
  readonly pageSize?: number;
  /** a resolved config instead of reading a kubeconfig (tests, the server) */
  readonly config?: ClusterConfig;
  /** exec credential plugins: timeout, where their stderr goes */
  readonly exec?: ExecSourceOptions;
  /** ends the whole scan (--timeout) */
  readonly signal?: AbortSignal;
  /** pages per list before an endless `continue` chain is abandoned */
  readonly maxPages?: number;
}

export interface ClusterScan {
  readonly result: ScanResult;
  readonly resources: readonly KubeResource[];
  readonly failures: readonly CollectFailure[];
}

interface Analysis {
  readonly findings: Finding[];
  readonly errors: ScanError[];
}

/** Every analyzer that works on Kubernetes resources: PSS + workload rules, NetworkPolicy, RBAC. */
export function analyzeResources(resources: readonly KubeResource[], pss: PssOptions): Analysis {
  const findings: Finding[] = [...scanWorkloads(resources, { pss })];
  const errors: ScanError[] = [];
  const net = parseCluster(resources);
  findings.push(
    ...networkFindings(net.cluster, new ClassEngine(net.cluster)),
    ...encryptionFindings(net.cluster),
  );
  for (const item of net.errors) errors.push(item);
  const rbac = analyzeRbac(resources);
  for (const item of rbac.findings) findings.push(item);
  for (const item of rbac.errors) errors.push(item);
  return { findings, errors };
}

function nodeVersions(resources: readonly KubeResource[]): { name: string; kubeletVersion?: string }[] {
  return resources
    .filter((r) => r.kind === 'Node')
    .map((r) => {
      const info = (r.object.status as { nodeInfo?: { kubeletVersion?: unknown } } | undefined)?.nodeInfo;
      const v = typeof info?.kubeletVersion === 'string' ? info.kubeletVersion : undefined;
      return { name: r.name, ...(v ? { kubeletVersion: v } : {}) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The resolved context: `options.config`, else the kubeconfig (files, context, exec plugins) read now. */
export function clusterConfigOf(options: ClusterScanOptions): ClusterConfig {
  return (
    options.config ??
    loadKubeconfig({
      ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context ? { context: options.context } : {}),
      ...(options.exec ? { exec: options.exec } : {}),
    })
  );
}

/**
 * `strata k8s` as a library: resolve the context, make sure the API server answers at all, collect
 * every list (failures become findings and errors, never empty lists), run every analyzer.
 */
export async function scanCluster(options: ClusterScanOptions): Promise<ClusterScan> {
  const config = clusterConfigOf(options);
  const client = new ApiClient(config, options.timeoutMs ?? 30_000, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const version = await client.get('/version', 'application/json', 'api-object');
    if (version.type === 'timeout' || version.type === 'network' || version.type === 'too-large') {
      throw new ClusterError(
        'UNREACHABLE',
        `cannot reach the API server ${config.server}: ${version.message}`,
      );
    }
    const collected = await collectCluster(client, {
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      ...(options.maxPages ? { maxPages: options.maxPages } : {}),
    });
    const analysis = analyzeResources(collected.resources, options.pss);
    const gitVersion =
      version.type === 'ok' ? (version.body as { gitVersion?: unknown } | null)?.gitVersion : undefined;
    const result = buildResult({
      target: { type: 'cluster', name: config.context },
      findings: [
        ...analysis.findings,
        ...collected.failures.map((f) => collectFailureFinding(f, config.context)),
      ],
      errors: [...collected.errors, ...analysis.errors],
      metadata: {
        cluster: {
          server: config.server,
          context: config.context,
          ...(typeof gitVersion === 'string' ? { version: gitVersion } : {}),
          ...(options.namespace ? { namespace: options.namespace } : {}),
          counts: Object.fromEntries(Object.entries(collected.counts).sort(([a], [b]) => (a < b ? -1 : 1))),
          nodes: nodeVersions(collected.resources),
        },
      },
    });
    return { result, resources: collected.resources, failures: collected.failures };
  } finally {
    client.close();
  }
}
