import { existsSync } from 'node:fs';
import { assertNever } from '../core/assert.js';
import { UsageError } from '../core/errors.js';
import { openDockerArchive } from './archive/docker-archive.js';
import { TarIndex } from './archive/tar-index.js';
import { openDirImage } from './dir-source.js';
import { directoryLayout, tarLayout } from './layout/blob-store.js';
import { openLayoutImage } from './layout/oci-layout.js';
import { openRegistryImage } from './registry/source.js';
import { assertUncompressedArchive } from './target.js';
import type { ImageHandle, ImageTarget, OpenOptions } from './types.js';

/** How a target is written back for messages and `ImageHandle.name`. */
export function formatTarget(target: ImageTarget): string {
  switch (target.kind) {
    case 'registry':
      return target.reference;
    case 'docker-archive':
      return `docker-archive:${target.path}`;
    case 'oci':
      return `oci:${target.dir}${target.tag ? `:${target.tag}` : ''}`;
    case 'oci-archive':
      return `oci-archive:${target.path}${target.tag ? `:${target.tag}` : ''}`;
    case 'dir':
      return `dir:${target.root}`;
    default:
      return assertNever(target, 'image target');
  }
}

function requireExisting(path: string, what: string): void {
  if (!existsSync(path)) throw new UsageError('FILE_NOT_FOUND', `${what}: no such file or directory`);
}

/**
 * Resolves a target into an ImageHandle: manifest, platform, config and the ordered layers,
 * every digest verified. Layers are opened later, one stream each, by the walker. Archives are
 * read in place; nothing is extracted or written.
 */
export async function openImage(target: ImageTarget, options: OpenOptions = {}): Promise<ImageHandle> {
  const name = formatTarget(target);
  switch (target.kind) {
    case 'registry':
      return openRegistryImage(target.reference, options);
    case 'docker-archive':
      requireExisting(target.path, name);
      assertUncompressedArchive(target.path, name);
      return openDockerArchive(target.path, name);
    case 'oci':
      requireExisting(target.dir, name);
      return openLayoutImage(directoryLayout(target.dir, name), name, target.tag, options.platform);
    case 'oci-archive': {
      requireExisting(target.path, name);
      assertUncompressedArchive(target.path, name);
      const files = tarLayout(TarIndex.open(target.path), name);
      return openLayoutImage(files, name, target.tag, options.platform);
    }
    case 'dir':
      return openDirImage(target.root, name);
    default:
      return assertNever(target, 'image target');
  }
}
