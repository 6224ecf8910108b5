import type { Command } from 'commander';
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
import { isDebug, runAction } from '../run.js';

interface ReviewFlags {
  policy: string;
  kubeconfig?: string;
  insecure?: boolean;
}

interface ServeFlags extends ReviewFlags {
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

export function registerAdmission(program: Command): void {
  const admission = program
    .command('admission')
    .description('admission webhook: the same findings as config, verify and image, at deploy time');
  admission
    .command('review')
    .description(
      'answer one admission.k8s.io/v1 AdmissionReview offline (prints the response AdmissionReview)',
    )
    .argument('<review>', 'AdmissionReview JSON file (- for stdin)')
    .requiredOption('--policy <file>', 'AdmissionPolicy YAML')
    .option('--kubeconfig <file>', 'read namespace labels through this API server')
    .option('--insecure', 'plain HTTP and unverified TLS for registries')
    .option('--mutate', 'answer as /mutate (digest pinning JSONPatch)')
    .action((input: string, opts: ReviewFlags & { mutate?: boolean }) =>
      runAction(async () => {
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
      }, isDebug()),
    );
  admission
    .command('serve')
    .description('serve the validating and mutating webhook over HTTPS')
    .requiredOption('--policy <file>', 'AdmissionPolicy YAML')
    .requiredOption('--tls-cert <file>', 'server certificate (PEM; reloaded when the file changes)')
    .requiredOption('--tls-key <file>', 'server private key (PEM; reloaded when the file changes)')
    .option('--address <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8443')
    .option(
      '--kubeconfig <file>',
      'read namespace labels through this API server (default: in-cluster service account)',
    )
    .option('--insecure', 'plain HTTP and unverified TLS for registries')
    .action((opts: ServeFlags) =>
      runAction(async () => {
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
      }, isDebug()),
    );
}
