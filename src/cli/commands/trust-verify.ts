import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { ImageVerdict, VerifyCheck } from '../../scan/index.js';
import { isDebug, runAction } from '../run.js';
import { collectAnnotation, emit, trustJson, verifyFormat, verifyHtml } from './trust-output.js';

interface VerifyOpts {
  key?: string[];
  policy?: string;
  annotation?: Record<string, string>;
  integrity?: boolean;
  insecure?: boolean;
  format: string;
  output?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function checkOf(opts: VerifyOpts): VerifyCheck {
  const modes = [opts.key, opts.policy, opts.integrity].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('USAGE', 'verify: give exactly one of --key, --policy, --integrity');
  if (opts.integrity) return { kind: 'integrity' };
  if (opts.policy) return { kind: 'policy', policy: opts.policy };
  return {
    kind: 'signatures',
    keys: opts.key ?? [],
    ...(opts.annotation ? { annotations: opts.annotation } : {}),
  };
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify cosign signatures (--key), a policy (--policy), or registry integrity (--integrity)')
    .argument('<image>', 'registry image reference')
    .option('--key <file>', 'public key PEM (repeatable: any key may have signed)', collect)
    .option('--policy <file>', 'verification policy YAML')
    .option(
      '-a, --annotation <key=value>',
      'annotation a valid signature must carry (repeatable)',
      collectAnnotation,
    )
    .option('--integrity', 'fetch the index, manifests and every blob and check digests and sizes')
    .option('--insecure', 'allow plain HTTP and unverified TLS registries')
    .addOption(new Option('-f, --format <format>', 'table|json|html').default('table'))
    .option('-o, --output <file>', 'write the result to a file')
    .action((image: string, opts: VerifyOpts) =>
      runAction(async () => {
        const format = verifyFormat(opts.format);
        const { verifyImage } = await import('../../scan/index.js');
        const verdict = await verifyImage(image, checkOf(opts), { insecure: opts.insecure ?? false });
        emit(
          format === 'json'
            ? trustJson(verdict.result)
            : format === 'html'
              ? await verifyHtml(verdict.result)
              : verdictTable(verdict),
          opts.output,
        );
        return verdict.passed ? 0 : 1;
      }, isDebug()),
    );
}

function verdictTable(verdict: ImageVerdict): string {
  const lines: string[] = [];
  if (verdict.kind === 'signatures') {
    const v = verdict.verification;
    lines.push(`${v.image}@${v.digest}: ${v.verified ? 'VERIFIED' : 'NOT VERIFIED'}`);
    if (v.signatures.length === 0) lines.push('  no signatures found');
    for (const s of v.signatures)
      lines.push(`  ${s.valid ? 'PASS' : 'FAIL'} ${s.source} ${s.layer}${s.reason ? `: ${s.reason}` : ''}`);
  } else if (verdict.kind === 'policy') {
    const d = verdict.decision;
    lines.push(`${d.image}@${d.digest}: ${d.allowed ? 'ALLOWED' : 'DENIED'}`);
    for (const r of d.rules)
      lines.push(
        `  ${r.satisfied ? 'PASS' : 'FAIL'} ${r.rule}${r.reasons.length ? `: ${r.reasons.join('; ')}` : ''}`,
      );
  } else {
    const r = verdict.report;
    lines.push(`${r.image}${r.digest ? `@${r.digest}` : ''}: ${r.ok ? 'INTACT' : 'MISMATCH'}`);
    for (const c of r.checks)
      lines.push(`  ${c.ok ? 'OK  ' : 'BAD '} ${c.kind} ${c.digest}${c.reason ? `: ${c.reason}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

interface VerifyAttOpts {
  key: string[];
  type?: string;
  condition?: string;
  insecure?: boolean;
  format: string;
  output?: string;
}

export function registerVerifyAttestation(program: Command): void {
  program
    .command('verify-attestation')
    .description(
      'verify cosign attestations: envelope signature, subject digest, predicate type, CEL condition',
    )
    .argument('<image>', 'registry image reference')
    .requiredOption('--key <file>', 'public key PEM (repeatable)', collect)
    .option('--type <type>', 'predicate type shorthand or URI')
    .option('--condition <cel>', 'CEL over the statement as `object` (e.g. object.predicate.x == 1)')
    .option('--insecure', 'allow plain HTTP and unverified TLS registries')
    .addOption(new Option('-f, --format <format>', 'table|json|html').default('table'))
    .option('-o, --output <file>', 'write the result to a file')
    .action((image: string, opts: VerifyAttOpts) =>
      runAction(async () => {
        const format = verifyFormat(opts.format);
        const { verifyAttestations } = await import('../../scan/index.js');
        const verdict = await verifyAttestations(image, {
          keys: opts.key,
          insecure: opts.insecure ?? false,
          ...(opts.type ? { type: opts.type } : {}),
          ...(opts.condition ? { condition: opts.condition } : {}),
        });
        if (format === 'json') {
          emit(trustJson(verdict.result), opts.output);
        } else if (format === 'html') {
          emit(await verifyHtml(verdict.result), opts.output);
        } else {
          const v = verdict.verification;
          const lines = [`${v.image}@${v.digest}: ${v.verified ? 'VERIFIED' : 'NOT VERIFIED'}`];
          if (v.attestations.length === 0) lines.push('  no attestations found');
          for (const a of v.attestations) {
            lines.push(
              `  ${a.valid ? 'PASS' : 'FAIL'} ${a.predicateType ?? '?'} ${a.layer}${a.reason ? `: ${a.reason}` : ''}`,
            );
          }
          emit(`${lines.join('\n')}\n`, opts.output);
        }
        return verdict.passed ? 0 : 1;
      }, isDebug()),
    );
}
