import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import { RegistryClient } from '../../image/index.js';
import {
  compileCondition,
  evaluatePolicy,
  loadPolicy,
  readPublicKey,
  verifyImageAttestations,
  verifyImageSignatures,
  verifyIntegrity,
} from '../../trust/index.js';
import { isDebug, runAction } from '../run.js';
import { collectAnnotation, emit, signatureFinding, trustFormat, trustResult } from './trust-output.js';

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
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-o, --output <file>', 'write the result to a file')
    .action((image: string, opts: VerifyOpts) =>
      runAction(async () => {
        const format = trustFormat(opts.format);
        const client = new RegistryClient({ insecure: opts.insecure ?? false });
        const modes = [opts.key, opts.policy, opts.integrity].filter(Boolean).length;
        if (modes !== 1)
          throw new UsageError('USAGE', 'verify: give exactly one of --key, --policy, --integrity');
        if (opts.integrity) return integrity(image, client, format, opts.output);
        if (opts.policy) return policy(image, opts.policy, client, format, opts.output);
        return signatures(image, opts, client, format);
      }, isDebug()),
    );
}

async function signatures(
  image: string,
  opts: VerifyOpts,
  client: RegistryClient,
  format: string,
): Promise<number> {
  const keys = await Promise.all((opts.key ?? []).map((k) => readPublicKey(k)));
  const v = await verifyImageSignatures(image, {
    client,
    keys,
    ...(opts.annotation ? { annotations: opts.annotation } : {}),
  });
  const findings: Finding[] = v.signatures
    .filter((s) => !s.valid)
    .map((s) => signatureFinding('SIGNATURE-INVALID', v.image, s.reason ?? 'invalid signature', { ...s }));
  if (!v.verified) {
    findings.push(
      signatureFinding(
        'SIGNATURE-MISSING',
        v.image,
        v.signatures.length === 0 ? 'no signatures found' : 'no valid signature',
        {
          digest: v.digest,
        },
      ),
    );
  }
  if (format === 'json')
    emit(
      trustResult(v.image, v.digest, findings, { signatures: v.signatures, verified: v.verified }),
      opts.output,
    );
  else {
    const lines = [`${v.image}@${v.digest}: ${v.verified ? 'VERIFIED' : 'NOT VERIFIED'}`];
    if (v.signatures.length === 0) lines.push('  no signatures found');
    for (const s of v.signatures)
      lines.push(`  ${s.valid ? 'PASS' : 'FAIL'} ${s.source} ${s.layer}${s.reason ? `: ${s.reason}` : ''}`);
    emit(`${lines.join('\n')}\n`, opts.output);
  }
  return v.verified ? 0 : 1;
}

async function policy(
  image: string,
  file: string,
  client: RegistryClient,
  format: string,
  output?: string,
): Promise<number> {
  const d = await evaluatePolicy(image, loadPolicy(file), { client });
  const findings = d.rules
    .filter((r) => !r.satisfied)
    .map((r) =>
      signatureFinding('POLICY-UNSATISFIED', d.image, `policy ${r.rule}: ${r.reasons.join('; ')}`, { ...r }),
    );
  if (format === 'json')
    emit(trustResult(d.image, d.digest, findings, { policy: d.rules, allowed: d.allowed }), output);
  else {
    const lines = [`${d.image}@${d.digest}: ${d.allowed ? 'ALLOWED' : 'DENIED'}`];
    for (const r of d.rules)
      lines.push(
        `  ${r.satisfied ? 'PASS' : 'FAIL'} ${r.rule}${r.reasons.length ? `: ${r.reasons.join('; ')}` : ''}`,
      );
    emit(`${lines.join('\n')}\n`, output);
  }
  return d.allowed ? 0 : 1;
}

async function integrity(
  image: string,
  client: RegistryClient,
  format: string,
  output?: string,
): Promise<number> {
  const r = await verifyIntegrity(image, client);
  const findings = r.checks
    .filter((c) => !c.ok)
    .map((c) =>
      signatureFinding(
        'INTEGRITY-MISMATCH',
        r.image,
        `${c.kind} ${c.digest}: ${c.reason ?? 'mismatch'}`,
        { ...c },
        'CRITICAL',
      ),
    );
  if (format === 'json')
    emit(trustResult(r.image, r.digest, findings, { integrity: r.checks, ok: r.ok }), output);
  else {
    const lines = [`${r.image}${r.digest ? `@${r.digest}` : ''}: ${r.ok ? 'INTACT' : 'MISMATCH'}`];
    for (const c of r.checks)
      lines.push(`  ${c.ok ? 'OK  ' : 'BAD '} ${c.kind} ${c.digest}${c.reason ? `: ${c.reason}` : ''}`);
    emit(`${lines.join('\n')}\n`, output);
  }
  return r.ok ? 0 : 1;
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
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-o, --output <file>', 'write the result to a file')
    .action((image: string, opts: VerifyAttOpts) =>
      runAction(async () => {
        const format = trustFormat(opts.format);
        const condition = opts.condition ? compileCondition(opts.condition) : undefined;
        const keys = await Promise.all(opts.key.map((k) => readPublicKey(k)));
        const client = new RegistryClient({ insecure: opts.insecure ?? false });
        const v = await verifyImageAttestations(image, {
          client,
          keys,
          ...(opts.type ? { type: opts.type } : {}),
          ...(condition ? { condition } : {}),
        });
        const findings = v.attestations
          .filter((a) => !a.valid)
          .map((a) =>
            signatureFinding('ATTESTATION-INVALID', v.image, a.reason ?? 'invalid attestation', { ...a }),
          );
        if (!v.verified)
          findings.push(
            signatureFinding('ATTESTATION-MISSING', v.image, 'no valid attestation', { digest: v.digest }),
          );
        if (format === 'json') {
          emit(
            trustResult(v.image, v.digest, findings, { attestations: v.attestations, verified: v.verified }),
            opts.output,
          );
        } else {
          const lines = [`${v.image}@${v.digest}: ${v.verified ? 'VERIFIED' : 'NOT VERIFIED'}`];
          if (v.attestations.length === 0) lines.push('  no attestations found');
          for (const a of v.attestations) {
            lines.push(
              `  ${a.valid ? 'PASS' : 'FAIL'} ${a.predicateType ?? '?'} ${a.layer}${a.reason ? `: ${a.reason}` : ''}`,
            );
          }
          emit(`${lines.join('\n')}\n`, opts.output);
        }
        return v.verified ? 0 : 1;
      }, isDebug()),
    );
}
