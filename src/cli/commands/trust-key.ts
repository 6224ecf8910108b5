import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { defaultPasswordSource, generateKeyPair } from '../../trust/index.js';
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
        const files = [
          `${opts.prefix}.key`,
          `${opts.prefix}.pub`,
          ...(opts.pkcs8 ? [`${opts.prefix}.pkcs8.key`] : []),
        ];
        const existing = files.find((f) => existsSync(f));
        if (existing && !opts.force)
          throw new UsageError('INVALID_ARGUMENT', `${existing} exists (use --force to overwrite)`);
        const password = await defaultPasswordSource('encrypt', `${opts.prefix}.key`);
        const pair = await generateKeyPair(password);
        await writeFile(`${opts.prefix}.key`, pair.encryptedPrivateKey, { mode: 0o600 });
        await writeFile(`${opts.prefix}.pub`, pair.publicKey, { mode: 0o644 });
        if (opts.pkcs8) await writeFile(`${opts.prefix}.pkcs8.key`, pair.pkcs8PrivateKey, { mode: 0o600 });
        process.stderr.write(
          `Private key written to ${opts.prefix}.key\nPublic key written to ${opts.prefix}.pub\n`,
        );
        return 0;
      }, isDebug()),
    );
}
