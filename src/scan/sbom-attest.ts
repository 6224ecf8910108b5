import { type ScanResult, UsageError } from '../core/index.js';
import { parseImageTarget, parseReference, RegistryClient } from '../image/index.js';
import { writeReport } from '../report/index.js';
import { attestSbom, readPrivateKey } from '../trust/index.js';

export interface SbomAttestOptions {
  readonly insecure?: boolean;
  readonly username?: string;
  readonly password?: string;
}

/** Refuses, before any scanning, a target whose attestation would have nowhere to go. */
export function assertAttestable(target: string): void {
  if (parseImageTarget(target).kind !== 'registry') {
    throw new UsageError(
      'INVALID_ARGUMENT',
      `--sbom-attest: ${target} is not a registry image (attestations live in the registry)`,
    );
  }
}

/**
 * `--sbom-attest KEY`: signs the CycloneDX SBOM of the scanned image as an in-toto attestation
 * and pushes it as cosign does, bound to the digest that was scanned (never the tag again).
 */
export async function attestScannedSbom(
  target: string,
  result: ScanResult,
  keyPath: string,
  options: SbomAttestOptions,
): Promise<string> {
  const parsed = parseImageTarget(target);
  if (parsed.kind !== 'registry' || !result.target.digest) {
    throw new UsageError(
      'INVALID_ARGUMENT',
      `--sbom-attest: ${target} is not a registry image (attestations live in the registry)`,
    );
  }
  const ref = parseReference(parsed.reference);
  const key = await readPrivateKey(keyPath);
  const client = new RegistryClient({
    ...(options.insecure ? { insecure: true } : {}),
    ...(options.username ? { username: options.username } : {}),
    ...(options.password ? { password: options.password } : {}),
  });
  const sbom = writeReport(result, 'cyclonedx');
  const pinned = { registry: ref.registry, repository: ref.repository, digest: result.target.digest };
  await attestSbom(pinned, sbom, key, client);
  return `${ref.registry}/${ref.repository}@${result.target.digest}`;
}
