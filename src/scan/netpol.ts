import { buildResult, type ScanError, type ScanResult, UsageError } from '../core/index.js';
import { readInputText } from '../core/safe-read.js';
import {
  type BlastRadius,
  blastRadius,
  buildMatrix,
  ClassEngine,
  type Cluster,
  type Explanation,
  encryptionFindings,
  explain,
  type Granularity,
  generatePolicies,
  loadKubeResources,
  type Matrix,
  NetpolError,
  networkFindings,
  parseCluster,
  parseFlows,
  type ResolvedFlow,
  resolveFlows,
  type Unselectable,
  type Verification,
  verifyGenerated,
} from '../kube/index.js';
import { type ProgressOptions, warnAll } from './progress.js';

/** The pods, workloads and policies of the manifests; what could not be read is in `errors`. */
export async function loadNetpolCluster(
  paths: readonly string[],
  options: ProgressOptions = {},
): Promise<{ cluster: Cluster; errors: ScanError[] }> {
  if (paths.length === 0)
    throw new UsageError('USAGE', 'netpol: give at least one manifest file or directory (or - for stdin)');
  const loaded = await loadKubeResources(paths);
  const parsed = parseCluster(loaded.resources);
  const errors = [...loaded.errors, ...parsed.errors];
  options.onProgress?.(
    `netpol: ${parsed.cluster.pods.length} pods/workloads, ${parsed.cluster.policies.length} policies, ${errors.length} errors`,
  );
  return { cluster: parsed.cluster, errors };
}

/** For the queries: the cluster, its read errors passed on as warnings. */
async function queryCluster(paths: readonly string[], options: ProgressOptions): Promise<Cluster> {
  const { cluster, errors } = await loadNetpolCluster(paths, options);
  warnAll(errors, options);
  return cluster;
}

/** `strata netpol <path...>`: exposure and encryption findings. */
export async function scanNetpol(
  paths: readonly string[],
  options: ProgressOptions = {},
): Promise<ScanResult> {
  const { cluster, errors } = await loadNetpolCluster(paths, options);
  const engine = new ClassEngine(cluster);
  return buildResult({
    target: { type: 'kubernetes', name: paths.join(' ') },
    findings: [...networkFindings(cluster, engine), ...encryptionFindings(cluster)],
    errors,
  });
}

/** `strata netpol matrix`: allowed connections per workload or namespace. */
export async function netpolMatrix(
  paths: readonly string[],
  granularity: Granularity,
  options: ProgressOptions = {},
): Promise<Matrix> {
  return buildMatrix(new ClassEngine(await queryCluster(paths, options)), granularity);
}

/** `strata netpol explain`: one connection, and the policy and rule that decided each side. */
export async function netpolExplain(
  paths: readonly string[],
  connection: { readonly from: string; readonly to: string; readonly port: string },
  options: ProgressOptions = {},
): Promise<Explanation> {
  return explain(await queryCluster(paths, options), connection.from, connection.to, connection.port);
}

/** `strata netpol blast-radius`: what a compromised workload reaches. */
export async function netpolBlastRadius(
  paths: readonly string[],
  workload: string,
  options: ProgressOptions = {},
): Promise<BlastRadius> {
  return blastRadius(new ClassEngine(await queryCluster(paths, options)), workload);
}

export interface GeneratedPolicies {
  /** every declared flow, resolved */
  readonly flows: readonly ResolvedFlow[];
  /** the flows the policies cover: those whose workloads can be singled out */
  readonly covered: readonly ResolvedFlow[];
  readonly policies: Record<string, unknown>[];
  /** of the flows the policies cover (those whose workloads can be singled out) */
  readonly verification: Verification;
  /** workloads that got no policy because their labels cannot single them out */
  readonly unselectable: readonly Unselectable[];
}

/** `strata netpol generate`: least-privilege policies for the declared flows, verified by the engine. */
export async function netpolGenerate(
  paths: readonly string[],
  flowsFile: string,
  options: ProgressOptions = {},
): Promise<GeneratedPolicies> {
  let text: string;
  try {
    text = readInputText(flowsFile, { kind: 'flows' });
  } catch (err) {
    throw new NetpolError('INVALID_FLOWS', `--flows: cannot read ${flowsFile}`, { cause: err });
  }
  const cluster = await queryCluster(paths, options);
  const flows = resolveFlows(cluster, parseFlows(text, flowsFile));
  const generated = generatePolicies(cluster, flows);
  return {
    flows,
    covered: generated.flows,
    policies: generated.policies,
    verification: verifyGenerated(cluster, generated.flows, generated.policies),
    unselectable: generated.unselectable,
  };
}
