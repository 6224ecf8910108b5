import { type AttackPathFinding, type ScanResult, UsageError } from '../../core/index.js';
import { parsePlatform } from '../../image/index.js';
import { renderDot, renderMermaid, scanPaths } from '../../paths/index.js';
import { ClusterImagesError, noImageScanned, type Suppression } from '../../scan/index.js';
import { durationOption } from '../../transport/index.js';
import { type CommonOptions, parseExitCode, progress, refuseOffline, warn, writeOutput } from '../common.js';
import { checkDownloadDb, type DownloadDbOptions } from '../download-db.js';
import { downloadDbIfMissing } from '../download-db-run.js';
import { emitResult, finalize, prepareCommon } from '../emit.js';

export type GraphFormat = 'dot' | 'mermaid';

/**
 * `--format dot|mermaid` is only for attack paths (`strata paths`, `strata k8s --paths`): returns
 * the graph format, or undefined for the common formats (checked by prepareCommon as usual).
 */
export function graphFormat(format: string): GraphFormat | undefined {
  return format === 'dot' || format === 'mermaid' ? format : undefined;
}

/** The common checks before any work; a graph format stands in as json for them. */
export function preparePathsCommon(opts: CommonOptions): { suppression: Suppression; graph?: GraphFormat } {
  const graph = graphFormat(opts.format);
  let suppression: Suppression;
  try {
    suppression = prepareCommon(graph ? { ...opts, format: 'json' } : opts);
  } catch (err) {
    // the formats of attack paths are named too
    if (err instanceof UsageError && err.message.startsWith('--format: unknown format'))
      throw new UsageError('INVALID_ARGUMENT', err.message.replace(/\)$/, ', dot, mermaid)'));
    throw err;
  }
  return { suppression, ...(graph ? { graph } : {}) };
}

/** Writes the result (or, for dot/mermaid, the graph of its attack paths); returns the exit code. */
export function emitPaths(
  result: ScanResult,
  opts: CommonOptions,
  suppression: Suppression,
  graph: GraphFormat | undefined,
  scanners: readonly string[],
): number {
  if (!graph) return emitResult(result, opts, suppression, scanners);
  const { shown, gated } = finalize(result, opts, suppression);
  const paths = shown.findings.filter((f): f is AttackPathFinding => f.kind === 'attack-path');
  writeOutput(graph === 'dot' ? renderDot(paths) : renderMermaid(paths), opts);
  return gated ? parseExitCode(opts.exitCode) : 0;
}

export function positiveInt(flag: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError('INVALID_ARGUMENT', `${flag}: "${value}" is not an integer 1-${max}`);
  }
  return n;
}

export interface PathsOptions extends CommonOptions, DownloadDbOptions {
  results?: string[];
  insecure?: boolean;
  platform?: string;
  imageConcurrency: string;
  imageTimeout: string;
  maxImages: string;
  maxLateral: string;
}

export async function runPaths(inputs: string[], opts: PathsOptions): Promise<number> {
  const { suppression, graph } = preparePathsCommon(opts);
  checkDownloadDb(opts);
  const maxLateral = Number(opts.maxLateral);
  if (!Number.isInteger(maxLateral) || maxLateral < 0 || maxLateral > 10) {
    throw new UsageError('INVALID_ARGUMENT', `--max-lateral: "${opts.maxLateral}" is not an integer 0-10`);
  }
  const images = {
    concurrency: positiveInt('--image-concurrency', opts.imageConcurrency, 64),
    imageTimeoutMs: durationOption('--image-timeout', opts.imageTimeout),
    maxImages: positiveInt('--max-images', opts.maxImages, 100_000),
    ...(opts.insecure ? { insecure: true } : {}),
    ...(opts.platform ? { platform: parsePlatform(opts.platform) } : {}),
    ...(opts.db ? { db: opts.db } : {}),
  };
  if (!opts.results) {
    refuseOffline(opts, "pulling the workloads' images (give --results FILE to use stored image scans)");
    await downloadDbIfMissing(opts, true, undefined);
  }
  const result = await scanPaths(inputs, {
    ...(opts.results ? { results: opts.results } : { images }),
    maxLateral,
    onProgress: (m) => progress(opts, m),
    onWarning: (w) => warn(opts, w),
  });
  const code = emitPaths(result, opts, suppression, graph, ['paths', 'image vuln']);
  // images found but none scanned (or none in --results): no answer about the paths, exit 2
  const nothing = noImageScanned(result);
  if (nothing)
    throw new ClusterImagesError(
      'NO_IMAGE_SCANNED',
      nothing.message.replace('k8s --scan-images:', opts.results ? 'paths --results:' : 'paths:'),
    );
  return code;
}
