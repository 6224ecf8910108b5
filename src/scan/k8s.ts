import { buildResult, type Finding, type ScanError, type ScanResult } from '../core/index.js';
import { ApiClient, type KubeResource, PullSecretReader } from '../kube/index.js';
import { type ClusterScanOptions, clusterConfigOf, scanCluster } from './cluster.js';
import { type ClusterImageOptions, type ClusterImageScan, scanClusterImages } from './cluster-images.js';
import type { ProgressOptions } from './progress.js';

export interface LiveClusterOptions extends ClusterScanOptions, ProgressOptions {
  /** `--scan-images`: also scan every image the workloads run, findings attributed to the workloads */
  readonly images?: Omit<ClusterImageOptions, keyof ProgressOptions | 'signal'>;
  /**
   * `--paths`: more findings derived from the snapshot and the images' findings (the attack paths of
   * src/paths, which sits above scan/ and is handed in by the caller)
   */
  readonly derive?: (
    resources: readonly KubeResource[],
    imageFindings: readonly Finding[],
  ) => { readonly findings: readonly Finding[]; readonly errors: readonly ScanError[] };
}

/** Pull secrets are read with the scan's own credentials, one GET each, then the images are scanned. */
async function scanImagesOf(
  scan: Awaited<ReturnType<typeof scanCluster>>,
  options: LiveClusterOptions,
  images: NonNullable<LiveClusterOptions['images']>,
): Promise<ClusterImageScan> {
  const client = new ApiClient(options.config ?? clusterConfigOf(options), options.timeoutMs ?? 30_000, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    return await scanClusterImages(scan.resources, new PullSecretReader(client), {
      ...images,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      ...(options.onDebug ? { onDebug: options.onDebug } : {}),
    });
  } finally {
    client.close();
  }
}

/**
 * `strata k8s`: collect a live cluster read-only and run every Kubernetes analyzer on it; a
 * list the credentials may not read is a warning (and a finding), never the end of the scan.
 * With `images`, the images its workloads run are scanned too (`metadata.cluster.images` says
 * what became of each).
 */
export async function scanLiveCluster(options: LiveClusterOptions): Promise<ScanResult> {
  const { onProgress, onWarning, onDebug: _onDebug, images, derive, ...rest } = options;
  const config = clusterConfigOf(rest);
  const scan = await scanCluster({ ...rest, config });
  for (const f of scan.failures) {
    onWarning?.(`could not read ${f.resource}${f.namespace ? ` in ${f.namespace}` : ''}: ${f.reason}`);
  }
  onProgress?.(
    `k8s: ${scan.resources.length} resources, ${scan.result.findings.length} findings, ${scan.failures.length} lists not readable`,
  );
  if (!images && !derive) return scan.result;
  const scanned = images
    ? await scanImagesOf(scan, { ...options, config }, images)
    : { findings: [], errors: [], images: undefined };
  const derived = derive?.(scan.resources, scanned.findings);
  const cluster = (scan.result.metadata?.cluster ?? {}) as Record<string, unknown>;
  return buildResult({
    ...scan.result,
    findings: [...scan.result.findings, ...scanned.findings, ...(derived?.findings ?? [])],
    errors: [...scan.result.errors, ...scanned.errors, ...(derived?.errors ?? [])],
    metadata: {
      ...scan.result.metadata,
      cluster: { ...cluster, ...(scanned.images ? { images: scanned.images } : {}) },
    },
  });
}
