import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../../src/core/digest.js';

export interface LayoutSpec {
  /** layer blobs as stored */
  readonly layers: readonly Buffer[];
  readonly layerMediaType?: string;
  /** replace the manifest bytes (still stored under their true digest) */
  readonly manifestBytes?: Buffer;
  /** store this layer's bytes under another blob's name (a lying digest) */
  readonly lieAboutLayer?: number;
  /** the image config's `config` field (Env, Cmd, Labels...) */
  readonly runConfig?: Record<string, unknown>;
}

function putBlob(dir: string, bytes: Buffer, name?: string): string {
  const digest = name ?? sha256(bytes);
  writeFileSync(join(dir, 'blobs/sha256', digest.slice(7)), bytes);
  return digest;
}

/** Writes a minimal OCI image layout by hand, to make images no builder would make. */
export function writeLayout(dir: string, spec: LayoutSpec): void {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const layerDescs = spec.layers.map((bytes, i) => {
    const digest = sha256(bytes);
    if (spec.lieAboutLayer === i) {
      const other = Buffer.concat([bytes, Buffer.from('tampered')]);
      putBlob(dir, other, digest);
    } else putBlob(dir, bytes);
    return {
      mediaType: spec.layerMediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest,
      size: bytes.length,
    };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: layerDescs.map((l) => l.digest) },
      history: layerDescs.map((_, i) => ({ created_by: `step ${i + 1}` })),
      ...(spec.runConfig ? { config: spec.runConfig } : {}),
    }),
  );
  const configDigest = putBlob(dir, config);
  const manifest =
    spec.manifestBytes ??
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: configDigest,
          size: config.length,
        },
        layers: layerDescs,
      }),
    );
  const manifestDigest = putBlob(dir, manifest);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
}
