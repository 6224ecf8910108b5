import type { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { scanAudit } from '../../scan/index.js';
import {
  addCommonOptions,
  type CommonOptions,
  emitResult,
  prepareCommon,
  progress,
  warn,
} from '../common.js';
import { isDebug, runAction } from '../run.js';

const AUDIT_FORMATS = ['table', 'json', 'sarif'] as const;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `strata audit <file|->`: Kubernetes audit events (JSON lines or EventList documents) through
 * Falco-format rules (`--rules`, repeatable, in order; default: Strata's built-in rules).
 */
export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('detect attacks in Kubernetes audit logs with Falco-format k8s_audit rules')
    .argument('<file>', 'audit log (JSON lines from --audit-log-path, or an EventList document; - for stdin)')
    .option(
      '--rules <file>',
      'Falco rules file (repeatable, loaded in order; default: the built-in rules)',
      collect,
      [],
    );
  addCommonOptions(audit).action((file: string, opts: CommonOptions & { rules: string[] }) =>
    runAction(async () => {
      if (!(AUDIT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new UsageError(
          'INVALID_ARGUMENT',
          `--format: "${opts.format}" is not one of ${AUDIT_FORMATS.join(', ')}`,
        );
      }
      const suppression = prepareCommon(opts);
      const result = await scanAudit(file, {
        rules: opts.rules,
        onProgress: (m) => progress(opts, m),
        onWarning: (w) => warn(opts, w),
      });
      return emitResult(result, opts, suppression);
    }, isDebug()),
  );
}
