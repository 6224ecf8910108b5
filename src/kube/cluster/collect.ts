import type { ScanError } from '../../core/types.js';
import { type KubeResource, stringTable } from '../load/index.js';
import type { ApiClient, FetchOutcome } from './client.js';
import { toKubeResource } from './convert.js';
import { ClusterError, COLLECTOR_NAME } from './errors.js';
import {
  CONFIG_MAPS,
  listPath,
  METADATA_ONLY_ACCEPT,
  RESOURCE_TYPES,
  type ResourceType,
} from './resources.js';

/** A list the collector could not read completely; never the same as "there are none". */
export interface CollectFailure {
  readonly kind: string;
  /** the API's plural name: `secrets`, `clusterroles` */
  readonly resource: string;
  readonly namespace?: string;
  /** `GET <url>` of the request that failed */
  readonly request: string;
  readonly reason: 'forbidden' | 'unauthorized' | 'timeout' | 'error';
  readonly status?: number;
  readonly message: string;
  /** items already read from earlier pages (the list is incomplete) */
  readonly partialItems: number;
}

export interface CollectOptions {
  readonly namespace?: string;
  /** `limit` per page (default 500) */
  readonly pageSize?: number;
  /** lists fetched at once (default 4) */
  readonly concurrency?: number;
  /** pages per list before it is abandoned as an endless `continue` chain (default 1000) */
  readonly maxPages?: number;
  readonly types?: readonly ResourceType[];
  /** the table every item's strings are shared through (collectCluster makes one) */
  readonly text?: (s: string) => string;
}

export interface CollectResult {
  readonly resources: KubeResource[];
  readonly failures: CollectFailure[];
  readonly errors: ScanError[];
  /** items per kind, for every list read completely */
  readonly counts: Record<string, number>;
}

function failureOf(
  outcome: Exclude<FetchOutcome, { type: 'ok' }>,
  request: string,
  type: { kind: string; plural: string },
  namespace: string | undefined,
  partialItems: number,
): CollectFailure {
  const reason =
    outcome.type === 'http-error'
      ? outcome.status === 403
        ? 'forbidden'
        : outcome.status === 401
          ? 'unauthorized'
          : 'error'
      : outcome.type === 'timeout'
        ? 'timeout'
        : 'error';
  return {
    kind: type.kind,
    resource: type.plural,
    ...(namespace ? { namespace } : {}),
    request,
    reason,
    ...(outcome.type === 'http-error' ? { status: outcome.status } : {}),
    message: outcome.message,
    partialItems,
  };
}

const DEFAULT_MAX_PAGES = 1000;
/** the API server never sends an empty page that is not the last; a few are tolerated */
const MAX_EMPTY_PAGES = 3;

type ListOutcome = { items: KubeResource[] } | { failure: CollectFailure } | { absent: true };

/** Reads every page (`limit` + `continue`) of one list; any failed page fails the list. */
async function listAll(
  client: ApiClient,
  type: ResourceType,
  file: string,
  options: CollectOptions,
): Promise<ListOutcome> {
  const ns = type.namespaced ? options.namespace : undefined;
  const base = listPath(type, ns);
  const limit = options.pageSize ?? 500;
  const items: KubeResource[] = [];
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let token: string | undefined;
  let pages = 0;
  let emptyPages = 0;
  do {
    const path = `${base}?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const outcome = await client.get(path, type.metadataOnly ? METADATA_ONLY_ACCEPT : 'application/json');
    if (outcome.type !== 'ok') {
      if (type.optional && outcome.type === 'http-error' && outcome.status === 404 && items.length === 0) {
        return { absent: true };
      }
      return { failure: failureOf(outcome, `GET ${client.url(path)}`, type, ns, items.length) };
    }
    const body = outcome.body as { items?: unknown; metadata?: { continue?: unknown } } | null;
    if (!body || !Array.isArray(body.items)) {
      return {
        failure: failureOf(
          { type: 'http-error', status: outcome.status, message: 'response has no items array' },
          `GET ${client.url(path)}`,
          type,
          ns,
          items.length,
        ),
      };
    }
    for (const item of body.items) {
      const r = toKubeResource(item, type.kind, type.apiVersion, file, options.text);
      if (r) items.push(r);
    }
    const next = body.metadata?.continue;
    token = typeof next === 'string' && next !== '' ? next : undefined;
    pages++;
    emptyPages = body.items.length === 0 && token ? emptyPages + 1 : 0;
    // a server that hands out `continue` forever (or the same one again, or with nothing in the
    // pages) would never end the scan
    const endless =
      token !== undefined && (seen.has(token) || pages >= maxPages || emptyPages >= MAX_EMPTY_PAGES);
    if (endless) {
      const why = seen.has(token!)
        ? 'the same continue token came back'
        : emptyPages >= MAX_EMPTY_PAGES
          ? `${emptyPages} pages in a row with no items`
          : `more than ${maxPages} pages`;
      return {
        failure: failureOf(
          { type: 'network', message: `${why}: stopped following the continue chain` },
          `GET ${client.url(path)}`,
          type,
          ns,
          items.length,
        ),
      };
    }
    if (token) seen.add(token);
  } while (token);
  return { items };
}

async function configMaps(
  client: ApiClient,
  file: string,
  namespace: string | undefined,
): Promise<ListOutcome[]> {
  const out: ListOutcome[] = [];
  for (const cm of CONFIG_MAPS) {
    if (namespace && namespace !== cm.namespace) continue;
    const path = `/api/v1/namespaces/${cm.namespace}/configmaps/${cm.name}`;
    const outcome = await client.get(path, 'application/json', 'api-object');
    if (outcome.type === 'ok') {
      const r = toKubeResource(outcome.body, 'ConfigMap', 'v1', file);
      out.push({ items: r ? [r] : [] });
    } else if (outcome.type === 'http-error' && outcome.status === 404) {
      out.push({ items: [] });
    } else {
      out.push({
        failure: failureOf(
          outcome,
          `GET ${client.url(path)}`,
          { kind: 'ConfigMap', plural: 'configmaps' },
          cm.namespace,
          0,
        ),
      });
    }
  }
  return out;
}

/**
 * A server that answers 404 to every list is not a Kubernetes API server (a wrong `server:` URL,
 * a path prefix missing, another service on the port): kubectl says "the server could not find
 * the requested resource", and so does the scan, instead of reporting each list as unreadable.
 */
function assertKubernetesApi(client: ApiClient, outcomes: readonly { outcome: ListOutcome }[]): void {
  const failures = outcomes.flatMap(({ outcome }) => ('failure' in outcome ? [outcome.failure] : []));
  const allNotFound =
    failures.length > 0 &&
    outcomes.every(
      ({ outcome }) => 'absent' in outcome || ('failure' in outcome && outcome.failure.status === 404),
    );
  if (!allNotFound) return;
  throw new ClusterError(
    'NOT_KUBERNETES',
    `${client.config.server}: the server could not find the requested resource (HTTP 404 for all ${failures.length} lists, e.g. ${failures[0]!.request}): is this a Kubernetes API server?`,
  );
}

/**
 * Lists every resource type with pagination, a few lists at a time. A 401/403, a timeout or a
 * broken page becomes a CollectFailure (and an `errors[]` entry), never an empty list.
 */
export async function collectCluster(
  client: ApiClient,
  options: CollectOptions = {},
): Promise<CollectResult> {
  const file = `cluster:${client.config.context}`;
  const types = options.types ?? RESOURCE_TYPES;
  // one copy of each repeated string (images, labels, names) across every list
  const listOptions: CollectOptions = { ...options, text: options.text ?? stringTable() };
  const outcomes: { type: string; outcome: ListOutcome }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < types.length) {
      const type = types[next++];
      if (!type) return;
      outcomes.push({ type: type.kind, outcome: await listAll(client, type, file, listOptions) });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  assertKubernetesApi(client, outcomes);
  for (const outcome of await configMaps(client, file, options.namespace))
    outcomes.push({ type: 'ConfigMap', outcome });
  const resources: KubeResource[] = [];
  const failures: CollectFailure[] = [];
  const counts: Record<string, number> = {};
  for (const { type, outcome } of outcomes) {
    if ('items' in outcome) {
      for (const r of outcome.items) resources.push(r);
      counts[type] = (counts[type] ?? 0) + outcome.items.length;
    } else if ('failure' in outcome) failures.push(outcome.failure);
  }
  const errors: ScanError[] = failures.map((f) => ({
    analyzer: COLLECTOR_NAME,
    path: f.request,
    message: `could not read ${f.resource}${f.namespace ? ` in ${f.namespace}` : ''}: ${f.reason}${f.status ? ` (HTTP ${f.status})` : ''}: ${f.message}`,
  }));
  return { resources, failures, errors, counts };
}
