import type { PackageDraft } from '../../types.js';

/** type, full name (`namespace/name`), version, file: identity and sort order in one. */
function key(p: PackageDraft): string {
  const full = p.namespace ? `${p.namespace}/${p.name}` : p.name;
  return [p.type, full, p.version, p.path ?? ''].join('\u0000');
}

/** One draft per package and file; a package listed both as dev and non-dev is not dev. */
export function uniqueDrafts(drafts: readonly PackageDraft[]): PackageDraft[] {
  const seen = new Map<string, PackageDraft>();
  for (const d of drafts) {
    const k = key(d);
    const prev = seen.get(k);
    if (!prev) seen.set(k, d);
    else if (prev.dev && !d.dev) seen.set(k, { ...prev, dev: false });
  }
  return [...seen.values()];
}

export function sortDrafts(drafts: PackageDraft[]): PackageDraft[] {
  return drafts.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
