import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { addCommonOptions, type CommonOptions, progress, warn } from '../common.js';
import { isDebug, runAction } from '../run.js';

interface QueryOptions {
  format: string;
  k8sVersion: string;
  output?: string;
  quiet?: boolean;
}

/** Progress and warnings of a query, on stderr unless --quiet. */
const reporting = (opts: { quiet?: boolean }) => ({
  onProgress: (m: string) => progress(opts, m),
  onWarning: (w: string) => warn(opts, w),
});

function format(value: string): 'table' | 'json' {
  if (value !== 'table' && value !== 'json') {
    throw new UsageError('INVALID_ARGUMENT', `--format: "${value}" is not one of table, json`);
  }
  return value;
}

async function write(text: string, output: string | undefined): Promise<void> {
  if (output) await writeFile(output, text);
  else process.stdout.write(text);
}

function registerWhoCan(rbac: Command): void {
  rbac
    .command('who-can')
    .description(
      'every subject allowed to VERB RESOURCE[/SUB] (or a /URL), and through which binding and role',
    )
    .argument('<verb>', 'get, list, create, update, delete, impersonate, ... (* for all)')
    .argument('<resource>', 'pods, pods/exec, deployments.apps, */scale, or a non-resource URL like /metrics')
    .argument('<paths...>', 'manifest files or directories (- for stdin)')
    .option(
      '-n, --namespace <ns>',
      'the request namespace (without it: a cluster-wide request, ClusterRoleBindings only)',
    )
    .option('--name <name>', 'the object name (matters for rules with resourceNames)')
    .option('--api-group <group>', 'the API group ("" = core, the default)')
    .option(
      '--k8s-version <version>',
      'Kubernetes version whose default ClusterRoles and bindings fill what the input lacks (latest, 1.N, none)',
      'latest',
    )
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--debug', 'debug output on stderr')
    .action(
      (
        verb: string,
        resource: string,
        paths: string[],
        opts: QueryOptions & { namespace?: string; name?: string; apiGroup?: string },
      ) =>
        runAction(async () => {
          const fmt = format(opts.format);
          const { parseWhoCanRequest } = await import('./rbac-request.js');
          const { rbacWhoCan } = await import('../../scan/index.js');
          const { renderWhoCan } = await import('../../kube/index.js');
          const req = parseWhoCanRequest(verb, resource, opts);
          const answer = await rbacWhoCan(paths, req, { ...reporting(opts), k8sVersion: opts.k8sVersion });
          await write(
            fmt === 'json' ? `${JSON.stringify(answer, null, 2)}\n` : renderWhoCan(answer.subjects),
            opts.output,
          );
          return 0;
        }, isDebug()),
    );
}

function registerCan(rbac: Command): void {
  rbac
    .command('can')
    .description('the effective permissions of one subject, cluster-wide and per namespace')
    .argument(
      '<subject>',
      'User:NAME, Group:NAME, ServiceAccount:NAMESPACE:NAME (or NAMESPACE/NAME) or system:serviceaccount:NAMESPACE:NAME',
    )
    .argument('<paths...>', 'manifest files or directories (- for stdin)')
    .option(
      '--k8s-version <version>',
      'Kubernetes version whose default ClusterRoles and bindings fill what the input lacks (latest, 1.N, none)',
      'latest',
    )
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--debug', 'debug output on stderr')
    .action((subject: string, paths: string[], opts: QueryOptions) =>
      runAction(async () => {
        const fmt = format(opts.format);
        const { parseSubjectArg, renderPermissions } = await import('../../kube/index.js');
        const { rbacCan } = await import('../../scan/index.js');
        const who = parseSubjectArg(subject);
        const { permissions, defaults } = await rbacCan(paths, who, {
          ...reporting(opts),
          k8sVersion: opts.k8sVersion,
        });
        await write(
          fmt === 'json'
            ? `${JSON.stringify(defaults ? { ...permissions, defaults } : permissions, null, 2)}\n`
            : renderPermissions(permissions),
          opts.output,
        );
        return 0;
      }, isDebug()),
    );
}

/** `strata rbac <path...>` (risk findings; also `rbac scan`), `rbac who-can`, `rbac can`. */
export function registerRbac(program: Command): void {
  const rbac = program.command('rbac').description('RBAC analysis: risk findings, who-can, can');
  const scan = rbac
    .command('scan', { isDefault: true })
    .description('risk findings and escalation paths (the default: `strata rbac <path...>`)')
    .argument('[paths...]', 'manifest files or directories (- for stdin)')
    .option(
      '--k8s-version <version>',
      'Kubernetes version whose default ClusterRoles and bindings fill what the input lacks (latest, 1.N, none)',
      'latest',
    );
  addCommonOptions(scan).action((paths: string[], opts: CommonOptions & { k8sVersion: string }) =>
    runAction(async () => {
      const { emitResult, prepareCommon } = await import('../emit.js');
      const { scanRbac } = await import('../../scan/index.js');
      const suppression = prepareCommon(opts);
      const result = await scanRbac(paths, {
        onProgress: (m) => progress(opts, m),
        onWarning: (w) => warn(opts, w),
        k8sVersion: opts.k8sVersion,
      });
      return emitResult(result, opts, suppression, ['rbac']);
    }, isDebug()),
  );
  registerWhoCan(rbac);
  registerCan(rbac);
}
