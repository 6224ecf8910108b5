import { UsageError } from '../core/index.js';
import { type ReadKind, readInputFile, readInputText } from '../core/safe-read.js';
import {
  type BundleVerification,
  type IdentityConstraint,
  parseBundle,
  parseTrustedRoot,
  verifyBundle,
} from '../trust/index.js';

export interface BundleScanOptions {
  /** Sigstore trusted_root.json path */
  readonly trustedRoot: string;
  /** the signed file (message-signature bundles) */
  readonly artifact?: string;
  /** the keyless identity the certificate must carry; none: any identity */
  readonly identity?: IdentityConstraint;
}

function read(path: string, flag: string, kind: ReadKind): string {
  try {
    return readInputText(path, { kind });
  } catch (cause) {
    throw new UsageError('FILE_NOT_FOUND', `${flag}: cannot read ${path}`, { cause });
  }
}

/** `strata verify-bundle`: a Sigstore bundle verified offline against a trusted root. */
export function scanBundle(file: string, options: BundleScanOptions): BundleVerification {
  const bundle = parseBundle(read(file, '<bundle>', 'bundle'), file);
  const trustedRoot = parseTrustedRoot(
    read(options.trustedRoot, '--trusted-root', 'trusted-root'),
    options.trustedRoot,
  );
  const identity = options.identity ?? {};
  return verifyBundle(bundle, {
    trustedRoot,
    ...(options.artifact ? { artifact: readInputFile(options.artifact, { kind: 'artifact' }) } : {}),
    identities: Object.keys(identity).length > 0 ? [identity] : [],
  });
}
