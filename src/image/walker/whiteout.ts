import type { EntryKind } from './entries.js';
import { LayerError } from './errors.js';
import { basename, dirname } from './path.js';

const PREFIX = '.wh.';
/** names starting `.wh..wh.` are reserved (AUFS metadata such as `.wh..wh.plnk`); only this one means something */
const META_PREFIX = '.wh..wh.';
const OPAQUE = '.wh..wh..opq';

/** What a layer entry means for the union filesystem, as the OCI image spec defines whiteouts. */
export type WhiteoutMeaning =
  | { readonly kind: 'none' }
  | { readonly kind: 'whiteout'; readonly path: string }
  | { readonly kind: 'opaque'; readonly dir: string }
  | { readonly kind: 'reserved' };

const NONE: WhiteoutMeaning = { kind: 'none' };

function malformed(layer: string, entry: string, why: string): LayerError {
  return new LayerError(
    'MALFORMED_WHITEOUT',
    `${layer}: entry "${entry.slice(0, 200)}" is a malformed whiteout (${why}), refusing the layer`,
  );
}

/**
 * Reads a (normalised) entry path as a whiteout. A whiteout names one sibling to delete; one that
 * names nothing (`.wh.`), `.` or `..`, sits inside another whiteout, is a directory, or makes the
 * image root opaque would delete far more than any builder ever writes: the layer is refused,
 * never read as "delete everything".
 */
export function readWhiteout(path: string, kind: EntryKind, layer: string): WhiteoutMeaning {
  if (!path.includes(PREFIX)) return NONE; // nearly every entry: no whiteout anywhere in its path
  const base = basename(path);
  const parent = dirname(path);
  if (parent.split('/').some((part) => part.startsWith(PREFIX)))
    throw malformed(layer, path, 'a whiteout used as a directory');
  if (!base.startsWith(PREFIX)) return NONE;
  if (kind === 'dir') throw malformed(layer, path, 'a directory');
  if (base === OPAQUE) {
    if (parent === '') throw malformed(layer, path, 'an opaque marker for the image root');
    return { kind: 'opaque', dir: parent };
  }
  if (base.startsWith(META_PREFIX)) return { kind: 'reserved' };
  const name = base.slice(PREFIX.length);
  if (name === '' || name === '.' || name === '..') throw malformed(layer, path, `it names "${name}"`);
  return { kind: 'whiteout', path: parent ? `${parent}/${name}` : name };
}
