import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  buildResult,
  type Finding,
  type ScanResult,
  SEVERITIES,
  type Severity,
  severityRank,
} from '../../core/index.js';
import { writeReport } from '../../report/index.js';
import { diffResults } from '../diff.js';
import { ServerError } from '../errors.js';
import type { EventBus, EventType, ServerEvent } from '../events.js';
import type { JobRow, Store } from '../store/types.js';
import { clusterView } from './clusters.js';
import type { RouteDoc } from './openapi.js';
import * as S from './schemas.js';
import * as D from './schemas-dashboard.js';

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export interface DashboardContext {
  readonly app: FastifyInstance;
  readonly route: (doc: RouteDoc, handler: Handler) => void;
  readonly store: Store;
  readonly events: EventBus;
  /** how often finished jobs are looked for (ms); 0 turns the watcher off */
  readonly watchMs?: number;
}

/** The four doors of the README, and the findings that cross them. */
export const DOORS = [
  { id: 'access', label: 'Access and authorization', kinds: ['misconfiguration', 'rbac', 'audit'] },
  { id: 'exposure', label: 'API server exposure', kinds: ['exposure'] },
  { id: 'image', label: 'Image vulnerabilities', kinds: ['vulnerability', 'secret', 'signature'] },
  { id: 'network', label: 'Network contamination', kinds: ['network'] },
  { id: 'paths', label: 'Attack paths (across doors)', kinds: ['attack-path'] },
] as const;

type Counts = Record<Severity, number>;
const zero = (): Counts => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Counts;

/** What the list views need of one stored result, kept in memory (results never change once written). */
interface ResultFacts {
  readonly name: string;
  readonly type: string;
  readonly digest?: string;
  readonly summary: Counts;
  readonly kinds: Record<string, Counts>;
  readonly packages: number;
}

const IMAGE_TYPES = new Set(['container_image']);
const CLUSTER_TYPES = new Set(['cluster', 'kubernetes']);

/** `Kind/namespace/name` → namespace; network findings name theirs in the evidence. */
export function namespaceOf(f: Finding): string | undefined {
  const parts = (f.location.resource ?? '').split('/');
  if (parts.length === 3 && parts[1]) return parts[1];
  const ev = f.evidence as { namespace?: unknown };
  return typeof ev.namespace === 'string' ? ev.namespace : undefined;
}

/** A weighted count: one CRITICAL outweighs any number of LOWs in practice. */
export function riskScore(c: Counts): number {
  return c.CRITICAL * 1000 + c.HIGH * 100 + c.MEDIUM * 10 + c.LOW;
}

function facts(result: ScanResult): ResultFacts {
  const kinds: Record<string, Counts> = {};
  const summary = zero();
  for (const f of result.findings) {
    kinds[f.kind] ??= zero();
    (kinds[f.kind] as Counts)[f.severity] += 1;
    summary[f.severity] += 1;
  }
  return {
    name: result.target.name,
    type: result.target.type,
    ...(result.target.digest ? { digest: result.target.digest } : {}),
    summary,
    kinds,
    packages: result.packages.length,
  };
}

const fail = (code: ServerError['code'], message: string) => new ServerError(code, message);

/** The read APIs of the web dashboard, the job watcher and `GET /api/v1/events`. */
export function registerDashboard(ctx: DashboardContext): void {
  const { route, store } = ctx;
  const factCache = new Map<string, ResultFacts>();
  const resultCache = new Map<string, ScanResult>();

  const loadResult = async (resultId: string): Promise<ScanResult | undefined> => {
    const hit = resultCache.get(resultId);
    if (hit) {
      resultCache.delete(resultId);
      resultCache.set(resultId, hit);
      return hit;
    }
    const result = await store.getResult(resultId);
    if (!result) return undefined;
    resultCache.set(resultId, result);
    if (resultCache.size > 32) resultCache.delete(resultCache.keys().next().value as string);
    return result;
  };
  const loadFacts = async (resultId: string): Promise<ResultFacts | undefined> => {
    const hit = factCache.get(resultId);
    if (hit) return hit;
    const result = await loadResult(resultId);
    if (!result) return undefined;
    const f = facts(result);
    if (factCache.size > 20_000) factCache.clear();
    factCache.set(resultId, f);
    return f;
  };

  interface Done {
    readonly job: JobRow;
    readonly facts: ResultFacts;
  }
  /** Done scans, newest first, with the facts of their results. */
  const doneScans = async (limit = 1000): Promise<Done[]> => {
    const jobs = await store.listJobs({ status: 'done', limit });
    const out: Done[] = [];
    for (const job of jobs) {
      if (!job.resultId) continue;
      const f = await loadFacts(job.resultId);
      if (f) out.push({ job, facts: f });
    }
    return out;
  };
  const finished = (d: Done) => d.job.finishedAt ?? d.job.createdAt;
  /** The newest done scan of each target (by `target.name`), with how many scans it has. */
  const latestByTarget = (all: readonly Done[]): { latest: Done; scans: number }[] => {
    const by = new Map<string, { latest: Done; scans: number }>();
    for (const d of all) {
      const key = `${d.facts.type}\u0000${d.facts.name}`;
      const seen = by.get(key);
      if (seen) seen.scans += 1;
      else by.set(key, { latest: d, scans: 1 });
    }
    return [...by.values()];
  };
  const imageRow = ({ latest, scans }: { latest: Done; scans: number }) => ({
    name: latest.facts.name,
    ...(latest.facts.digest ? { digest: latest.facts.digest } : {}),
    scan: latest.job.id,
    scannedAt: finished(latest),
    scans,
    packages: latest.facts.packages,
    summary: latest.facts.summary,
    kinds: latest.facts.kinds,
    risk: riskScore(latest.facts.summary),
  });
  /** The newest done scan of a target name, among the types given. */
  const latestOf = async (name: string, types: ReadonlySet<string>) => {
    const all = (await doneScans()).filter((d) => types.has(d.facts.type) && d.facts.name === name);
    const latest = all[0];
    if (!latest?.job.resultId) throw fail('NOT_FOUND', `no done scan of ${name}`);
    const result = await loadResult(latest.job.resultId);
    if (!result) throw fail('NOT_FOUND', `no done scan of ${name}`);
    return { latest, result, history: all };
  };

  route(
    {
      method: 'GET',
      url: '/api/v1/summary',
      summary:
        'the dashboard overview: findings by door and severity of the newest scan of each target, a daily trend, the riskiest images and the queue',
      scope: 'read',
      query: D.SummaryQuery,
      responses: { '200': { description: 'the overview', schema: D.Summary }, ...errorsOf() },
    },
    async (req) => {
      const days = (req.query as { days: number }).days;
      const all = await doneScans();
      const latest = latestByTarget(all);
      const doors = DOORS.map((door) => {
        const counts = zero();
        for (const { latest: l } of latest)
          for (const kind of door.kinds) {
            const c = l.facts.kinds[kind];
            if (c) for (const s of SEVERITIES) counts[s] += c[s];
          }
        return { id: door.id, label: door.label, kinds: [...door.kinds], counts };
      });
      const totals = zero();
      for (const { latest: l } of latest) for (const s of SEVERITIES) totals[s] += l.facts.summary[s];
      // each day: the newest scan of each target finished by that day's end, summed
      const trend: Array<{ date: string } & Counts> = [];
      const today = new Date();
      const chronological = [...all].reverse();
      for (let i = days - 1; i >= 0; i--) {
        const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
        const end = new Date(day.getTime() + 86_400_000).toISOString();
        const asOf = new Map<string, Counts>();
        for (const d of chronological)
          if (finished(d) < end) asOf.set(`${d.facts.type}|${d.facts.name}`, d.facts.summary);
        const counts = zero();
        for (const c of asOf.values()) for (const s of SEVERITIES) counts[s] += c[s];
        trend.push({ date: day.toISOString().slice(0, 10), ...counts });
      }
      const images = latest.filter((l) => IMAGE_TYPES.has(l.latest.facts.type)).map(imageRow);
      images.sort((a, b) => b.risk - a.risk || (a.name < b.name ? -1 : 1));
      return {
        targets: latest.length,
        scans: all.length,
        totals,
        doors,
        trend,
        topImages: images.slice(0, 5),
        queue: await store.queueDepth(),
      };
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/images',
      summary: 'scanned images (the newest done scan of each image name), riskiest first',
      scope: 'read',
      query: D.ImagesQuery,
      responses: { '200': { description: 'images', schema: D.ImageList }, ...errorsOf() },
    },
    async (req) => {
      const q = (req.query as { q?: string }).q?.toLowerCase();
      const rows = latestByTarget(await doneScans())
        .filter((l) => IMAGE_TYPES.has(l.latest.facts.type))
        .map(imageRow)
        .filter((r) => !q || r.name.toLowerCase().includes(q) || (r.digest ?? '').includes(q));
      rows.sort((a, b) => b.risk - a.risk || (a.name < b.name ? -1 : 1));
      return { items: rows };
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/images/detail',
      summary:
        'one image: its newest done scan with layers (and what each added), packages, findings, signature status and scan history',
      scope: 'read',
      query: D.NameQuery,
      responses: {
        '200': { description: 'the image', schema: D.ImageDetail },
        ...errorsOf(),
        '404': { description: 'no done scan of that image', schema: S.ApiError },
      },
    },
    async (req) => {
      const name = (req.query as { name: string }).name;
      const { latest, result, history } = await latestOf(name, IMAGE_TYPES);
      const layers = (result.layers ?? []).map((layer, index) => {
        const added = result.packages.filter((p) => p.layer === layer.digest || p.layer === layer.diffId);
        const found = result.findings.filter(
          (f) => f.location.layer === layer.digest || f.location.layer === layer.diffId,
        );
        return {
          index,
          ...layer,
          packages: added.map((p) => `${p.name} ${p.version}`),
          findings: zeroPlus(found),
        };
      });
      const signatures = result.findings.filter((f) => f.kind === 'signature');
      const signature =
        signatures.length > 0
          ? { status: 'failed', detail: signatures.map((f) => f.title).join('; ') }
          : result.metadata && 'verification' in result.metadata
            ? { status: 'verified', detail: 'a signature verified under the trust policy' }
            : {
                status: 'not-checked',
                detail: 'this scan did not verify signatures (strata verify checks them)',
              };
      return {
        name,
        ...(result.target.digest ? { digest: result.target.digest } : {}),
        scan: latest.job.id,
        scannedAt: finished(latest),
        ...(result.os ? { os: result.os } : {}),
        summary: result.summary,
        layers,
        packages: result.packages,
        findings: result.findings,
        errors: result.errors,
        signature,
        sbom: result.target.digest ? (await store.getInventory(result.target.digest)) !== undefined : false,
        history: history.map((d) => ({ scan: d.job.id, scannedAt: finished(d), summary: d.facts.summary })),
      };
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/inventories/:digest/sbom',
      summary: 'the SBOM of a stored inventory (CycloneDX or SPDX JSON, as `strata sbom` writes)',
      scope: 'read',
      params: D.DigestParams,
      query: D.SbomQuery,
      responses: {
        '200': { description: 'the SBOM document' },
        ...errorsOf(),
        '404': { description: 'no inventory of that digest', schema: S.ApiError },
      },
    },
    async (req, reply) => {
      const digest = (req.params as { digest: string }).digest;
      const format = (req.query as { format: 'cyclonedx' | 'spdx' }).format;
      const inventory = await store.getInventory(digest);
      if (!inventory) throw fail('NOT_FOUND', `no stored inventory of ${digest}`);
      // the layers and OS of the newest scan of that digest, when one is kept
      const scan = (await doneScans()).find((d) => d.facts.digest === digest);
      const stored = scan?.job.resultId ? await loadResult(scan.job.resultId) : undefined;
      const doc = writeReport(
        buildResult({
          target: { type: 'container_image', name: inventory.target, digest },
          ...(stored?.os ? { os: stored.os } : {}),
          ...(stored?.layers ? { layers: stored.layers } : {}),
          packages: inventory.packages,
        }),
        format,
      );
      const file = `${inventory.target.replace(/[^\w.-]+/g, '_')}.${format === 'cyclonedx' ? 'cdx' : 'spdx'}.json`;
      return reply
        .header(
          'content-type',
          format === 'cyclonedx' ? 'application/vnd.cyclonedx+json' : 'application/spdx+json',
        )
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(doc);
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/findings/current',
      summary:
        'findings of the newest done scan of each target, by kind, severity, namespace, advisory (id or alias) and target',
      scope: 'read',
      query: D.CurrentFindingsQuery,
      responses: { '200': { description: 'findings', schema: D.CurrentFindings }, ...errorsOf() },
    },
    async (req) => {
      const q = req.query as {
        kind?: string;
        severity?: string;
        namespace?: string;
        advisory?: string;
        target?: string;
        limit: number;
      };
      const items: object[] = [];
      let total = 0;
      for (const { latest } of latestByTarget(await doneScans())) {
        if (q.target && latest.facts.name !== q.target) continue;
        const result = latest.job.resultId ? await loadResult(latest.job.resultId) : undefined;
        for (const f of result?.findings ?? []) {
          if (q.kind && f.kind !== q.kind) continue;
          if (q.severity && f.severity !== q.severity) continue;
          if (q.advisory && f.id !== q.advisory && !(f.aliases ?? []).includes(q.advisory)) continue;
          const ns = namespaceOf(f);
          if (q.namespace && ns !== q.namespace) continue;
          total += 1;
          if (items.length < q.limit)
            items.push({
              scan: latest.job.id,
              target: latest.facts.name,
              targetType: latest.facts.type,
              ...(ns ? { namespace: ns } : {}),
              finding: f,
            });
        }
      }
      items.sort(
        (a, b) =>
          severityRank((b as { finding: Finding }).finding.severity) -
          severityRank((a as { finding: Finding }).finding.severity),
      );
      return { total, items };
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/cluster-results',
      summary:
        'scanned clusters and manifest sets (the newest done scan of each), riskiest first; stored[]: the clusters stored for scanning (POST /api/v1/clusters)',
      scope: 'read',
      responses: { '200': { description: 'clusters', schema: D.ClusterList }, ...errorsOf() },
    },
    async () => {
      const rows = latestByTarget(await doneScans())
        .filter((l) => CLUSTER_TYPES.has(l.latest.facts.type))
        .map((l) => ({ ...imageRow(l), type: l.latest.facts.type }));
      rows.sort((a, b) => b.risk - a.risk || (a.name < b.name ? -1 : 1));
      return { items: rows, stored: (await store.listClusters()).map(clusterView) };
    },
  );

  route(
    {
      method: 'GET',
      url: '/api/v1/cluster-results/detail',
      summary:
        'one cluster: Pod Security Standards per namespace, RBAC risks, the allowed-connection graph and attack paths of its newest done scan',
      scope: 'read',
      query: D.NameQuery,
      responses: {
        '200': { description: 'the cluster', schema: D.ClusterDetail },
        ...errorsOf(),
        '404': { description: 'no done scan of that cluster', schema: S.ApiError },
      },
    },
    async (req) => {
      const name = (req.query as { name: string }).name;
      const { latest, result } = await latestOf(name, CLUSTER_TYPES);
      const namespaces = new Map<
        string,
        { baseline: Set<string>; restricted: Set<string>; findings: number }
      >();
      const ns = (n: string) => {
        let e = namespaces.get(n);
        if (!e) {
          e = { baseline: new Set(), restricted: new Set(), findings: 0 };
          namespaces.set(n, e);
        }
        return e;
      };
      for (const f of result.findings) {
        const n = namespaceOf(f);
        if (!n) continue;
        const e = ns(n);
        e.findings += 1;
        const level = (f.evidence as { level?: unknown }).level;
        const resource = f.location.resource ?? f.location.path ?? f.id;
        if (f.kind === 'misconfiguration' && level === 'baseline') e.baseline.add(resource);
        if (f.kind === 'misconfiguration' && level === 'restricted') e.restricted.add(resource);
      }
      const pss = [...namespaces.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([namespace, e]) => ({
          namespace,
          baseline: e.baseline.size === 0 ? 'PASS' : 'FAIL',
          restricted: e.baseline.size === 0 && e.restricted.size === 0 ? 'PASS' : 'FAIL',
          baselineViolations: [...e.baseline].sort(),
          restrictedViolations: [...e.restricted].sort(),
          findings: e.findings,
        }));
      const meta = result.metadata as { network?: unknown; paths?: { computed?: unknown } } | undefined;
      const network = meta?.network;
      const attackPaths = result.findings.filter((f) => f.kind === 'attack-path');
      return {
        name,
        type: result.target.type,
        scan: latest.job.id,
        scannedAt: finished(latest),
        summary: result.summary,
        pss,
        rbac: result.findings.filter((f) => f.kind === 'rbac'),
        network: network ?? null,
        networkFindings: result.findings.filter((f) => f.kind === 'network' || f.kind === 'exposure'),
        attackPaths,
        attackPathsComputed: attackPaths.length > 0 || meta?.paths?.computed === true,
      };
    },
  );

  registerEvents(ctx);
  if ((ctx.watchMs ?? 1000) > 0) watchJobs(ctx, loadResult);
}

function zeroPlus(findings: readonly Finding[]): Counts {
  const c = zero();
  for (const f of findings) c[f.severity] += 1;
  return c;
}

function errorsOf() {
  return {
    '400': { description: 'bad request', schema: S.ApiError },
    '401': { description: 'no or unknown token', schema: S.ApiError },
  };
}

/** `GET /api/v1/events`: the bus as server-sent events (kept events first, then live ones). */
function registerEvents(ctx: DashboardContext): void {
  const { app, route, events } = ctx;
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  route(
    {
      method: 'GET',
      url: '/api/v1/events',
      summary:
        'live alerts as server-sent events (text/event-stream): scan.done, scan.failed, findings.new, audit.alert, tag.mutated, tag.moved, watch.alert; the token goes in the Authorization header, never the URL; Last-Event-ID resumes',
      scope: 'read',
      responses: {
        '200': {
          description: 'an endless text/event-stream; each `data:` line is one event',
          schema: D.Event,
        },
        ...errorsOf(),
      },
    },
    async (req, reply) => {
      const header = req.headers['last-event-id'];
      const last = Number(Array.isArray(header) ? header[0] : header);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      const send = (e: ServerEvent) => {
        res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      res.write('retry: 3000\n\n');
      for (const e of Number.isInteger(last) && last > 0 ? events.since(last) : events.since(0, 50)) send(e);
      const unsubscribe = events.subscribe(send);
      const ping = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      const end = () => {
        clearInterval(ping);
        unsubscribe();
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      open.add(end);
      req.raw.on('close', end);
      res.on('error', end);
    },
  );
}

/**
 * Publishes `scan.done`/`scan.failed` for jobs that finished since the last look, and
 * `findings.new` for CRITICAL/HIGH findings a done scan has that the previous scan of its target had
 * not. It reads the store, so jobs finished by `strata worker` processes count too.
 */
function watchJobs(ctx: DashboardContext, loadResult: (id: string) => Promise<ScanResult | undefined>): void {
  const { app, store, events } = ctx;
  let seen: Set<string> | undefined;
  let busy = false;
  const targetOf = (j: JobRow) => {
    const p = j.payload as { target?: unknown; path?: unknown };
    return String(p.target ?? p.path ?? j.type);
  };
  const look = async () => {
    const jobs = await store.listJobs({ limit: 200 });
    const ended = jobs.filter((j) => j.status === 'done' || j.status === 'failed');
    const first = seen === undefined;
    const before = seen ?? new Set<string>();
    seen = new Set(ended.map((j) => j.id));
    if (first) return;
    for (const job of ended.filter((j) => !before.has(j.id)).reverse()) {
      const target = targetOf(job);
      if (job.status === 'failed') {
        events.publish({
          type: 'scan.failed',
          severity: 'HIGH',
          message: `${target}: scan failed: ${job.error ?? 'unknown error'}`,
          data: { scan: job.id, target, error: job.error ?? '' },
        });
        continue;
      }
      const result = job.resultId ? await loadResult(job.resultId) : undefined;
      if (!result) continue;
      const summary = result.summary;
      events.publish({
        type: 'scan.done',
        severity: 'INFO',
        message: `${result.target.name}: scan done, ${summary.CRITICAL} critical, ${summary.HIGH} high`,
        data: { scan: job.id, target: result.target.name, summary },
      });
      const previous = jobs.find(
        (j) =>
          j.status === 'done' && j.id !== job.id && targetOf(j) === target && j.createdAt <= job.createdAt,
      );
      const prior = previous?.resultId ? await loadResult(previous.resultId) : undefined;
      const fresh = (prior ? diffResults(result, prior).new : result.findings).filter(
        (f) => f.severity === 'CRITICAL' || f.severity === 'HIGH',
      );
      if (fresh.length === 0) continue;
      events.publish({
        type: 'findings.new',
        severity: fresh.some((f) => f.severity === 'CRITICAL') ? 'CRITICAL' : 'HIGH',
        message: `${result.target.name}: ${fresh.length} new CRITICAL/HIGH finding${fresh.length === 1 ? '' : 's'}${prior ? ' since the previous scan' : ''}`,
        data: {
          scan: job.id,
          ...(previous ? { against: previous.id } : {}),
          target: result.target.name,
          count: fresh.length,
          findings: fresh.slice(0, 20).map((f) => ({
            id: f.id,
            kind: f.kind,
            severity: f.severity,
            title: f.title,
            ...(f.package ? { package: `${f.package.name} ${f.package.version}` } : {}),
          })),
        },
      });
    }
  };
  const alerts = alertWatcher(store, events);
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (busy) return;
    busy = true;
    Promise.all([
      look().catch((err) => app.log.warn({ err: String(err) }, 'dashboard job watcher: looking failed')),
      alerts().catch((err) => app.log.warn({ err: String(err) }, 'dashboard alert watcher: looking failed')),
    ]).finally(() => {
      busy = false;
    });
  };
  app.addHook('onReady', async () => {
    tick();
    timer = setInterval(tick, ctx.watchMs ?? 1000);
    timer.unref();
  });
  app.addHook('preClose', async () => {
    if (timer) clearInterval(timer);
  });
}

/** Alerts read per look; more written between two looks than this: the newest are published. */
const ALERT_PAGE = 200;
/**
 * Sequences below the newest seen that are read again: on PostgreSQL a run that took its sequence
 * numbers first can commit after one that took later ones, and must not be skipped.
 */
const ALERT_LATE_WINDOW = 100;
const EVENT_SEVERITIES = new Set(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']);

/** The bus type of a stored alert kind (`tag-mutated` → `tag.mutated`). */
export function alertEventType(kind: string): EventType {
  switch (kind) {
    case 'tag-mutated':
      return 'tag.mutated';
    case 'tag-moved':
      return 'tag.moved';
    default:
      return 'watch.alert';
  }
}

/**
 * One look of the alert watcher: publishes the alerts (watch runs write them, in this process or
 * in `strata worker` processes) written since the previous look, oldest first, each once. The first
 * look only notes the newest sequence: alerts older than the server are listed by
 * `GET /api/v1/alerts`, not replayed.
 */
export function alertWatcher(store: Store, events: EventBus): () => Promise<void> {
  let baseline: number | undefined;
  let newest = 0;
  const published = new Set<string>();
  return async () => {
    if (baseline === undefined) {
      const [top] = await store.watches.listAlerts({ limit: 1 });
      baseline = top?.seq ?? 0;
      newest = baseline;
      return;
    }
    const from = Math.max(baseline, newest - ALERT_LATE_WINDOW);
    const rows = (await store.watches.listAlerts({ after: from, limit: ALERT_PAGE }))
      .filter((a) => !published.has(a.id))
      .reverse();
    for (const a of rows) {
      const severity = a.severity && EVENT_SEVERITIES.has(a.severity) ? a.severity : undefined;
      events.publish({
        type: alertEventType(a.kind),
        severity: (severity ?? (a.level === 'alert' ? 'HIGH' : 'INFO')) as ServerEvent['severity'],
        message: a.message,
        time: a.createdAt,
        data: {
          alert: a.id,
          seq: a.seq,
          kind: a.kind,
          level: a.level,
          subject: a.subject,
          ...(a.watchId ? { watch: a.watchId } : {}),
          ...(a.jobId ? { job: a.jobId } : {}),
          details: a.details,
        },
      });
      published.add(a.id);
      newest = Math.max(newest, a.seq);
    }
    // ids below the window can no longer be read again: forget them
    if (published.size > 4 * ALERT_PAGE) {
      const floor = newest - ALERT_LATE_WINDOW;
      const keep = (await store.watches.listAlerts({ after: floor, limit: ALERT_PAGE })).map((a) => a.id);
      for (const id of [...published]) if (!keep.includes(id)) published.delete(id);
    }
  };
}
