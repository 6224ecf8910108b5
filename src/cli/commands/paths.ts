import type { Command } from 'commander';
import { addCommonOptions } from '../common.js';
import { addDownloadDbOptions } from '../download-db.js';
import { isDebug, runAction } from '../run.js';
import type { PathsOptions } from './paths-run.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `strata paths <path...>`: attack paths across the four doors of a cluster's manifests (SPEC.md). */
export function registerPaths(program: Command): void {
  const cmd = program
    .command('paths')
    .description(
      'attack paths: internet -> Service/Ingress -> vulnerable image -> privileged pod / service account -> node, secrets, cluster-admin (--format table|json|sarif|html|dot|mermaid)',
    )
    .argument('<path...>', 'manifest files or directories (a cluster snapshot), or - for stdin')
    .option(
      '--results <file>',
      "Strata JSON results of image scans to use instead of pulling the workloads' images (repeatable)",
      collect,
    )
    .option('--db <path>', 'advisory database for the image scans (default $STRATA_DB)')
    .option('--insecure', 'plain HTTP (no TLS) to registries')
    .option('--platform <os/arch[/variant]>', 'the platform of multi-arch images')
    .option('--image-concurrency <n>', 'images scanned at once', '3')
    .option('--image-timeout <duration>', 'give up on one image after this long', '5m')
    .option('--max-images <n>', 'distinct images scanned at most', '1000')
    .option('--max-lateral <n>', 'workload -> workload hops followed at most', '2');
  addDownloadDbOptions(cmd);
  addCommonOptions(cmd).action((inputs: string[], opts: PathsOptions) =>
    runAction(async () => {
      const { runPaths } = await import('./paths-run.js');
      return runPaths(inputs, opts);
    }, isDebug()),
  );
}
