import { LayerError } from './errors.js';

/**
 * Normalises a tar entry name to a clean relative path: no leading `/` or `./`, no `.` or empty
 * components. Returns '' for the root entry. A `..` that climbs out of the root is an attack
 * (a layer that would write outside its directory when extracted), so it is refused.
 */
/** a name that needs work: a backslash, or an empty, `.` or `..` component (leading/trailing `/` too) */
const UNCLEAN = /\\|(?:^|\/)\.{0,2}(?:\/|$)/;

export function normalizeEntryPath(name: string, layer: string): string {
  // most entry names are already clean (`usr/bin/env`): nothing to split and join
  if (!UNCLEAN.test(name)) return name;
  const parts: string[] = [];
  for (const part of name.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) {
        throw new LayerError(
          'PATH_TRAVERSAL',
          `layer ${layer}: entry "${name.slice(0, 200)}" escapes the image root (path traversal)`,
        );
      }
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Every ancestor directory of a path, nearest last: `a/b/c` -> ['a', 'a/b'] */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let i = path.indexOf('/');
  while (i >= 0) {
    out.push(path.slice(0, i));
    i = path.indexOf('/', i + 1);
  }
  return out;
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`);
}
