import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { Granularity, Unselectable } from '../../kube/index.js';
import { MATRIX_FORMATS, type MatrixFormat } from '../../report/light.js';
import type { GeneratedPolicies } from '../../scan/index.js';
import { addCommonOptions, type CommonOptions, progress, warn } from '../common.js';
import { isDebug, runAction } from '../run.js';

interface QueryOptions {
  format: string;
  output?: string;
  quiet?: boolean;
}

/** Progress and warnings of a query, on stderr unless --quiet. */
const reporting = (opts: { quiet?: boolean }) => ({
  onProgress: (m: string) => progress(opts, m),
  onWarning: (w: string) => warn(opts, w),
});

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError('INVALID_ARGUMENT', `${flag}: "${value}" is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

async function write(text: string, output: string | undefined): Promise<void> {
  if (output) await writeFile(output, text);
  else process.stdout.write(text);
}

function registerMatrix(netpol: Command): void {
  netpol
    .command('matrix')
    .description('allowed-connection matrix per workload or namespace, per port/protocol')
    .argument('<paths...>', 'manifest files or directories (- for stdin)')
    .addOption(new Option('-f, --format <format>', MATRIX_FORMATS.join('|')).default('table'))
    .addOption(new Option('--granularity <level>', 'workload|namespace').default('workload'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--debug', 'debug output on stderr')
    .action((paths: string[], opts: QueryOptions & { granularity: string }) =>
      runAction(async () => {
        const format = choice<MatrixFormat>('--format', opts.format, MATRIX_FORMATS);
        const granularity = choice<Granularity>('--granularity', opts.granularity, ['workload', 'namespace']);
        const { netpolMatrix } = await import('../../scan/index.js');
        const { renderMatrix } = await import('../../report/index.js');
        const matrix = await netpolMatrix(paths, granularity, reporting(opts));
        await write(renderMatrix(matrix, format), opts.output);
        return 0;
      }, isDebug()),
    );
}

function registerExplain(netpol: Command): void {
  netpol
    .command('explain')
    .description('is a connection allowed, and which policy and rule decided on each side')
    .argument('<paths...>', 'manifest files or directories (- for stdin)')
    .requiredOption('--from <ref>', 'source: NS/NAME or NS/KIND/NAME (pod or workload), or an IP address')
    .requiredOption('--to <ref>', 'destination: NS/NAME or NS/KIND/NAME, or an IP address')
    .requiredOption('--port <port>', 'PORT[/PROTO]; PORT may be a named port of the destination')
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--debug', 'debug output on stderr')
    .action((paths: string[], opts: QueryOptions & { from: string; to: string; port: string }) =>
      runAction(async () => {
        const format = choice('--format', opts.format, ['table', 'json']);
        const { netpolExplain } = await import('../../scan/index.js');
        const { renderExplanation } = await import('../../kube/index.js');
        const e = await netpolExplain(paths, opts, reporting(opts));
        await write(
          format === 'json' ? `${JSON.stringify(e, null, 2)}\n` : renderExplanation(e),
          opts.output,
        );
        return 0;
      }, isDebug()),
    );
}

function registerBlastRadius(netpol: Command): void {
  netpol
    .command('blast-radius')
    .description(
      'what a compromised workload reaches (hops, ports) and the internet entry points leading to it',
    )
    .argument('<workload>', 'NS/NAME or NS/KIND/NAME')
    .argument('<paths...>', 'manifest files or directories (- for stdin)')
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--debug', 'debug output on stderr')
    .action((workload: string, paths: string[], opts: QueryOptions) =>
      runAction(async () => {
        const format = choice('--format', opts.format, ['table', 'json']);
        const { netpolBlastRadius } = await import('../../scan/index.js');
        const { renderBlastRadius } = await import('../../kube/index.js');
        const b = await netpolBlastRadius(paths, workload, reporting(opts));
        await write(
          format === 'json' ? `${JSON.stringify(b, null, 2)}\n` : renderBlastRadius(b),
          opts.output,
        );
        return 0;
      }, isDebug()),
    );
}

const LISTED = 20;

/** At most LISTED items, then how many more. */
function listed(items: readonly string[]): string {
  const more = items.length > LISTED ? `; and ${items.length - LISTED} more (see --format json)` : '';
  return items.slice(0, LISTED).join('; ') + more;
}

export function unselectableLine(u: Unselectable): string {
  const why =
    u.reason === 'no-labels'
      ? 'has no pod labels, so a policy for it would select every pod of its namespace'
      : `shares all its pod labels with ${u.sharedWith.join(', ')}, so a policy for it would select those too`;
  return `netpol generate: ${u.workload} ${why}: no policy generated for ${listed(u.flows)}; add a pod-template label such as ${u.labelToAdd}`;
}

export function generateSummary(g: GeneratedPolicies): string {
  const v = g.verification;
  const skipped = g.unselectable.length
    ? `; ${g.unselectable.length} workloads could not be singled out (warnings above)`
    : '';
  if (v.exact)
    return `netpol generate: ${g.policies.length} policies; verified: exactly the ${g.covered.length} ${g.unselectable.length ? 'covered' : 'declared'} flows (+ DNS) are allowed (${v.checkedPairs} pairs checked)${skipped}`;
  const pairs = [
    ...v.missing.map((m) => `denied: ${m}`),
    ...v.extra.map((e) => `${e.from} -> ${e.to}: allowed ${e.allowed}, declared ${e.expected}`),
  ];
  return `netpol generate: NOT exact: ${v.missing.length} declared flows denied, ${v.extra.length} pairs differ: ${listed(pairs)}${skipped}`;
}

function registerGenerate(netpol: Command): void {
  netpol
    .command('generate')
    .description(
      'least-privilege NetworkPolicies (default-deny + explicit allows + DNS) for declared flows, verified by the engine',
    )
    .argument('<paths...>', 'manifests of the pods/workloads the flows name (- for stdin)')
    .requiredOption('--flows <file>', 'flows as CSV (src,dst,port[/proto]) or YAML ([{src, dst, port}])')
    .addOption(new Option('-f, --format <format>', 'yaml|json').default('yaml'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--debug', 'debug output on stderr')
    .action((paths: string[], opts: QueryOptions & { flows: string }) =>
      runAction(async () => {
        const format = choice('--format', opts.format, ['yaml', 'json']);
        const { netpolGenerate } = await import('../../scan/index.js');
        const { stringify } = await import('yaml');
        const generated = await netpolGenerate(paths, opts.flows, reporting(opts));
        const { policies, verification, unselectable } = generated;
        const out =
          format === 'json'
            ? `${JSON.stringify({ policies, verification, unselectable }, null, 2)}\n`
            : policies.map((p) => stringify(p)).join('---\n');
        await write(out, opts.output);
        for (const u of unselectable) warn(opts, unselectableLine(u));
        progress(opts, generateSummary(generated));
        return verification.exact && unselectable.length === 0 ? 0 : 1;
      }, isDebug()),
    );
}

/**
 * `strata netpol <path...>` (findings; also `netpol scan`) and the subcommands matrix, explain,
 * blast-radius, generate. The findings live in a default subcommand so every subcommand owns its
 * flags (`-f mermaid` after `matrix` is the matrix's format, not the findings').
 */
export function registerNetpol(program: Command): void {
  const netpol = program
    .command('netpol')
    .description('NetworkPolicy analysis: findings, matrix, explain, blast-radius, generate');
  const scan = netpol
    .command('scan', { isDefault: true })
    .description('findings (the default: `strata netpol <path...>`)')
    .argument('[paths...]', 'manifest files or directories (- for stdin)');
  addCommonOptions(scan).action((paths: string[], opts: CommonOptions) =>
    runAction(async () => {
      const { emitResult, prepareCommon } = await import('../emit.js');
      const { scanNetpol } = await import('../../scan/index.js');
      const suppression = prepareCommon(opts);
      const result = await scanNetpol(paths, { onProgress: (m) => progress(opts, m) });
      return emitResult(result, opts, suppression, ['netpol']);
    }, isDebug()),
  );
  registerMatrix(netpol);
  registerExplain(netpol);
  registerBlastRadius(netpol);
  registerGenerate(netpol);
}
