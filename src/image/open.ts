import { existsSync } from 'node:fs';
import { assertNever } from '../core/assert.js';
import { UsageError } from '../core/errors.js';
import { openDockerArchive } from './archive/docker-archive.js';
import { TarIndex } from './archive/tar-index.js';
import { openDirImage } from './dir-source.js';
import { openEngineImage } from './engine/open-engine.js';
import { openFromSources } from './engine/open-sources.js';
import type { EngineName } from './engine/sources.js';
import { ImageError } from './errors.js';
import { directoryLayout, tarLayout } from './layout/blob-store.js';
import { openLayoutImage } from './layout/oci-layout.js';
import { openRegistryImage } from './registry/source.js';
import { assertUncompressedArchive } from './target.js';
import type { ImageHandle, ImageTarget, OpenOptions } from './types.js';

/** How a target is written back for messages and `ImageHandle.name`. */
export function formatTarget(target: ImageTarget): string {
  switch (target.kind) {
    case 'registry':
      return target.remoteOnly ? `docker://${target.reference}` : target.reference;
    case 'engine':
      return `${target.engine}:${target.name}`;
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

/** `docker:NAME` and the like: that engine only, the handle named as the user wrote it. */
async function openOneEngine(
  engine: EngineName,
  imageName: string,
  name: string,
  options: OpenOptions,
): Promise<ImageHandle> {
  const attempt = await openEngineImage(engine, imageName, options);
  switch (attempt.kind) {
    case 'found': {
      const image = attempt.image;
      return {
        ...image,
        name,
        openLayer: (i, signal) => image.openLayer(i, signal),
        close: () => image.close(),
      };
    }
    case 'failed':
      throw attempt.error;
    case 'absent':
    case 'missing':
      throw new ImageError('NOT_FOUND', `${name}: ${attempt.reason}`);
    default:
      return assertNever(attempt, 'engine attempt');
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
      if (target.remoteOnly || !options.imageSources) return openRegistryImage(target.reference, options);
      return openFromSources(target.reference, options.imageSources, options);
    case 'engine':
      return openOneEngine(target.engine, target.name, name, options);
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
