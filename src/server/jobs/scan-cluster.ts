import { buildResult, type Finding, type ScanResult } from '../../core/index.js';
import { parseWith, z } from '../../core/schema.js';
import { parsePssLevel, parsePssVersion } from '../../kube/index.js';
import { type ClusterImage, finalizeResult, parseScanners, scanLiveCluster } from '../../scan/index.js';
import { type ClusterChanges, clusterChanges } from '../clusters/changes.js';
import { storedClusterConfig } from '../clusters/kubeconfig.js';
import { ServerError } from '../errors.js';
import type { ClusterScanRow, Store } from '../store/types.js';
import { DEFAULT_SCANNERS } from './scan-image.js';
import { contractOf, type JobType } from './types.js';

export const ClusterPayload = z.object({
  clusterId: z.string().min(1),
  /** the cluster's name when queued: what `GET /api/v1/scans` shows as the scan's target */
  target: z.string().optional(),
  /** queued by the cluster's watch (not by a request) */
  watch: z.boolean().optional(),
});
export type ClusterPayload = z.infer<typeof ClusterPayload>;

/**
 * The findings an earlier scan of this cluster attributed to an image digest, taken off their
 * workloads again: an unchanged image is not pulled again (its stored inventory is what the
 * advisory re-match keeps current).
 */
async function previousImageResults(
  store: Store,
  previous: ClusterScanRow | undefined,
): Promise<(digest: string) => Promise<ScanResult | undefined>> {
  const images = (previous?.images ?? []) as ClusterImage[];
  const scanned = new Set(
    images.filter((i) => i.digest && (i.status === 'scanned' || i.status === 'reused')).map((i) => i.digest),
  );
  const result = previous?.resultId ? await store.getResult(previous.resultId) : undefined;
  return async (digest) => {
    if (!result || !scanned.has(digest)) return undefined;
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const f of result.findings) {
      if (!f.location.image?.endsWith(`@${digest}`)) continue;
      const { resource: _r, container: _c, image: _i, ...location } = f.location;
      const own = { ...f, location } as Finding;
      const key = JSON.stringify(own);
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(own);
    }
    return buildResult({ target: { type: 'container_image', name: digest, digest }, findings });
  };
}

/**
 * `strata k8s --scan-images --format json` on a stored cluster: its kubeconfig from the store,
 * registry credentials from the workloads' pull secrets, then the credential store. Beside the
 * result, the cluster's scan history gets the images its workloads ran and what changed.
 */
export const scanClusterJob: JobType<ClusterPayload> = {
  name: 'scan-cluster',
  maxAttempts: 3,
  parse: (payload) => parseWith(ClusterPayload, payload, 'scan-cluster job'),
  async run(payload, ctx) {
    const { store } = ctx;
    const cluster = await store.getCluster(payload.clusterId);
    const kubeconfig = await store.clusterKubeconfig(payload.clusterId);
    if (!cluster || kubeconfig === undefined)
      throw new ServerError('NOT_FOUND', `cluster ${payload.clusterId} is no longer stored`);
    // in the history at once, so a scan that fails (API server unreachable) is listed with its error
    if (ctx.jobId)
      await store.recordClusterScan({ jobId: ctx.jobId, clusterId: cluster.id, images: [], changes: null });
    const s = cluster.settings;
    const config = storedClusterConfig(kubeconfig, s.context);
    const scanners = parseScanners((s.scanners ?? DEFAULT_SCANNERS).join(','), [...DEFAULT_SCANNERS]);
    const previous = ctx.jobId ? await store.previousClusterScan(cluster.id, ctx.jobId) : undefined;
    const scanned = await scanLiveCluster({
      config,
      signal: ctx.signal,
      pss: { level: parsePssLevel('restricted'), version: parsePssVersion('latest') },
      ...(s.namespace ? { namespace: s.namespace } : {}),
      ...(s.scanImages === false
        ? {}
        : {
            images: {
              scanners,
              ...(s.imageConcurrency ? { concurrency: s.imageConcurrency } : {}),
              ...(s.insecure ? { insecure: true } : {}),
              ...(ctx.db ? { db: ctx.db } : {}),
              credentialFor: (registry) => store.credentialFor(registry),
              reuse: await previousImageResults(store, previous),
              onImageResult: (reference, digest, result) =>
                store.putInventory(digest, reference, result.packages),
            },
          }),
    });
    const images = ((scanned.metadata?.cluster as { images?: ClusterImage[] } | undefined)?.images ??
      []) as ClusterImage[];
    const changes: ClusterChanges = clusterChanges(
      images,
      previous ? { jobId: previous.jobId, images: previous.images as ClusterImage[] } : undefined,
    );
    if (ctx.jobId)
      await store.recordClusterScan({ jobId: ctx.jobId, clusterId: cluster.id, images, changes });
    // the stored result names the cluster as it is stored, so findings are queried by that name
    const result = buildResult({ ...scanned, target: { type: 'cluster', name: cluster.name } });
    return {
      result: contractOf(finalizeResult(result, { suppression: { suppressors: [], warnings: [] } }).shown),
      scanners,
    };
  },
};
