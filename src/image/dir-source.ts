import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { sha256 } from '../core/digest.js';
import { UsageError } from '../core/errors.js';
import { createHandle } from './handle.js';
import type { ImageConfig, ImageHandle } from './types.js';

/** The media type of the one pseudo-layer of a `dir:` image (never sent anywhere). */
export const DIR_LAYER_MEDIA_TYPE = 'application/vnd.strata.rootfs.directory';

/**
 * A root filesystem directory as an image of one layer. There is no blob to hash, so the layer's
 * digest and diffId are synthetic: `sha256` of the absolute path string, which keeps findings
 * stable for the same directory and never collides with a real layer by accident. The config
 * is synthetic too (os linux, no history); `digest` and `configDigest` are absent.
 */
export function openDirImage(root: string, name: string): ImageHandle {
  const abs = resolve(root);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (cause) {
    throw new UsageError('FILE_NOT_FOUND', `dir:${root}: no such directory`, { cause });
  }
  if (!isDir) throw new UsageError('INVALID_ARGUMENT', `dir:${root}: not a directory`);
  const digest = sha256(abs);
  const config: ImageConfig = { os: 'linux', rootfs: { type: 'layers', diff_ids: [digest] } };
  return createHandle({
    name,
    config,
    layers: [{ digest, diffId: digest, size: 0, mediaType: DIR_LAYER_MEDIA_TYPE }],
    open: async () => ({ kind: 'dir', root: abs }),
  });
}
