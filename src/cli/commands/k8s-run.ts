import type { Command } from 'commander';
import { loadSecretConfig } from '../../analyzers/index.js';
import { UsageError } from '../../core/index.js';
import { parsePlatform } from '../../image/index.js';
import { ClusterError, loadKubeconfig, parsePssLevel, parsePssVersion } from '../../kube/index.js';
import { analyzePaths, attributeResults, readImageResults } from '../../paths/index.js';
import { type LiveClusterOptions, noImageScanned, parseScanners, scanLiveCluster } from '../../scan/index.js';
import { durationOption, operationDeadline } from '../../transport/index.js';
import { type CommonOptions, progress, refuseOffline, warn } from '../common.js';
import { checkDownloadDb, type DownloadDbOptions } from '../download-db.js';
import { downloadDbIfMissing } from '../download-db-run.js';
import { emitPaths, preparePathsCommon } from './paths-run.js';

export interface K8sOptions extends CommonOptions, DownloadDbOptions {
  scanImages?: boolean;
  paths?: boolean;
  results?: string[];
  maxLateral?: string;
  imageConcurrency?: string;
  imageTimeout?: string;
  maxImages?: string;
  scanners?: string;
  insecure?: boolean;
  platform?: string;
  secretConfig?: string;
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

const IMAGE_FLAGS = [
  ['imageConcurrency', '--image-concurrency'],
  ['imageTimeout', '--image-timeout'],
  ['maxImages', '--max-images'],
  ['scanners', '--scanners'],
  ['insecure', '--insecure'],
  ['platform', '--platform'],
  ['secretConfig', '--secret-config'],
  ['db', '--db'],
  ['downloadDb', '--download-db'],
] as const;

/** `--scan-images` and its bounds, checked before any work; a bound without the flag is a usage error. */
function imageOptions(opts: K8sOptions, cmd: Command): LiveClusterOptions['images'] {
  // --paths scans the images too, unless --results gives their scans
  if (!opts.scanImages && !(opts.paths && !opts.results)) {
    // only a flag typed on this command line: STRATA_DB or a strata.yaml `db:` may serve other commands
    const stray = IMAGE_FLAGS.find(([key]) => cmd.getOptionValueSource(key) === 'cli');
    if (stray)
      throw new UsageError(
        'USAGE',
        `${stray[1]}: only used with --scan-images (or --paths without --results)`,
      );
    return undefined;
  }
  return {
    scanners: parseScanners(opts.scanners ?? (opts.scanImages ? 'vuln,secret' : 'vuln'), ['vuln', 'secret']),
    concurrency: positiveInt('--image-concurrency', opts.imageConcurrency ?? '3', 64),
    imageTimeoutMs: durationOption('--image-timeout', opts.imageTimeout ?? '5m'),
    maxImages: positiveInt('--max-images', opts.maxImages ?? '1000', 100_000),
    ...(opts.insecure ? { insecure: true } : {}),
    ...(opts.platform ? { platform: parsePlatform(opts.platform) } : {}),
    ...(opts.secretConfig ? { secretConfig: loadSecretConfig(opts.secretConfig) } : {}),
    ...(opts.db ? { db: opts.db } : {}),
  };
}

/** `--paths` (with `--results`, `--max-lateral`): the attack paths of the snapshot, checked before any work. */
function pathsOptions(opts: K8sOptions, cmd: Command): LiveClusterOptions['derive'] {
  if (!opts.paths) {
    const stray = (['results', 'maxLateral'] as const).find((k) => cmd.getOptionValueSource(k) === 'cli');
    if (stray)
      throw new UsageError(
        'USAGE',
        `--${stray === 'results' ? 'results' : 'max-lateral'}: only used with --paths`,
      );
    return undefined;
  }
  const maxLateral = Number(opts.maxLateral ?? '2');
  if (!Number.isInteger(maxLateral) || maxLateral < 0 || maxLateral > 10)
    throw new UsageError('INVALID_ARGUMENT', `--max-lateral: "${opts.maxLateral}" is not an integer 0-10`);
  const results = opts.results ? readImageResults(opts.results) : undefined;
  return (resources, imageFindings) => {
    const attributed = results ? attributeResults(resources, results) : undefined;
    const analysis = analyzePaths(resources, attributed ? attributed.findings : imageFindings, {
      maxLateral,
    });
    return { findings: analysis.findings, errors: [...(attributed?.errors ?? []), ...analysis.errors] };
  };
}

export async function runK8s(opts: K8sOptions, command: Command): Promise<number> {
  refuseOffline(opts, 'reading a live cluster (strata k8s)');
  const images = imageOptions(opts, command);
  checkDownloadDb(opts);
  const paths = pathsOptions(opts, command);
  const { suppression, graph } = preparePathsCommon(opts);
  if (graph && !paths) throw new UsageError('USAGE', `--format ${graph}: only with --paths`);
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
  if (images) await downloadDbIfMissing(opts, images.scanners.includes('vuln'), signal);
  const result = await scanLiveCluster({
    ...(images ? { images } : {}),
    ...(paths ? { derive: paths } : {}),
    config,
    signal,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    pss: { level: parsePssLevel(opts.pss), version: parsePssVersion(opts.pssVersion) },
    timeoutMs: positiveInt('--request-timeout', opts.requestTimeout, 600_000),
    pageSize: positiveInt('--page-size', opts.pageSize, 10_000),
    onProgress: (m) => progress(opts, m),
    onWarning: (w) => warn(opts, w),
  });
  const scanned = [
    'misconfig',
    'rbac',
    'netpol',
    ...(images ? images.scanners.map((x) => `image ${x}`) : []),
    ...(paths ? ['paths'] : []),
  ];
  const code = emitPaths(result, opts, suppression, graph, scanned);
  // images found but none scanned: no answer about them (the result is still written)
  const nothing = noImageScanned(result);
  if (nothing) throw nothing;
  return code;
}
