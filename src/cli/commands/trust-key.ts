import type { Command } from 'commander';
import type { KeyFile } from '../../trust/index.js';
import { isDebug, runAction } from '../run.js';

export function registerKey(program: Command): void {
  const key = program.command('key').description('signing keys (cosign-compatible)');
  key
    .command('generate')
    .description('an ECDSA P-256 key pair: PREFIX.key (cosign encrypted format) and PREFIX.pub')
    .option('--prefix <prefix>', 'output file prefix', 'cosign')
    .option('--pkcs8', 'also write PREFIX.pkcs8.key, the private key as unencrypted PKCS#8 PEM')
    .option('--force', 'overwrite existing files')
    .action((opts: { prefix: string; pkcs8?: boolean; force?: boolean }) =>
      runAction(async () => {
        const { checkKeyDestinations, defaultPasswordSource, generateKeyPair, writeKeyFile } = await import(
          '../../trust/index.js'
        );
        const paths = {
          key: `${opts.prefix}.key`,
          pub: `${opts.prefix}.pub`,
          pkcs8: `${opts.prefix}.pkcs8.key`,
        };
        const planned = (text: Partial<Record<keyof typeof paths, string>>): KeyFile[] => [
          { path: paths.key, text: text.key ?? '', mode: 0o600 },
          { path: paths.pub, text: text.pub ?? '', mode: 0o644 },
          ...(opts.pkcs8 ? [{ path: paths.pkcs8, text: text.pkcs8 ?? '', mode: 0o600 }] : []),
        ];
        checkKeyDestinations(planned({}), opts.force === true);
        const password = await defaultPasswordSource('encrypt', paths.key);
        const pair = await generateKeyPair(password);
        const files = planned({
          key: pair.encryptedPrivateKey,
          pub: pair.publicKey,
          pkcs8: pair.pkcs8PrivateKey,
        });
        // checked again right before writing: the password prompt may have taken a while
        checkKeyDestinations(files, opts.force === true);
        for (const f of files) await writeKeyFile(f);
        process.stderr.write(
          `Private key written to ${opts.prefix}.key\nPublic key written to ${opts.prefix}.pub\n`,
        );
        return 0;
      }, isDebug()),
    );
}
