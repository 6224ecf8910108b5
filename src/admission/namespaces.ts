import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/index.js';
import { type ApiClient, type ClusterConfig, type Credentials, isObj } from '../kube/index.js';
import { TtlCache } from './cache.js';
import { withinDeadline } from './deadline.js';
import { AdmissionError } from './errors.js';

/** Where the webhook reads a namespace's labels (`pod-security.kubernetes.io/*`). */
export interface NamespaceSource {
  /** the labels, or undefined when the namespace is unknown (the policy's defaults apply) */
  labels(namespace: string, signal: AbortSignal): Promise<Readonly<Record<string, string>> | undefined>;
}

/** No API server (`admission review` without `--kubeconfig`): every namespace has the defaults, or given labels. */
export class StaticNamespaces implements NamespaceSource {
  constructor(private readonly known: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map()) {}

  labels(namespace: string): Promise<Readonly<Record<string, string>> | undefined> {
    return Promise.resolve(this.known.get(namespace));
  }
}

function stringLabels(v: unknown): Record<string, string> {
  if (!isObj(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** GET /api/v1/namespaces/NAME through the kube client, cached for `ttlMs` (PSA caches namespaces too). */
export class ApiNamespaces implements NamespaceSource {
  private readonly cache: TtlCache<Readonly<Record<string, string>> | null>;

  constructor(
    private readonly client: ApiClient,
    ttlMs = 10_000,
  ) {
    this.cache = new TtlCache(ttlMs, 5_000);
  }

  async labels(
    namespace: string,
    signal: AbortSignal,
  ): Promise<Readonly<Record<string, string>> | undefined> {
    const load = async () => {
      const out = await this.client.get(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
        'application/json',
        'api-object',
      );
      if (out.type === 'ok') {
        const meta = isObj(out.body) && isObj(out.body.metadata) ? out.body.metadata : {};
        return stringLabels(meta.labels);
      }
      if (out.type === 'http-error' && out.status === 404) return null;
      throw new AdmissionError('NAMESPACE_UNAVAILABLE', `namespace ${namespace}: ${out.message}`);
    };
    try {
      const v = await withinDeadline(
        this.cache.getOrLoad(namespace, load),
        signal,
        `reading namespace ${namespace}`,
      );
      return v ?? undefined;
    } catch (err) {
      if (err instanceof AdmissionError) throw err;
      throw new AdmissionError('NAMESPACE_UNAVAILABLE', `namespace ${namespace}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  close(): void {
    this.client.close();
  }
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's own service account (as client-go's rest.InClusterConfig), or undefined outside a cluster. */
export function inClusterConfig(
  env: NodeJS.ProcessEnv = process.env,
  dir = SA_DIR,
): ClusterConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const tokenFile = `${dir}/token`;
  let ca: Buffer | undefined;
  try {
    ca = readFileSync(`${dir}/ca.crt`);
  } catch {
    ca = undefined;
  }
  let last: string | undefined;
  const credentials: Credentials = {
    kinds: ['token-file'],
    description: `service account token ${tokenFile}`,
    token: () => {
      last = readFileSync(tokenFile, 'utf8').trim();
      return Promise.resolve(last);
    },
    basic: () => undefined,
    clientCertificate: () => Promise.resolve(undefined),
    rejected: (token) =>
      Promise.resolve(readFileSync(tokenFile, 'utf8').trim() !== token && last !== undefined),
  };
  const h = host.includes(':') ? `[${host}]` : host;
  return {
    context: 'in-cluster',
    server: `https://${h}:${port}`,
    ...(ca ? { ca } : {}),
    insecureSkipTlsVerify: false,
    credentials,
    files: [],
  };
}
