import { createHash } from 'node:crypto';
import type { Package } from '../../core/types.js';

/** SPDX element ids allow letters, digits, `.` and `-` after `SPDXRef-`. */
export function idString(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-|-$/g, '') || 'unnamed'
  );
}

/**
 * Stable, unique `SPDXRef-Package-<name>-<hash>` ids: the hash covers what tells two packages of the
 * same name apart (purl, path, layer), so an id does not move when other packages come or go.
 */
export function packageSpdxIds(packages: readonly Package[]): string[] {
  const used = new Set<string>();
  return packages.map((p) => {
    const hash = createHash('sha256')
      .update([p.name, p.version, p.purl, p.path, p.layer ?? ''].join('\0'))
      .digest('hex')
      .slice(0, 16);
    const base = `SPDXRef-Package-${idString(p.name)}-${hash}`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}
