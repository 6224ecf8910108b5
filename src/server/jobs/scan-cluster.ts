import { buildResult, type Finding, type ScanResult } from '../../core/index.js';
import { parseWith, z } from '../../core/schema.js';
import {
  buildMatrix,
  ClassEngine,
  type KubeResource,
  type Matrix,
  parseCluster,
  parsePssLevel,
  parsePssVersion,
} from '../../kube/index.js';
import { analyzePaths } from '../../paths/index.js';
import { type ClusterImage, finalizeResult, parseScanners, scanLiveCluster } from '../../scan/index.js';
import { openAdvisoryDb } from '../../vuln/index.js';
import { type ClusterChanges, clusterChanges } from '../clusters/changes.js';
import { storedClusterConfig } from '../clusters/kubeconfig.js';
import { ServerError } from '../errors.js';
import { advisoryDbPath, rematchResult } from '../rematch/index.js';
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
 * An image digest the previous done scan of this cluster already scanned is not pulled again: its
 * stored packages are matched against the advisories the worker has now (as the advisory
 * re-match does) and its other findings (secrets) are carried over from that scan. Without a
 * stored inventory, or when the database cannot be opened, the image is scanned again.
 */
async function previousImageResults(
  store: Store,
  previous: ClusterScanRow | undefined,
  dbPath: string | undefined,
): Promise<(digest: string) => Promise<ScanResult | undefined>> {
  const images = (previous?.images ?? []) as ClusterImage[];
  const scanned = new Set(
    images.filter((i) => i.digest && (i.status === 'scanned' || i.status === 'reused')).map((i) => i.digest),
  );
  const result = previous?.resultId ? await store.getResult(previous.resultId) : undefined;
  return async (digest) => {
    if (!result || !scanned.has(digest)) return undefined;
    const inventory = await store.getInventory(digest);
    if (!inventory) return undefined;
    const seen = new Set<string>();
    const others: Finding[] = [];
    for (const f of result.findings) {
      if (f.kind === 'vulnerability' || !f.location.image?.endsWith(`@${digest}`)) continue;
      const { resource: _r, container: _c, image: _i, ...location } = f.location;
      const own = { ...f, location } as Finding;
      const key = JSON.stringify(own);
      if (seen.has(key)) continue;
      seen.add(key);
      others.push(own);
    }
    let db: ReturnType<typeof openAdvisoryDb> | undefined;
    try {
      db = openAdvisoryDb(advisoryDbPath(dbPath), { readonly: true });
      const stored = buildResult({
        target: { type: 'container_image', name: inventory.target, digest },
        packages: inventory.packages,
        findings: others,
      });
      return await rematchResult(stored, db);
    } catch {
      return undefined;
    } finally {
      db?.close();
    }
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
    // `strata k8s --paths` (the same derive) and `strata netpol matrix --format json` of the snapshot
    let network: Matrix | undefined;
    const derive = (resources: readonly KubeResource[], imageFindings: readonly Finding[]) => {
      network = buildMatrix(new ClassEngine(parseCluster(resources).cluster), 'workload');
      const analysis = analyzePaths(resources, imageFindings, { maxLateral: 2 });
      return { findings: analysis.findings, errors: analysis.errors };
    };
    const scanned = await scanLiveCluster({
      derive,
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
              reuse: await previousImageResults(store, previous, ctx.db),
              onImageResult: (reference, digest, result) =>
                store.putInventory(digest, reference, result.packages),
              layerCache: store.layers,
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
    // the contract, and beside it (internal metadata, left out of GET /api/v1/scans/:id) what the
    // dashboard's cluster page draws: the connection graph, and that attack paths were computed
    const contract = contractOf(
      finalizeResult(result, { suppression: { suppressors: [], warnings: [] } }).shown,
    );
    return {
      result: {
        ...contract,
        metadata: { ...(network ? { network } : {}), paths: { computed: true, maxLateral: 2 } },
      },
      scanners,
    };
  },
};
