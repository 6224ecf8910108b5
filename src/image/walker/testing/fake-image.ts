import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { sha256 } from '../../../core/digest.js';
import type { ImageHandle, LayerDescriptor } from '../../types.js';

/** A tar entry for tests: a file (with content), a directory, a symlink or a hardlink. */
export type FakeEntry =
  | { name: string; content: string | Buffer; mode?: number }
  | { name: string; type: 'directory' | 'symlink' | 'link' | 'character-device'; linkname?: string };

/** Builds an uncompressed tar in memory with tar-stream's packer. */
export async function makeTar(entries: readonly FakeEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const e of entries) {
    if ('content' in e) p.entry({ name: e.name, mode: e.mode ?? 0o644 }, e.content);
    else p.entry({ name: e.name, type: e.type, ...(e.linkname ? { linkname: e.linkname } : {}) });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** An in-memory image whose layers are the given blobs (gzip unless told otherwise). */
export function fakeImage(blobs: readonly Buffer[], createdBy: readonly string[] = []): ImageHandle {
  const layers: LayerDescriptor[] = blobs.map((b, i) => ({
    digest: sha256(b),
    diffId: sha256(b),
    size: b.length,
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    ...(createdBy[i] ? { createdBy: createdBy[i] } : {}),
  }));
  return {
    name: 'fake',
    config: {},
    layers,
    openLayer: async (i) => ({ kind: 'tar', stream: Readable.from([blobs[i]!]) }),
    close: async () => {},
  };
}

export async function gzipLayer(entries: readonly FakeEntry[]): Promise<Buffer> {
  return gzipSync(await makeTar(entries));
}
