import { createHash } from 'node:crypto';
import { type DigestError, VerifyingStream, verifyBuffer } from '../../core/digest.js';
import { tolerant, validItems, z } from '../../core/schema.js';
import { createdByPerLayer, diffIdsOf, MAX_CONFIG_BYTES, parseImageConfig } from '../config.js';
import { ImageError } from '../errors.js';
import { createHandle } from '../handle.js';
import { isIndexMediaType, MAX_MANIFEST_BYTES, parseManifest } from '../manifest.js';
import { MEDIA_TYPES } from '../media-types.js';
import { readImageJson } from '../read-json.js';
import type { ImageHandle, LayerDescriptor } from '../types.js';
import { sniffCompression } from './compression.js';
import { type TarEntry, TarIndex } from './tar-index.js';

const MAX_SAVE_MANIFEST = 4 * 1024 * 1024;

/** One entry of a `docker save` manifest.json. */
interface SaveManifest {
  readonly config: string;
  readonly repoTags: readonly string[];
  readonly layers: readonly string[];
}

// `docker save` writes Config and Layers; RepoTags entries that are not strings are ignored.
const SaveManifestEntry = z
  .object({
    Config: z.string(),
    Layers: z.array(z.string()),
    RepoTags: tolerant(validItems(z.string())),
  })
  .transform((e): SaveManifest => ({ config: e.Config, repoTags: e.RepoTags ?? [], layers: e.Layers }));

const SaveManifestList = z.array(SaveManifestEntry).min(1, { error: 'expected at least one image' });

function parseSaveManifest(bytes: Buffer, where: string): SaveManifest {
  const entries = readImageJson(
    SaveManifestList,
    bytes,
    `${where}: manifest.json`,
    undefined,
    'INVALID_ARCHIVE',
  );
  if (entries.length > 1) {
    const names = entries.map((e, i) => e.repoTags[0] ?? `#${i}`).join(', ');
    throw new ImageError(
      'INVALID_ARCHIVE',
      `${where}: the archive holds ${entries.length} images (${names}); save one image per archive`,
    );
  }
  return entries[0]!;
}

/** `blobs/sha256/<hex>` or `<hex>.json` name the digest of their content; other names do not. */
function digestFromName(name: string): string | undefined {
  const m = /(?:^|\/)(?:blobs\/sha256\/)?([a-f0-9]{64})(?:\.json)?$/.exec(name);
  return m ? `sha256:${m[1]}` : undefined;
}

function entryOf(index: TarIndex, name: string, where: string): TarEntry {
  const entry = index.resolve(name);
  if (!entry) throw new ImageError('INVALID_ARCHIVE', `${where}: ${name} is missing from the archive`);
  return entry;
}

function hashEntry(index: TarIndex, entry: TarEntry): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    index
      .stream(entry)
      .on('data', (c: Buffer) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(`sha256:${hash.digest('hex')}`));
  });
}

/**
 * Docker 25+ writes an OCI layout next to manifest.json: when its index names a manifest whose
 * bytes verify and whose config is this image's config, that manifest digest is the image's.
 * Older archives have no manifest at all, so the handle has no `digest` (configDigest identifies it).
 */
function ociManifestDigest(index: TarIndex, configDigest: string): string | undefined {
  const top = index.resolve('index.json');
  if (!top) return undefined;
  try {
    const parsed = parseManifest(index.read(top, MAX_MANIFEST_BYTES), 'index.json');
    if (parsed.kind !== 'index') return undefined;
    for (const d of parsed.manifests) {
      const entry = index.resolve(`blobs/${d.digest.replace(':', '/')}`);
      if (!entry || isIndexMediaType(d.mediaType)) continue;
      const bytes = index.read(entry, MAX_MANIFEST_BYTES);
      verifyBuffer(bytes, d.digest, d.digest, d.size);
      const m = parseManifest(bytes, d.digest, d.mediaType);
      if (m.kind === 'manifest' && m.config.digest === configDigest) return d.digest;
    }
  } catch {
    // the layout part is optional metadata; manifest.json alone defines the image
  }
  return undefined;
}

/**
 * A `docker save` / `skopeo copy docker-archive:` tar, read in place: manifest.json names the
 * config and layer files (`<id>/layer.tar`, or `blobs/sha256/<hex>` from newer docker). An
 * uncompressed layer's digest is its diffId and is verified against the config while streaming;
 * a gzip layer is verified against the digest its file name carries (or hashed once when none).
 */
export async function openDockerArchive(
  path: string,
  name: string,
  where = `docker-archive:${path}`,
): Promise<ImageHandle> {
  const index = TarIndex.open(path);
  const save = parseSaveManifest(
    index.read(entryOf(index, 'manifest.json', where), MAX_SAVE_MANIFEST),
    where,
  );
  const rawConfig = index.read(entryOf(index, save.config, where), MAX_CONFIG_BYTES);
  const configDigest =
    digestFromName(save.config) ?? `sha256:${createHash('sha256').update(rawConfig).digest('hex')}`;
  try {
    verifyBuffer(rawConfig, configDigest, `${where}: config ${save.config}`);
  } catch (cause) {
    throw new ImageError('DIGEST_MISMATCH', (cause as DigestError).message, { cause });
  }
  const entries = save.layers.map((l) => entryOf(index, l, where));
  const config = parseImageConfig(rawConfig, `${where}: ${save.config}`);
  const diffIds = diffIdsOf(config, save.layers.length, where);
  const createdBy = createdByPerLayer(config, save.layers.length);
  const layers: LayerDescriptor[] = [];
  for (const [i, entry] of entries.entries()) {
    const head = index.read({ ...entry, size: Math.min(entry.size, 8) }, 8);
    const compressed = sniffCompression(head);
    if (compressed && compressed !== 'gzip' && compressed !== 'zstd') {
      throw new ImageError(
        'UNSUPPORTED_MEDIA_TYPE',
        `${where}: layer ${save.layers[i]} is ${compressed}-compressed`,
      );
    }
    const digest = compressed
      ? (digestFromName(save.layers[i]!) ?? (await hashEntry(index, entry)))
      : diffIds[i]!;
    const by = createdBy[i];
    layers.push({
      digest,
      diffId: diffIds[i]!,
      size: entry.size,
      mediaType:
        compressed === 'gzip'
          ? MEDIA_TYPES.dockerLayer
          : compressed === 'zstd'
            ? MEDIA_TYPES.ociLayerZstd
            : MEDIA_TYPES.dockerLayerTar,
      ...(by !== undefined ? { createdBy: by } : {}),
    });
  }
  const digest = ociManifestDigest(index, configDigest);
  return createHandle({
    name,
    ...(digest ? { digest } : {}),
    config,
    configDigest,
    rawConfig,
    layers,
    async open(i) {
      const layer = layers[i]!;
      const verifier = new VerifyingStream(layer.digest, `${where}: layer ${save.layers[i]}`, layer.size);
      const raw = index.stream(entries[i]!);
      raw.on('error', (err) => verifier.destroy(err));
      return { kind: 'tar', stream: raw.pipe(verifier) };
    },
  });
}
