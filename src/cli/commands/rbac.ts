import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { UsageError } from '../../core/index.js';
import {
  parseSubjectArg,
  RbacError,
  type Request,
  renderPermissions,
  renderWhoCan,
  resourceRequest,
} from '../../kube/index.js';
import { rbacCan, rbacWhoCan, scanRbac } from '../../scan/index.js';
import {
  addCommonOptions,
  type CommonOptions,
  emitResult,
  prepareCommon,
  progress,
  warn,
} from '../common.js';
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

/**
 * `VERB RESOURCE[/SUB]` into a request: a RESOURCE starting with `/` is a non-resource URL;
 * `deployments.apps` names the group as kubectl does (unless --api-group is given).
 */
export function parseWhoCanRequest(
  verb: string,
  resource: string,
  opts: { namespace?: string; name?: string; apiGroup?: string },
): Request {
  if (!verb || /\s/.test(verb)) throw new RbacError('INVALID_REQUEST', `verb "${verb}" is not valid`);
  if (resource.startsWith('/')) {
    if (opts.namespace || opts.name || opts.apiGroup !== undefined) {
      throw new RbacError(
        'INVALID_REQUEST',
        `${resource}: a non-resource URL takes no --namespace, --name or --api-group`,
      );
    }
    return { type: 'nonResource', verb, path: resource };
  }
  const [head = '', ...sub] = resource.split('/');
  if (!head || sub.length > 1 || sub[0] === '') {
    throw new RbacError(
      'INVALID_REQUEST',
      `resource "${resource}": expected RESOURCE, RESOURCE/SUBRESOURCE or /URL`,
    );
  }
  const dot = head.indexOf('.');
  const plain = opts.apiGroup === undefined && dot !== -1 ? head.slice(0, dot) : head;
  const apiGroup = opts.apiGroup ?? (dot !== -1 ? head.slice(dot + 1) : '');
  return resourceRequest(verb, sub.length ? `${plain}/${sub[0]}` : plain, {
    apiGroup,
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    ...(opts.name ? { name: opts.name } : {}),
  });
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
