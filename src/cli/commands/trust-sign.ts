import { type Command, Option } from 'commander';
import { UsageError } from '../../core/errors.js';
import { isDebug, runAction } from '../run.js';
import { collectAnnotation, emit, trustFormat } from './trust-output.js';

interface SignOpts {
  key: string;
  annotation?: Record<string, string>;
  insecure?: boolean;
  format: string;
  output?: string;
}

export function registerSign(program: Command): void {
  program
    .command('sign')
    .description('sign an image digest as cosign does (simple-signing payload at the sha256-<hex>.sig tag)')
    .argument('<image>', 'registry image reference; a tag is resolved and its digest signed')
    .requiredOption('--key <file>', 'private key (cosign encrypted, PKCS#8 or SEC1 PEM)')
    .option(
      '-a, --annotation <key=value>',
      'annotation in the signed payload (repeatable)',
      collectAnnotation,
    )
    .option('--insecure', 'allow plain HTTP and unverified TLS registries')
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .option('-o, --output <file>', 'write the result to a file')
    .action((image: string, opts: SignOpts) =>
      runAction(async () => {
        const format = trustFormat(opts.format);
        const { signImageRef } = await import('../../scan/index.js');
        const { defaultPasswordSource } = await import('../../trust/index.js');
        const r = await signImageRef(image, {
          key: opts.key,
          passwords: defaultPasswordSource,
          insecure: opts.insecure ?? false,
          ...(opts.annotation ? { annotations: opts.annotation } : {}),
        });
        emit(
          format === 'json'
            ? `${JSON.stringify(r, null, 2)}\n`
            : `signed ${r.image}@${r.digest}\npushed ${r.signatureTag}${r.appended ? '' : ' (signature already present)'}\n`,
          opts.output,
        );
        return 0;
      }, isDebug()),
    );
}

interface AttestOpts {
  key: string;
  predicate: string;
  type: string;
  statement: string;
  insecure?: boolean;
  format: string;
}

export function registerAttest(program: Command): void {
  program
    .command('attest')
    .description('attest an image as cosign does (in-toto statement in a DSSE envelope at sha256-<hex>.att)')
    .argument('<image>', 'registry image reference')
    .requiredOption('--predicate <file>', 'predicate JSON file')
    .requiredOption('--type <type>', 'cyclonedx|spdx|vuln|slsaprovenance|slsaprovenance1|openvex|custom|URI')
    .requiredOption('--key <file>', 'private key')
    .addOption(
      new Option('--statement <version>', 'in-toto Statement version')
        .choices(['v0.1', 'v1'])
        .default('v0.1'),
    )
    .option('--insecure', 'allow plain HTTP and unverified TLS registries')
    .addOption(new Option('-f, --format <format>', 'table|json').default('table'))
    .action((image: string, opts: AttestOpts) =>
      runAction(async () => {
        const format = trustFormat(opts.format);
        const { readInputText } = await import('../../core/safe-read.js');
        let predicate: unknown;
        try {
          predicate = JSON.parse(readInputText(opts.predicate, { kind: 'predicate' }));
        } catch (cause) {
          throw new UsageError(
            'INVALID_ARGUMENT',
            `--predicate: ${opts.predicate} is not a readable JSON file`,
            { cause },
          );
        }
        const { attestImageRef } = await import('../../scan/index.js');
        const { defaultPasswordSource } = await import('../../trust/index.js');
        const r = await attestImageRef(image, {
          key: opts.key,
          passwords: defaultPasswordSource,
          insecure: opts.insecure ?? false,
          type: opts.type,
          predicate,
          statementVersion: opts.statement as 'v0.1' | 'v1',
        });
        emit(
          format === 'json'
            ? `${JSON.stringify(r, null, 2)}\n`
            : `attested ${r.image}@${r.digest} (${r.predicateType})\npushed ${r.attestationTag}\n`,
          undefined,
        );
        return 0;
      }, isDebug()),
    );
}
