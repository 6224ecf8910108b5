import { RpmDbError } from './errors.js';
import { type RpmHeader, RpmTag } from './header.js';

/**
 * The files a package installed, as rpm records them in its header: BASENAMES[i] in directory
 * DIRNAMES[DIRINDEXES[i]] (rpm ≥ 4), or the full OLDFILENAMES of older packages. Normalised like
 * the walker's paths (no leading `/`), sorted, directories included as rpm lists them.
 */
export function filesFromHeader(header: RpmHeader): string[] {
  const basenames = header.stringArray(RpmTag.BASENAMES);
  const full =
    basenames === undefined
      ? (header.stringArray(RpmTag.OLDFILENAMES) ?? [])
      : joinPaths(
          basenames,
          header.stringArray(RpmTag.DIRNAMES) ?? [],
          header.int32Array(RpmTag.DIRINDEXES) ?? [],
        );
  const out = new Set<string>();
  for (const path of full) {
    const normal = path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (normal !== '' && normal !== '.') out.add(normal);
  }
  return [...out].sort();
}

function joinPaths(
  basenames: readonly string[],
  dirnames: readonly string[],
  indexes: readonly number[],
): string[] {
  if (indexes.length !== basenames.length) {
    throw new RpmDbError(
      'RPM_HEADER_INVALID',
      `rpm header: ${basenames.length} BASENAMES but ${indexes.length} DIRINDEXES`,
    );
  }
  return basenames.map((base, i) => {
    const dir = dirnames[indexes[i]!];
    if (dir === undefined) {
      throw new RpmDbError(
        'RPM_HEADER_INVALID',
        `rpm header: DIRINDEXES[${i}] = ${indexes[i]} has no DIRNAMES entry`,
      );
    }
    return `${dir}${base}`;
  });
}
