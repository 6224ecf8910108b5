import type { Command } from 'commander';
import { ClusterError, loadKubeconfig, parsePssLevel, parsePssVersion } from '../../kube/index.js';
import { scanLiveCluster } from '../../scan/index.js';
import { durationOption, operationDeadline } from '../../transport/index.js';
import {
  addCommonOptions,
  type CommonOptions,
  emitResult,
  prepareCommon,
  progress,
  refuseOffline,
  warn,
} from '../common.js';
import { isDebug, runAction } from '../run.js';

interface K8sOptions extends CommonOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  pss: string;
  pssVersion: string;
  requestTimeout: string;
  pageSize: string;
  timeout: string;
}

function positiveInt(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ClusterError('KUBECONFIG_INVALID', `${flag}: "${value}" is not an integer 1-${max}`);
  }
  return n;
}

/** `strata k8s`: collect a live cluster read-only and run every Kubernetes analyzer on it (SPEC.md). */
export function registerK8s(program: Command): void {
  const cmd = program
    .command('k8s')
    .description(
      'scan a live cluster (workloads, PSS, NetworkPolicies, RBAC) through its API server, read-only',
    )
    .option('--kubeconfig <file>', 'kubeconfig (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default current-context)')
    .option('-n, --namespace <ns>', 'only this namespace for namespaced resources')
    .option('--pss <level>', 'Pod Security Standards level: baseline|restricted', 'restricted')
    .option('--pss-version <version>', 'policy version: latest or v1.x', 'latest')
    .option('--request-timeout <ms>', 'per-request timeout in milliseconds', '30000')
    .option('--page-size <n>', 'items per list page (limit/continue)', '500')
    .option('--timeout <duration>', 'give up on the whole scan after this long (e.g. 90s, 5m)', '10m');
  addCommonOptions(cmd).action((opts: K8sOptions) =>
    runAction(async () => {
      refuseOffline(opts, 'reading a live cluster (strata k8s)');
      const suppression = prepareCommon(opts);
      const config = loadKubeconfig({
        ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
        ...(opts.context ? { context: opts.context } : {}),
      });
      if (opts.debug) {
        // what authenticates, never the secret (tokens, passwords and plugin output stay out)
        process.stderr.write(
          `strata: debug: kubeconfig ${config.files.join(', ')}; context ${config.context}; server ${config.server}; credentials: ${config.credentials.description}\n`,
        );
      }
      const signal = operationDeadline(durationOption('--timeout', opts.timeout));
      const result = await scanLiveCluster({
        config,
        signal,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
        pss: { level: parsePssLevel(opts.pss), version: parsePssVersion(opts.pssVersion) },
        timeoutMs: positiveInt('--request-timeout', opts.requestTimeout, 600_000),
        pageSize: positiveInt('--page-size', opts.pageSize, 10_000),
        onProgress: (m) => progress(opts, m),
        onWarning: (w) => warn(opts, w),
      });
      return emitResult(result, opts, suppression);
    }, isDebug()),
  );
}
