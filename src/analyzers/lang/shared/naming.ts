import type { PackageDraft } from '../../types.js';

type Rest = Omit<PackageDraft, 'type' | 'name' | 'namespace' | 'version'>;

function withOsvName(rest: Rest, osvName: string): Rest {
  return { ...rest, extra: { ...rest.extra, osvName } };
}

/** `@scope/name` -> purl namespace `@scope`, OSV name `@scope/name`. */
export function npmPackage(fullName: string, version: string, rest: Rest = {}): PackageDraft {
  const slash = fullName.indexOf('/');
  if (fullName.startsWith('@') && slash > 1) {
    const namespace = fullName.slice(0, slash);
    const name = fullName.slice(slash + 1);
    return { type: 'npm', namespace, name, version, ...withOsvName(rest, fullName) };
  }
  return { type: 'npm', name: fullName, version, ...rest };
}

/** PEP 503 normalised name: what OSV and the purl spec use for PyPI. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * PyPI names as the purl spec writes them (lower case, `_` as `-`); OSV compares PEP 503 names, which
 * also fold `.` runs, so that form goes to `osvName` when it differs.
 */
export function pypiPackage(declared: string, version: string, rest: Rest = {}): PackageDraft {
  const name = declared.toLowerCase().replace(/_/g, '-');
  const normal = normalizePypiName(declared);
  const r = normal === name ? rest : withOsvName(rest, normal);
  return { type: 'pypi', name, version, ...r };
}

/** Go module path `github.com/gorilla/mux` -> namespace `github.com/gorilla`, name `mux`; OSV uses the full path. */
export function goPackage(modulePath: string, version: string, rest: Rest = {}): PackageDraft {
  const slash = modulePath.lastIndexOf('/');
  if (slash < 0) return { type: 'golang', name: modulePath, version, ...rest };
  return {
    type: 'golang',
    namespace: modulePath.slice(0, slash),
    name: modulePath.slice(slash + 1),
    version,
    ...withOsvName(rest, modulePath),
  };
}

/** Go writes `v1.8.0`; OSV's Go records (SEMVER) have no `v`. */
export function goVersion(v: string): string {
  return v.startsWith('v') ? v.slice(1) : v;
}

export function mavenPackage(
  groupId: string | undefined,
  artifactId: string,
  version: string,
  rest: Rest = {},
): PackageDraft {
  if (!groupId) return { type: 'maven', name: artifactId, version, ...rest };
  return {
    type: 'maven',
    namespace: groupId,
    name: artifactId,
    version,
    ...withOsvName(rest, `${groupId}:${artifactId}`),
  };
}

/** Composer `vendor/package` -> purl namespace `vendor`; OSV (Packagist) uses `vendor/package`. */
export function composerPackage(fullName: string, version: string, rest: Rest = {}): PackageDraft {
  const slash = fullName.indexOf('/');
  const v = /^v\d/.test(version) ? version.slice(1) : version;
  if (slash < 1) return { type: 'composer', name: fullName, version: v, ...rest };
  return {
    type: 'composer',
    namespace: fullName.slice(0, slash),
    name: fullName.slice(slash + 1),
    version: v,
    ...withOsvName(rest, fullName),
  };
}
