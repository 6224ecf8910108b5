import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeError, StrataError } from '../../core/index.js';
import { ServerError } from '../errors.js';
import { DEFAULT_SCANNERS } from '../jobs/scan-image.js';
import { watchJob, watchPolicy } from '../jobs/watch-registry.js';
import type { Store } from '../store/types.js';
import { alertEvent } from '../watch/notify.js';
import type { AlertLevel, RegistryWatchConfig, WatchRow } from '../watch/types.js';
import type { RouteDoc } from './openapi.js';
import { ApiError, IdParams } from './schemas.js';
import * as S from './watch-schemas.js';

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface WatchRoutesContext {
  readonly route: (doc: RouteDoc, handler: Handler) => void;
  readonly store: Store;
  readonly errors: RouteDoc['responses'];
  readonly onQueued?: (id: string) => void;
}

async function watchView(store: Store, w: WatchRow): Promise<Record<string, unknown>> {
  const job = w.lastJobId ? await store.getJob(w.lastJobId) : undefined;
  const c = w.config;
  return {
    id: w.id,
    name: w.name,
    kind: w.kind,
    registry: c.registry,
    ...(c.repositories ? { repositories: c.repositories } : {}),
    interval: w.interval,
    insecure: c.insecure,
    scanners: c.scanners,
    pageSize: c.pageSize,
    ...(c.policy ? { policy: c.policy } : {}),
    nextRunAt: new Date(w.nextRunAt).toISOString(),
    ...(w.lastRunAt ? { lastRunAt: w.lastRunAt } : {}),
    ...(w.lastStats ? { lastStats: w.lastStats } : {}),
    ...(job
      ? {
          lastJob: {
            id: job.id,
            status: job.status,
            ...(job.error && job.status !== 'done' ? { error: job.error } : {}),
          },
        }
      : {}),
    createdAt: w.createdAt,
  };
}

/** `/api/v1/watches` (registry watches) and `/api/v1/alerts`. */
export function watchRoutes({ route, store, errors, onQueued }: WatchRoutesContext): void {
  const forbidden = { '403': { description: 'scope too low', schema: ApiError } };
  const notFound = { '404': { description: 'no such watch', schema: ApiError } };

  route(
    {
      method: 'POST',
      url: '/api/v1/watches',
      summary:
        'watch a registry: its catalog, tags and digests on an interval; new digests scanned, moved tags checked against the trust policy',
      scope: 'admin',
      body: S.CreateWatch,
      responses: { '201': { description: 'created', schema: S.Watch }, ...errors, ...forbidden },
    },
    async (req, reply) => {
      const body = req.body as {
        name?: string;
        registry: string;
        repositories?: string[];
        interval: number;
        insecure: boolean;
        scanners?: string[];
        policy?: string;
        pageSize: number;
      };
      const name = body.name ?? body.registry;
      if (body.policy !== undefined) {
        try {
          watchPolicy(body.policy, name);
        } catch (err) {
          if (err instanceof StrataError && err.userError)
            throw new ServerError('BAD_REQUEST', `policy: ${describeError(err)}`);
          throw err;
        }
      }
      const config: RegistryWatchConfig = {
        registry: body.registry,
        ...(body.repositories?.length ? { repositories: body.repositories } : {}),
        insecure: body.insecure,
        scanners: body.scanners ?? [...DEFAULT_SCANNERS],
        ...(body.policy !== undefined ? { policy: body.policy } : {}),
        pageSize: body.pageSize,
      };
      const w = await store.watches.create({
        id: randomUUID(),
        name,
        kind: 'registry',
        config,
        interval: body.interval,
      });
      return reply.code(201).send(await watchView(store, w));
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/watches',
      summary: 'watches, with their last run',
      scope: 'read',
      responses: { '200': { description: 'watches', schema: S.WatchList }, ...errors },
    },
    async () => ({
      items: await Promise.all((await store.watches.list()).map((w) => watchView(store, w))),
    }),
  );

  const load = async (id: string) => {
    const w = await store.watches.get(id);
    if (!w) throw new ServerError('NOT_FOUND', `no watch ${id}`);
    return w;
  };

  route(
    {
      method: 'GET',
      url: '/api/v1/watches/:id',
      summary: 'one watch, with its last run',
      scope: 'read',
      params: IdParams,
      responses: { '200': { description: 'the watch', schema: S.Watch }, ...errors, ...notFound },
    },
    async (req) => watchView(store, await load((req.params as { id: string }).id)),
  );

  route(
    {
      method: 'DELETE',
      url: '/api/v1/watches/:id',
      summary: 'stop watching (its tag state goes; its alerts and findings stay)',
      scope: 'admin',
      params: IdParams,
      responses: { '204': { description: 'deleted' }, ...errors, ...forbidden, ...notFound },
    },
    async (req, reply) => {
      if (!(await store.watches.delete((req.params as { id: string }).id)))
        throw new ServerError('NOT_FOUND', 'no such watch');
      return reply.code(204).send();
    },
  );

  route(
    {
      method: 'POST',
      url: '/api/v1/watches/:id/run',
      summary: 'run a watch now (the running or queued run when there is one)',
      scope: 'admin',
      params: IdParams,
      responses: {
        '202': {
          description: 'queued: the run job (also in /api/v1/scans)',
          schema: {
            type: 'object',
            required: ['id', 'queued'],
            properties: { id: { type: 'string' }, queued: { type: 'boolean' } },
          },
        },
        ...errors,
        ...forbidden,
        ...notFound,
      },
    },
    async (req, reply) => {
      const run = await store.watches.runNow((req.params as { id: string }).id, watchJob);
      if (!run) throw new ServerError('NOT_FOUND', 'no such watch');
      if (run.queued) onQueued?.(run.jobId);
      return reply.code(202).send({ id: run.jobId, queued: run.queued });
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/alerts',
      summary: 'alerts and events of watches (tag mutations, moved tags), newest first',
      scope: 'read',
      query: S.AlertsQuery,
      responses: { '200': { description: 'alerts', schema: S.AlertList }, ...errors },
    },
    async (req) => {
      const q = req.query as {
        after?: number;
        kind?: string;
        level?: AlertLevel;
        watch?: string;
        limit: number;
      };
      return { items: (await store.watches.listAlerts(q)).map(alertEvent) };
    },
  );
}
