import { StrataError } from '../../core/errors.js';
import { ImageError } from '../errors.js';
import { openRegistryImage } from '../registry/source.js';
import type { ImageHandle, OpenOptions } from '../types.js';
import type { Attempt } from './attempt.js';
import { openEngineImage } from './open-engine.js';
import type { ImageSourceName } from './sources.js';

async function attempt(source: ImageSourceName, name: string, options: OpenOptions): Promise<Attempt> {
  if (source !== 'remote') return openEngineImage(source, name, options);
  if (options.offline) return { kind: 'absent', reason: 'not tried (--offline)' };
  try {
    return { kind: 'found', image: await openRegistryImage(name, options) };
  } catch (error) {
    if (error instanceof StrataError && !error.userError) throw error;
    return { kind: 'failed', reason: error instanceof Error ? error.message : String(error), error };
  }
}

/**
 * `--image-src`: each source in turn, the first that has the image wins. A source without a
 * daemon is passed over; when none has the image, one line names every source and why.
 */
export async function openFromSources(
  name: string,
  sources: readonly ImageSourceName[],
  options: OpenOptions,
): Promise<ImageHandle> {
  const reasons: string[] = [];
  let last: Attempt | undefined;
  for (const source of sources) {
    const result = await attempt(source, name, options);
    if (result.kind === 'found') {
      options.onSource?.(source, 'found');
      return result.image;
    }
    options.onSource?.(source, result.kind, result.reason);
    reasons.push(`${source}: ${result.reason}`);
    last = result;
  }
  if (sources.length === 1 && last?.kind === 'failed') throw last.error;
  throw new ImageError(
    'NOT_FOUND',
    `${name}: no image source has it (--image-src ${sources.join(',')}): ${reasons.join('; ')}`,
    ...(last?.kind === 'failed' ? [{ cause: last.error }] : []),
  );
}
