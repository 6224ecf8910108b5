import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { enqueueClusterScan } from '../clusters/enqueue.js';
import { storedClusterConfig } from '../clusters/kubeconfig.js';
import { ServerError } from '../errors.js';
import type { ClusterRow, ClusterSettings, Store } from '../store/types.js';
import type { RouteDoc } from './openapi.js';
import * as S from './schemas.js';
import * as C from './schemas-clusters.js';

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface ClusterRoutesContext {
  readonly route: (doc: RouteDoc, handler: Handler) => void;
  readonly store: Store;
  readonly onQueued?: (id: string) => void;
}

/** A stored cluster as the API shows it: settings and schedule, never the kubeconfig. */
export function clusterView(c: ClusterRow): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    settings: c.settings,
    ...(c.watchSeconds !== undefined ? { watchSeconds: c.watchSeconds } : {}),
    ...(c.nextScanAt !== undefined ? { nextScanAt: new Date(c.nextScanAt).toISOString() } : {}),
    ...(c.lastJobId ? { lastScan: c.lastJobId } : {}),
    createdAt: c.createdAt,
  };
}

const errors = {
  '400': { description: 'bad request', schema: S.ApiError },
  '401': { description: 'no or unknown token', schema: S.ApiError },
  '403': { description: 'scope too low', schema: S.ApiError },
};
const notFound = { '404': { description: 'no such cluster', schema: S.ApiError } };

/**
 * Stored clusters (issue 16): `POST /api/v1/clusters` (admin) keeps a kubeconfig server-side, as
 * registry credentials are kept; scans of it run as `scan-cluster` jobs, by request or by its watch.
 * `GET /api/v1/clusters` lists them (also `stored[]` of the dashboard's `GET /api/v1/cluster-results`).
 */
export function registerClusterRoutes({ route, store, onQueued }: ClusterRoutesContext): void {
  const load = async (id: string) => {
    const c = await store.getCluster(id);
    if (!c) throw new ServerError('NOT_FOUND', `no cluster ${id}`);
    return c;
  };

  route(
    {
      method: 'POST',
      url: '/api/v1/clusters',
      summary:
        'store a cluster (a self-contained kubeconfig, never returned) to scan as `strata k8s --scan-images`; with watchSeconds, scanned on that interval',
      scope: 'admin',
      body: C.CreateCluster,
      responses: {
        '201': { description: 'stored', schema: C.Cluster },
        ...errors,
        '409': { description: 'a cluster of that name is stored', schema: S.ApiError },
      },
    },
    async (req, reply) => {
      const { name, kubeconfig, watchSeconds, ...rest } = req.body as ClusterSettings & {
        name: string;
        kubeconfig: string;
        watchSeconds?: number;
      };
      const settings: ClusterSettings = rest;
      // refused now (400 naming the field), not at the first scan
      storedClusterConfig(kubeconfig, settings.context);
      const id = randomUUID();
      const stored = await store.putCluster({
        id,
        name,
        kubeconfig,
        settings,
        ...(watchSeconds !== undefined ? { watchSeconds, nextScanAt: Date.now() } : {}),
      });
      if (!stored) throw new ServerError('CONFLICT', `a cluster named "${name}" is already stored`);
      return reply.code(201).send(clusterView(await load(id)));
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/clusters',
      summary: 'the stored clusters: settings and watch schedules (never their kubeconfigs)',
      scope: 'read',
      responses: {
        '200': {
          description: 'stored clusters',
          schema: { type: 'object', required: ['items'], properties: { items: C.StoredClusters } },
        },
        ...errors,
      },
    },
    async () => ({ items: (await store.listClusters()).map(clusterView) }),
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/clusters/:id',
      summary: 'one stored cluster: settings and watch schedule (never its kubeconfig)',
      scope: 'read',
      params: S.IdParams,
      responses: { '200': { description: 'the cluster', schema: C.Cluster }, ...errors, ...notFound },
    },
    async (req) => clusterView(await load((req.params as { id: string }).id)),
  );

  route(
    {
      method: 'DELETE',
      url: '/api/v1/clusters/:id',
      summary: 'forget a stored cluster and its kubeconfig (its scans and results stay)',
      scope: 'admin',
      params: S.IdParams,
      responses: { '204': { description: 'deleted' }, ...errors, ...notFound },
    },
    async (req, reply) => {
      if (!(await store.deleteCluster((req.params as { id: string }).id)))
        throw new ServerError('NOT_FOUND', 'no such cluster');
      return reply.code(204).send();
    },
  );

  route(
    {
      method: 'POST',
      url: '/api/v1/clusters/:id/scans',
      summary: 'queue a scan of a stored cluster now',
      scope: 'scan',
      params: S.IdParams,
      responses: { '202': { description: 'queued', schema: S.Accepted }, ...errors, ...notFound },
    },
    async (req, reply) => {
      const cluster = await load((req.params as { id: string }).id);
      const id = await enqueueClusterScan(store, cluster.id, { name: cluster.name });
      onQueued?.(id);
      return reply.code(202).send({ id });
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/clusters/:id/scans',
      summary:
        "a stored cluster's scan history, newest first: the images its workloads ran and which workloads' images changed since the scan before",
      scope: 'read',
      params: S.IdParams,
      query: S.ListQuery,
      responses: { '200': { description: 'scans', schema: C.ClusterScanList }, ...errors, ...notFound },
    },
    async (req) => {
      const cluster = await load((req.params as { id: string }).id);
      const rows = await store.listClusterScans(cluster.id, (req.query as { limit: number }).limit);
      return {
        items: rows.map((r) => ({
          scan: r.jobId,
          status: r.status,
          ...(r.error && r.status !== 'done' ? { error: r.error } : {}),
          createdAt: r.createdAt,
          images: r.images,
          changes: r.changes,
        })),
      };
    },
  );
}
