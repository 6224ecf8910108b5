import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { webhookTarget } from '../../notify/index.js';
import { ServerError } from '../errors.js';
import { dbUpdateJob, rematchJob } from '../rematch/jobs.js';
import type { AdvisorySource, NotifyEventType, NotifyFormat } from '../store/fleet-types.js';
import { NOTIFY_EVENTS } from '../store/fleet-types.js';
import type { Store } from '../store/types.js';
import * as F from './fleet-schemas.js';
import type { RouteDoc } from './openapi.js';
import * as S from './schemas.js';

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
export type Route = (doc: RouteDoc, handler: Handler) => void;

export interface FleetRouteOptions {
  readonly store: Store;
  /** the server's advisory source (`--db-mirror`, `--db-ecosystems`, `--db-import`) */
  readonly dbSource?: AdvisorySource;
  readonly onQueued?: (id: string) => void;
}

const errors = {
  '400': { description: 'bad request', schema: S.ApiError },
  '401': { description: 'no or unknown token', schema: S.ApiError },
  '403': { description: 'scope too low', schema: S.ApiError },
};

/** Advisory updates, re-matches and notification targets (`/api/v1/db`, `/rematches`, `/notifications`). */
export function fleetRoutes(route: Route, options: FleetRouteOptions): void {
  const { store } = options;
  const queue = async (type: { name: string; maxAttempts: number }, payload: Record<string, unknown>) => {
    const id = randomUUID();
    await store.insertJob({ id, type: type.name, payload, maxAttempts: type.maxAttempts });
    options.onQueued?.(id);
    return id;
  };

  route(
    {
      method: 'POST',
      url: '/api/v1/db/update',
      summary:
        'update the advisory DB (as `strata db update`, or `db import` of worker paths), then re-match every stored inventory; the job id is the re-match id',
      scope: 'admin',
      body: F.DbUpdate,
      responses: { '202': { description: 'queued', schema: S.Accepted }, ...errors },
    },
    async (req, reply) => {
      if (
        req.body !== undefined &&
        req.body !== null &&
        (typeof req.body !== 'object' || Array.isArray(req.body))
      )
        throw new ServerError('BAD_REQUEST', 'body: expected an object');
      const body = (req.body ?? {}) as AdvisorySource;
      const given = body.mirror || body.ecosystems?.length || body.paths?.length;
      const payload = dbUpdateJob.parse(given ? body : (options.dbSource ?? {}));
      return reply.code(202).send({ id: await queue(dbUpdateJob, payload) });
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/db/updates',
      summary: 'advisory DB updates done, newest first (the version every worker follows)',
      scope: 'read',
      query: F.LimitQuery,
      responses: { '200': { description: 'updates', schema: F.AdvisoryUpdateList }, ...errors },
    },
    async (req) => {
      const rows = await store.rematch.listAdvisoryUpdates((req.query as { limit: number }).limit);
      return {
        items: rows.map((u) => ({
          id: u.id,
          version: u.version,
          job: u.jobId,
          source: u.source,
          summary: u.summary,
          createdAt: u.createdAt,
        })),
      };
    },
  );

  route(
    {
      method: 'POST',
      url: '/api/v1/rematches',
      summary: 're-match every stored inventory against the advisories the workers have now',
      scope: 'admin',
      responses: { '202': { description: 'queued', schema: S.Accepted }, ...errors },
    },
    async (_req, reply) => reply.code(202).send({ id: await queue(rematchJob, {}) }),
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/rematches',
      summary: 're-matches done, newest first',
      scope: 'read',
      query: F.LimitQuery,
      responses: { '200': { description: 're-matches (without images)', schema: F.RematchList }, ...errors },
    },
    async (req) => ({
      items: (await store.rematch.listRematches((req.query as { limit: number }).limit)).map((r) => ({
        ...r,
        status: 'done',
      })),
    }),
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/rematches/:id',
      summary: 'one re-match: every image re-matched, its new findings and the scan of its new result',
      scope: 'read',
      params: S.IdParams,
      query: F.RematchQuery,
      responses: {
        '200': { description: 'the re-match (status of its job until done)', schema: F.Rematch },
        ...errors,
        '404': { description: 'no such re-match', schema: S.ApiError },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const row = await store.rematch.getRematch(id);
      if (row) {
        const affectedOnly = (req.query as { affected?: boolean }).affected;
        return {
          ...row,
          status: 'done',
          items: affectedOnly ? row.items.filter((i) => i.newFindings.length > 0) : row.items,
        };
      }
      const job = await store.getJob(id);
      if (!job || (job.type !== dbUpdateJob.name && job.type !== rematchJob.name))
        throw new ServerError('NOT_FOUND', `no re-match ${id}`);
      return {
        id,
        status: job.status === 'done' ? 'running' : job.status,
        ...(job.error ? { error: job.error } : {}),
      };
    },
  );

  route(
    {
      method: 'POST',
      url: '/api/v1/notifications',
      summary: 'add a webhook target (generic JSON or Slack-compatible text)',
      scope: 'admin',
      body: F.CreateNotification,
      responses: { '201': { description: 'added', schema: F.Notification }, ...errors },
    },
    async (req, reply) => {
      const body = req.body as {
        name?: string;
        url: string;
        format: NotifyFormat;
        events?: NotifyEventType[];
      };
      webhookTarget(body.url, 'url');
      const id = randomUUID();
      await store.outbox.putTarget({
        id,
        name: body.name ?? '',
        url: body.url,
        format: body.format,
        events: body.events ?? [...NOTIFY_EVENTS],
        origin: 'api',
      });
      return reply.code(201).send((await store.outbox.listTargets()).find((t) => t.id === id));
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/notifications',
      summary: 'webhook targets (from the API and from the server configuration)',
      scope: 'admin',
      responses: { '200': { description: 'targets', schema: F.NotificationList }, ...errors },
    },
    async () => ({ items: await store.outbox.listTargets() }),
  );

  route(
    {
      method: 'DELETE',
      url: '/api/v1/notifications/:id',
      summary: 'remove a webhook target (its queued deliveries end failed)',
      scope: 'admin',
      params: S.IdParams,
      responses: {
        '204': { description: 'deleted' },
        ...errors,
        '404': { description: 'no such target', schema: S.ApiError },
      },
    },
    async (req, reply) => {
      if (!(await store.outbox.deleteTarget((req.params as { id: string }).id)))
        throw new ServerError('NOT_FOUND', 'no such notification target');
      return reply.code(204).send();
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/notifications/deliveries',
      summary: 'the delivery outbox, newest first: status, attempts, last error, Idempotency-Key',
      scope: 'admin',
      query: F.LimitQuery,
      responses: { '200': { description: 'deliveries', schema: F.DeliveryList }, ...errors },
    },
    async (req) => ({
      items: (await store.outbox.listDeliveries((req.query as { limit: number }).limit)).map((d) => ({
        id: d.id,
        target: d.targetId,
        key: d.key,
        status: d.status,
        attempts: d.attempts,
        ...(d.error ? { error: d.error } : {}),
        event: d.event,
        createdAt: d.createdAt,
        ...(d.deliveredAt ? { deliveredAt: d.deliveredAt } : {}),
      })),
    }),
  );
}
