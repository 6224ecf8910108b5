import { UsageError } from '../../core/errors.js';

/** Where an image may come from, as `--image-src` names them. */
export type ImageSourceName = 'docker' | 'podman' | 'containerd' | 'remote';

/** The local engines first, then the registry: Trivy's order. */
export const DEFAULT_IMAGE_SOURCES: readonly ImageSourceName[] = ['docker', 'podman', 'containerd', 'remote'];

/** The engines, as the explicit prefixes `docker:NAME`, `podman:NAME`, `containerd:NAME` name them. */
export type EngineName = Exclude<ImageSourceName, 'remote'>;
export const ENGINES: readonly EngineName[] = ['docker', 'podman', 'containerd'];

function isSource(name: string): name is ImageSourceName {
  return (DEFAULT_IMAGE_SOURCES as readonly string[]).includes(name);
}

/** `--image-src docker,podman,...`: known names, no repeats, at least one; else one usage line. */
export function parseImageSources(text: string): ImageSourceName[] {
  const out: ImageSourceName[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (!isSource(name)) {
      throw new UsageError(
        'INVALID_ARGUMENT',
        `--image-src: unknown source "${raw.trim()}" (expected a list of ${DEFAULT_IMAGE_SOURCES.join(', ')})`,
      );
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
