import type { Command } from 'commander';
import type { IdentityConstraint } from '../../trust/index.js';
import { isDebug, runAction } from '../run.js';

interface BundleOpts {
  trustedRoot: string;
  artifact?: string;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  certificateOidcIssuerRegexp?: string;
}

export function registerVerifyBundle(program: Command): void {
  program
    .command('verify-bundle')
    .description(
      'verify a Sigstore bundle offline against a trusted root (keyless identity, Rekor inclusion)',
    )
    .argument('<bundle>', 'Sigstore bundle JSON (v0.1-v0.3)')
    .requiredOption('--trusted-root <file>', 'Sigstore trusted_root.json')
    .option('--artifact <file>', 'the signed file (message-signature bundles)')
    .option('--certificate-identity <san>', 'exact certificate SAN')
    .option('--certificate-identity-regexp <re>', 'certificate SAN pattern')
    .option('--certificate-oidc-issuer <url>', 'exact OIDC issuer')
    .option('--certificate-oidc-issuer-regexp <re>', 'OIDC issuer pattern')
    .action((file: string, opts: BundleOpts) =>
      runAction(async () => {
        const identity: IdentityConstraint = {
          ...(opts.certificateIdentity ? { subject: opts.certificateIdentity } : {}),
          ...(opts.certificateIdentityRegexp ? { subjectRegExp: opts.certificateIdentityRegexp } : {}),
          ...(opts.certificateOidcIssuer ? { issuer: opts.certificateOidcIssuer } : {}),
          ...(opts.certificateOidcIssuerRegexp ? { issuerRegExp: opts.certificateOidcIssuerRegexp } : {}),
        };
        const { scanBundle } = await import('../../scan/index.js');
        const r = scanBundle(file, {
          trustedRoot: opts.trustedRoot,
          ...(opts.artifact ? { artifact: opts.artifact } : {}),
          identity,
        });
        const who = r.identity ? ` (${r.identity.subject ?? '?'} via ${r.identity.issuer ?? '?'})` : '';
        process.stdout.write(r.ok ? `Verified OK${who}\n` : `FAILED${who}: ${r.reason}\n`);
        return r.ok ? 0 : 1;
      }, isDebug()),
    );
}
