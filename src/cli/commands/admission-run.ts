import {
  type AdmissionPolicy,
  AdmissionServer,
  ApiNamespaces,
  ImageChecks,
  inClusterConfig,
  loadAdmissionPolicy,
  MAX_REVIEW_BYTES,
  type NamespaceSource,
  parseAdmissionReview,
  reviewAdmission,
  StaticNamespaces,
} from '../../admission/index.js';
import { UsageError } from '../../core/index.js';
import { readInputText } from '../../core/safe-read.js';
import { ApiClient, loadKubeconfig, readStream } from '../../kube/index.js';

export interface ReviewFlags {
  policy: string;
  kubeconfig?: string;
  insecure?: boolean;
}

export interface ServeFlags extends ReviewFlags {
  tlsCert: string;
  tlsKey: string;
  address: string;
  port: string;
  inCluster?: boolean;
}

/** Namespace labels: through `--kubeconfig`, else the pod's service account when in a cluster, else none. */
function namespaceSource(
  policy: AdmissionPolicy,
  kubeconfig: string | undefined,
  inCluster: boolean,
): NamespaceSource {
  const config = kubeconfig ? loadKubeconfig({ kubeconfig }) : inCluster ? inClusterConfig() : undefined;
  if (!config) return new StaticNamespaces();
  return new ApiNamespaces(new ApiClient(config, policy.timeoutSeconds * 1000));
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new UsageError('INVALID_ARGUMENT', `--port: "${value}" is not a port number 0-65535`);
  return n;
}

async function readReview(input: string): Promise<string> {
  if (input === '-') return (await readStream(process.stdin, MAX_REVIEW_BYTES)).toString('utf8');
  return readInputText(input, { kind: 'manifest', maxBytes: MAX_REVIEW_BYTES });
}

export async function runReview(input: string, opts: ReviewFlags & { mutate?: boolean }): Promise<number> {
  const policy = loadAdmissionPolicy(opts.policy);
  const review = parseAdmissionReview(await readReview(input), input === '-' ? 'stdin' : input);
  const namespaces = namespaceSource(policy, opts.kubeconfig, false);
  const images = new ImageChecks(policy.images, { ...(opts.insecure ? { insecure: true } : {}) });
  try {
    const outcome = await reviewAdmission(
      review,
      policy,
      { namespaces, images },
      { mutate: opts.mutate === true },
    );
    process.stdout.write(`${JSON.stringify(outcome.review, null, 2)}\n`);
  } finally {
    if (namespaces instanceof ApiNamespaces) namespaces.close();
  }
  return 0;
}

export async function runServe(opts: ServeFlags): Promise<number> {
  const policy = loadAdmissionPolicy(opts.policy);
  const port = parsePort(opts.port);
  const log = (line: string) => process.stderr.write(`strata admission: ${line}\n`);
  const server = new AdmissionServer({
    policy,
    certFile: opts.tlsCert,
    keyFile: opts.tlsKey,
    address: opts.address,
    port,
    log,
    deps: {
      namespaces: namespaceSource(policy, opts.kubeconfig, true),
      images: new ImageChecks(policy.images, {
        ...(opts.insecure ? { insecure: true } : {}),
        onRegistryError: () => server.metrics.registryErrors.inc(),
      }),
    },
  });
  const addr = await server.listen();
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  log(`listening on https://${host}:${addr.port}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      void server.close().then(resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
