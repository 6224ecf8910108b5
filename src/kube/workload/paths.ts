import type { ObjectPath } from '../load/index.js';

/** `spec.containers[0].image`, the way kubectl and upstream field errors print a path. */
export function formatPath(path: ObjectPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
