import { type Command, Option } from 'commander';
import { addCommonOptions } from '../common.js';
import { isDebug, runAction } from '../run.js';
import type { ConfigOptions } from './config-run.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerConfig(program: Command): void {
  const cmd = program
    .command('config')
    .description(
      'misconfigurations in Kubernetes manifests and Dockerfiles (files, directories, - for stdin)',
    )
    .argument('<paths...>', 'manifest files, Dockerfiles or directories (- for stdin)')
    .addOption(
      new Option('--pss <level>', 'Pod Security Standards level: baseline|restricted').default('restricted'),
    )
    .addOption(new Option('--pss-version <version>', 'policy version: latest or v1.x').default('latest'))
    .option('--rules <file>', 'custom rules in CEL (YAML rules file)')
    .option('--compliance <spec>', 'compliance summary: pss-baseline|pss-restricted')
    .option(
      '--helm-values <file>',
      'values file for Helm charts among the paths (repeatable, later wins)',
      collect,
    )
    .option('--helm-set <key=value>', 'set a Helm chart value, as helm --set (repeatable)', collect)
    .option('--helm-set-string <key=value>', 'set a Helm chart value as a string (repeatable)', collect);
  addCommonOptions(cmd).action((paths: string[], opts: ConfigOptions) =>
    runAction(async () => {
      const { runConfig } = await import('./config-run.js');
      return runConfig(paths, opts);
    }, isDebug()),
  );
}
