import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { addCommonOptions } from '../common.js';
import { isDebug, runAction } from '../run.js';
import { addForwardOptions } from './audit-forward.js';
import type { AuditFlags } from './audit-run.js';
import { registerAuditServe } from './audit-serve.js';

const AUDIT_FORMATS = ['table', 'json', 'sarif', 'html'] as const;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `strata audit <file|->`: Kubernetes audit events (JSON lines or EventList documents) through
 * Falco-format rules (`--rules`, repeatable, in order; default: Strata's built-in rules).
 * `strata audit serve`: the same rules on the API server's audit webhook batches.
 */
export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('detect attacks in Kubernetes audit logs with Falco-format k8s_audit rules')
    .argument(
      '<file>',
      'audit log (JSON lines from --audit-log-path, or an EventList document; - for stdin; a file named serve as ./serve)',
    )
    .option(
      '--rules <file>',
      'Falco rules file (repeatable, loaded in order; default: the built-in rules)',
      collect,
      [],
    )
    .option(
      '--follow',
      'keep reading lines appended to the file, across log rotation; findings printed as found',
    );
  addForwardOptions(audit);
  addCommonOptions(audit).action((file: string, opts: AuditFlags) =>
    runAction(async () => {
      if (!(AUDIT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new UsageError(
          'INVALID_ARGUMENT',
          `--format: "${opts.format}" is not one of ${AUDIT_FORMATS.join(', ')}`,
        );
      }
      const { runAudit } = await import('./audit-run.js');
      return runAudit(file, opts);
    }, isDebug()),
  );
  registerAuditServe(audit);
}
