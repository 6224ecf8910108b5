import { deepCopy, type GoMap, type GoValue, isMap } from './template/index.js';

/**
 * Fills `dest` (user values) with `defaults` where it has no value, recursing into maps, as
 * Helm's coalesce does: user values win, and a user `null` deletes the default key.
 */
export function coalesceTables(dest: GoMap, defaults: GoMap): GoMap {
  for (const [k, dv] of Object.entries(defaults)) {
    if (!Object.hasOwn(dest, k)) {
      dest[k] = deepCopy(dv);
      continue;
    }
    const v = dest[k];
    if (v === null || v === undefined) delete dest[k];
    else if (isMap(v) && isMap(dv)) coalesceTables(v, dv);
  }
  return dest;
}

/** Deep-merges `src` over `dest` (later `--helm-values` files win), as Helm's MergeValues does. */
export function mergeValues(dest: GoMap, src: GoMap): GoMap {
  for (const [k, v] of Object.entries(src)) {
    const d = dest[k];
    if (isMap(v) && isMap(d)) mergeValues(d, v);
    else dest[k] = deepCopy(v);
  }
  return dest;
}

/** The parent's `global` values copied into a subchart's values (the parent's win). */
export function coalesceGlobals(sub: GoMap, parent: GoMap): void {
  const pg = parent.global;
  if (!isMap(pg)) return;
  const sg: GoValue = sub.global;
  const dest: GoMap = isMap(sg) ? sg : {};
  sub.global = dest;
  for (const [k, v] of Object.entries(pg)) {
    const d = dest[k];
    if (isMap(v) && isMap(d)) {
      const merged = deepCopy(v) as GoMap;
      coalesceTables(merged, d);
      dest[k] = merged;
    } else dest[k] = deepCopy(v);
  }
}
