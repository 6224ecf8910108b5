import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type Descriptor,
  formatReference,
  type ImageReference,
  MANIFEST_ACCEPT,
  parseManifest,
  parseReference,
  type RegistryClient,
  type RepositoryRef,
} from '../../image/index.js';

export type IntegrityKind = 'index' | 'manifest' | 'config' | 'layer';

export interface IntegrityCheck {
  readonly kind: IntegrityKind;
  readonly digest: string;
  /** the size the parent descriptor announced (absent for the top manifest) */
  readonly size?: number;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface IntegrityReport {
  readonly image: string;
  readonly digest?: string;
  readonly checks: readonly IntegrityCheck[];
  readonly ok: boolean;
}

/**
 * Fetches an image's index, manifests and every blob, checking each against the digest and size
 * its parent names (the top manifest against the registry's Docker-Content-Digest, then again by
 * digest). Mismatches are reported per object; unrelated objects are still checked.
 */
export async function verifyIntegrity(
  image: string | ImageReference,
  client: RegistryClient,
): Promise<IntegrityReport> {
  const ref = typeof image === 'string' ? parseReference(image) : image;
  const repo = { registry: ref.registry, repository: ref.repository };
  const checks: IntegrityCheck[] = [];
  let top: { digest: string; bytes: Buffer };
  try {
    const got = await client.getManifest(ref);
    top = { digest: got.digest, bytes: got.bytes };
  } catch (err) {
    checks.push({ kind: 'manifest', digest: ref.digest ?? '', ok: false, reason: message(err) });
    return { image: formatReference(ref), checks, ok: false };
  }
  await checkManifest(client, repo, { digest: top.digest }, checks);
  return { image: formatReference(ref), digest: top.digest, checks, ok: checks.every((c) => c.ok) };
}

async function checkManifest(
  client: RegistryClient,
  repo: RepositoryRef,
  desc: { digest: string; size?: number },
  checks: IntegrityCheck[],
): Promise<void> {
  let parsed: ReturnType<typeof parseManifest>;
  try {
    // fetched by digest: the client refuses bytes that do not hash to it
    const { bytes, mediaType } = await client.getManifest({ ...repo, digest: desc.digest }, MANIFEST_ACCEPT);
    if (desc.size !== undefined && bytes.length !== desc.size) {
      throw new Error(`manifest is ${bytes.length} bytes, its descriptor says ${desc.size}`);
    }
    parsed = parseManifest(bytes, `${repo.repository}@${desc.digest}`, mediaType);
  } catch (err) {
    checks.push({ kind: 'manifest', ...desc, ok: false, reason: message(err) });
    return;
  }
  checks.push({ kind: parsed.kind === 'index' ? 'index' : 'manifest', ...desc, ok: true });
  if (parsed.kind === 'index') {
    for (const child of parsed.manifests) await checkManifest(client, repo, child, checks);
    return;
  }
  checks.push(await checkBlob(client, repo, 'config', parsed.config));
  for (const layer of parsed.layers) checks.push(await checkBlob(client, repo, 'layer', layer));
}

async function checkBlob(
  client: RegistryClient,
  repo: RepositoryRef,
  kind: IntegrityKind,
  desc: Descriptor,
): Promise<IntegrityCheck> {
  const base = { kind, digest: desc.digest, size: desc.size };
  try {
    const stream = await client.getBlob(repo, desc.digest, desc.size);
    await pipeline(stream, new Writable({ write: (_chunk, _enc, done) => done() }));
    return { ...base, ok: true };
  } catch (err) {
    return { ...base, ok: false, reason: message(err) };
  }
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n', 1)[0] ?? '';
}
