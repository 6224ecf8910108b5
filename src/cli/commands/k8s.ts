import type { Command } from 'commander';
import { addCommonOptions } from '../common.js';
import { addDownloadDbOptions } from '../download-db.js';
import { isDebug, runAction } from '../run.js';
import type { K8sOptions } from './k8s-run.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `strata k8s`: collect a live cluster read-only and run every Kubernetes analyzer on it (SPEC.md). */
export function registerK8s(program: Command): void {
  const cmd = program
    .command('k8s')
    .description(
      'scan a live cluster (workloads, PSS, NetworkPolicies, RBAC) through its API server, read-only',
    )
    .option('--kubeconfig <file>', 'kubeconfig (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default current-context)')
    .option('-n, --namespace <ns>', 'only this namespace for namespaced resources')
    .option('--pss <level>', 'Pod Security Standards level: baseline|restricted', 'restricted')
    .option('--pss-version <version>', 'policy version: latest or v1.x', 'latest')
    .option('--request-timeout <ms>', 'per-request timeout in milliseconds', '30000')
    .option('--page-size <n>', 'items per list page (limit/continue)', '500')
    .option('--timeout <duration>', 'give up on the whole scan after this long (e.g. 90s, 5m)', '10m')
    .option('--scan-images', 'also scan every image the workloads run; findings attributed to the workloads')
    .option('--image-concurrency <n>', 'with --scan-images: images scanned at once (default 3)')
    .option(
      '--image-timeout <duration>',
      'with --scan-images: give up on one image after this long (default 5m)',
    )
    .option('--max-images <n>', 'with --scan-images: distinct images scanned at most (default 1000)')
    .option('--scanners <list>', 'with --scan-images: vuln,secret,misconfig (default vuln,secret)')
    .option('--insecure', 'with --scan-images: plain HTTP (no TLS) to registries')
    .option('--platform <os/arch[/variant]>', 'with --scan-images: the platform of multi-arch images')
    .option('--secret-config <file>', 'with --scan-images: custom secret rules and allow-lists (YAML)')
    .option('--db <path>', 'with --scan-images: advisory database (default $STRATA_DB)')
    .option(
      '--paths',
      'attack paths: internet -> workload -> vulnerable image -> node / RBAC goals (scans the images)',
    )
    .option(
      '--results <file>',
      'with --paths: Strata JSON results of image scans instead of pulling (repeatable)',
      collect,
    )
    .option('--max-lateral <n>', 'with --paths: workload -> workload hops followed at most (default 2)');
  addDownloadDbOptions(cmd);
  addCommonOptions(cmd).action((opts: K8sOptions, command: Command) =>
    runAction(async () => {
      const { runK8s } = await import('./k8s-run.js');
      return runK8s(opts, command);
    }, isDebug()),
  );
}
