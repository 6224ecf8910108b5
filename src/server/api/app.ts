import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { describeError, StrataError } from '../../core/index.js';
import { diffResults } from '../diff.js';
import { ServerError } from '../errors.js';
import { EventBus } from '../events.js';
import { contractOf, isLocalImageTarget, scanFsJob, scanImageJob } from '../jobs/index.js';
import type { Metrics } from '../metrics.js';
import type { AdvisorySource } from '../store/fleet-types.js';
import type { JobRow, JobStatus, Store } from '../store/types.js';
import { hashToken, type Scope, scopeAllows } from '../tokens.js';
import { registerClusterRoutes } from './clusters.js';
import { registerDashboard } from './dashboard.js';
import { fleetRoutes } from './fleet-routes.js';
import { openApiDocument, type RouteDoc } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import * as S from './schemas.js';
import { watchRoutes } from './watches.js';
import { registerWeb } from './web.js';

export interface ApiOptions {
  readonly store: Store;
  readonly metrics: Metrics;
  /** requests per minute per token */
  readonly rateLimit: number;
  /** largest request body accepted, bytes */
  readonly bodyLimit: number;
  /** told when a job was queued (the embedded worker looks at once) */
  readonly onQueued?: (id: string) => void;
  /** pino options (false: no logs) */
  readonly logger?: boolean | object;
  readonly ready?: () => Promise<void>;
  /** the event bus behind `GET /api/v1/events` (events.ts); one is made when not given */
  readonly events?: EventBus;
  /** the web dashboard's files (default: dist/web beside the compiled server) */
  readonly webRoot?: string;
  /** the advisory source of `POST /api/v1/db/update` without a body (server --db-mirror ...) */
  readonly dbSource?: AdvisorySource;
}

declare module 'fastify' {
  interface FastifyRequest {
    tokenScope?: Scope;
  }
}

function scanView(job: JobRow): Record<string, unknown> {
  const p = job.payload as { target?: string; path?: string };
  return {
    id: job.id,
    kind: job.type,
    ...(p.target || p.path ? { target: p.target ?? p.path } : {}),
    status: job.status,
    attempts: job.attempts,
    ...(job.error && job.status !== 'done' ? { error: job.error } : {}),
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  };
}

const fail = (code: ServerError['code'], message: string) => new ServerError(code, message);

/** The HTTP API (`/api/v1`), health, readiness and metrics. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const { store } = options;
  const app = Fastify({
    bodyLimit: options.bodyLimit,
    logger:
      options.logger === false
        ? false
        : {
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    genReqId: () => randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  const limiter = new RateLimiter(options.rateLimit);
  const docs: RouteDoc[] = [];

  const authorize = (scope: Scope) => async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) throw fail('UNAUTHORIZED', 'an "Authorization: Bearer TOKEN" header is needed');
    const hash = hashToken(m[1]);
    const token = await store.findTokenByHash(hash);
    if (!token) throw fail('UNAUTHORIZED', 'unknown or revoked token');
    const taken = limiter.take(token.id);
    if (!taken.ok) {
      reply.header('retry-after', String(taken.retryAfter));
      throw fail('RATE_LIMITED', `rate limit of ${options.rateLimit} requests a minute reached`);
    }
    if (!scopeAllows(token.scope, scope)) throw fail('FORBIDDEN', `this needs a token of scope ${scope}`);
    req.tokenScope = token.scope;
  };

  type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  const route = (doc: RouteDoc, handler: Handler) => {
    docs.push(doc);
    app.route({
      method: doc.method as 'GET',
      url: doc.url,
      schema: {
        ...(doc.body ? { body: doc.body } : {}),
        ...(doc.query ? { querystring: doc.query } : {}),
        ...(doc.params ? { params: doc.params } : {}),
      },
      ...(doc.scope ? { preHandler: authorize(doc.scope as Scope) } : {}),
      handler,
    });
  };

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (err instanceof ServerError)
      return reply.code(err.status).send({ error: err.code, message: err.message });
    if (err.validation) return reply.code(400).send({ error: 'BAD_REQUEST', message: err.message });
    if (err instanceof StrataError && err.userError)
      return reply.code(400).send({ error: err.code, message: describeError(err) });
    if (err.statusCode && err.statusCode < 500)
      return reply.code(err.statusCode).send({ error: 'BAD_REQUEST', message: err.message });
    req.log.error({ err: describeError(err) }, 'request failed');
    return reply.code(500).send({ error: 'INTERNAL', message: 'internal error' });
  });

  const errors = {
    '400': { description: 'bad request', schema: S.ApiError },
    '401': { description: 'no or unknown token', schema: S.ApiError },
  };

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await store.ping();
      await options.ready?.();
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', message: describeError(err) });
    }
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });
  app.get('/api/v1/openapi.json', async () => openApiDocument(docs));

  route(
    {
      method: 'POST',
      url: '/api/v1/scans',
      summary:
        'queue a scan: an image target (as `strata image`) or a worker path (as `strata fs`, admin only)',
      scope: 'scan',
      body: S.CreateScan,
      responses: {
        '202': { description: 'queued', schema: S.Accepted },
        ...errors,
        '403': { description: 'scope too low', schema: S.ApiError },
      },
    },
    async (req, reply) => {
      const body = req.body as { target?: string; path?: string; scanners?: string[]; insecure?: boolean };
      const local = body.path !== undefined || (body.target !== undefined && isLocalImageTarget(body.target));
      if (local && req.tokenScope !== 'admin')
        throw fail('FORBIDDEN', 'scanning a path or local image on the worker needs an admin token');
      const id = randomUUID();
      if (body.path !== undefined) {
        const payload = scanFsJob.parse({
          path: body.path,
          ...(body.scanners ? { scanners: body.scanners } : {}),
        });
        await store.insertJob({ id, type: scanFsJob.name, payload, maxAttempts: scanFsJob.maxAttempts });
      } else {
        const payload = scanImageJob.parse(body);
        await store.insertJob({
          id,
          type: scanImageJob.name,
          payload,
          maxAttempts: scanImageJob.maxAttempts,
        });
      }
      options.onQueued?.(id);
      return reply.code(202).send({ id });
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/scans',
      summary: 'scans, newest first',
      scope: 'read',
      query: S.ListQuery,
      responses: { '200': { description: 'scans (without results)', schema: S.ScanList }, ...errors },
    },
    async (req) => {
      const q = req.query as { status?: JobStatus; limit: number };
      const jobs = await store.listJobs({ limit: q.limit, ...(q.status ? { status: q.status } : {}) });
      return { items: jobs.map(scanView) };
    },
  );

  const loadScan = async (id: string) => {
    const job = await store.getJob(id);
    if (!job) throw fail('NOT_FOUND', `no scan ${id}`);
    return job;
  };
  const loadResult = async (job: JobRow) => {
    const result = job.resultId ? await store.getResult(job.resultId) : undefined;
    if (!result) throw fail('NOT_FOUND', `scan ${job.id} has no result (status ${job.status})`);
    return result;
  };

  route(
    {
      method: 'GET',
      url: '/api/v1/scans/:id',
      summary: 'one scan with its result once done',
      scope: 'read',
      params: S.IdParams,
      responses: {
        '200': { description: 'the scan', schema: S.Scan },
        ...errors,
        '404': { description: 'no such scan', schema: S.ApiError },
      },
    },
    async (req) => {
      const job = await loadScan((req.params as { id: string }).id);
      // the JSON contract: what a job stored beside it (a cluster's graph) is the dashboard's
      const result = job.status === 'done' ? contractOf(await loadResult(job)) : undefined;
      return { ...scanView(job), ...(result ? { result } : {}) };
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/scans/:id/diff',
      summary: 'findings new, fixed and unchanged since another scan',
      scope: 'read',
      params: S.IdParams,
      query: S.DiffQuery,
      responses: {
        '200': { description: 'the difference', schema: S.Diff },
        ...errors,
        '404': { description: 'no such scan or no result', schema: S.ApiError },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const against = (req.query as { against: string }).against;
      const current = await loadResult(await loadScan(id));
      const previous = await loadResult(await loadScan(against));
      return { scan: id, against, ...diffResults(current, previous) };
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/findings',
      summary:
        'findings across stored scans, by image, package, version, advisory (id or alias), severity, cluster and namespace',
      scope: 'read',
      query: S.FindingsQuery,
      responses: {
        '200': { description: 'matching findings with their scans', schema: S.FindingHits },
        ...errors,
      },
    },
    async (req) => {
      const q = req.query as {
        image?: string;
        package?: string;
        version?: string;
        advisory?: string;
        severity?: string;
        cluster?: string;
        namespace?: string;
        limit: number;
      };
      const hits = await store.findFindings(q);
      return {
        items: hits.map((h) => ({
          scan: h.scanId,
          image: h.image,
          ...(h.digest ? { digest: h.digest } : {}),
          finding: h.finding,
        })),
      };
    },
  );

  route(
    {
      method: 'POST',
      url: '/api/v1/credentials',
      summary: 'store registry credentials for the workers (the password is never returned)',
      scope: 'admin',
      body: S.CreateCredential,
      responses: { '201': { description: 'stored', schema: S.Credential }, ...errors },
    },
    async (req, reply) => {
      const body = req.body as { registry: string; username: string; password: string };
      const id = randomUUID();
      await store.putCredential({ id, ...body });
      const row = (await store.listCredentials()).find((c) => c.registry === body.registry);
      return reply.code(201).send(row);
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/credentials',
      summary: 'stored registry credentials, without secrets',
      scope: 'admin',
      responses: { '200': { description: 'credentials', schema: S.CredentialList }, ...errors },
    },
    async () => ({ items: await store.listCredentials() }),
  );

  route(
    {
      method: 'DELETE',
      url: '/api/v1/credentials/:id',
      summary: 'forget stored registry credentials',
      scope: 'admin',
      params: S.IdParams,
      responses: {
        '204': { description: 'deleted' },
        ...errors,
        '404': { description: 'no such credential', schema: S.ApiError },
      },
    },
    async (req, reply) => {
      if (!(await store.deleteCredential((req.params as { id: string }).id)))
        throw fail('NOT_FOUND', 'no such credential');
      return reply.code(204).send();
    },
  );

  registerDashboard({ app, route, store, events: options.events ?? new EventBus() });
  fleetRoutes(route, {
    store,
    ...(options.dbSource ? { dbSource: options.dbSource } : {}),
    ...(options.onQueued ? { onQueued: options.onQueued } : {}),
  });
  registerClusterRoutes({ route, store, ...(options.onQueued ? { onQueued: options.onQueued } : {}) });
  await registerWeb(app, options.webRoot);
  watchRoutes({ route, store, errors, ...(options.onQueued ? { onQueued: options.onQueued } : {}) });

  return app;
}
