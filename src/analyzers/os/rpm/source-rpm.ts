/** The parts of a source rpm file name, `name-version-release.src.rpm`. */
export interface SourceRpm {
  readonly name: string;
  readonly version: string;
  readonly release: string;
}

const SUFFIXES = ['.src.rpm', '.nosrc.rpm'] as const;

/**
 * Splits `util-linux-2.32.1-42.el8_8.src.rpm` into name, version and release. The name may hold
 * dashes, version and release may not, so the last two dashes separate the three parts.
 * Returns `undefined` when the text is not a source rpm file name.
 */
export function parseSourceRpm(fileName: string): SourceRpm | undefined {
  const suffix = SUFFIXES.find((s) => fileName.endsWith(s));
  if (suffix === undefined) return undefined;
  const nvr = fileName.slice(0, -suffix.length);
  const releaseDash = nvr.lastIndexOf('-');
  if (releaseDash <= 0) return undefined;
  const versionDash = nvr.lastIndexOf('-', releaseDash - 1);
  if (versionDash <= 0) return undefined;
  const name = nvr.slice(0, versionDash);
  const version = nvr.slice(versionDash + 1, releaseDash);
  const release = nvr.slice(releaseDash + 1);
  if (version === '' || release === '') return undefined;
  return { name, version, release };
}
