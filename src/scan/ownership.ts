import type { AnalysisResult } from '../analyzers/index.js';
import type { Package, PackageOwner } from '../core/index.js';
import type { TrackedFile } from '../image/index.js';

type OwnedFiles = NonNullable<AnalysisResult['ownedFiles']>[number];
type OsType = PackageOwner['type'];

const OS_TYPES = new Set<string>(['deb', 'rpm', 'apk']);

/** `pkg:deb/debian/...` -> `deb`; undefined for language packages. */
export function osTypeOf(pkg: Package): OsType | undefined {
  const type = /^pkg:([a-z0-9.+-]+)\//i.exec(pkg.purl)?.[1]?.toLowerCase();
  return type !== undefined && OS_TYPES.has(type) ? (type as OsType) : undefined;
}

/** The OS packages by type and name; an owner is looked up by arch first (multi-arch dpkg). */
function indexOsPackages(packages: readonly Package[]): Map<string, Package[]> {
  const out = new Map<string, Package[]>();
  for (const p of packages) {
    const type = osTypeOf(p);
    if (type === undefined) continue;
    const key = `${type}\0${p.name}`;
    out.set(key, [...(out.get(key) ?? []), p]);
  }
  return out;
}

function ownerOf(files: OwnedFiles, os: ReadonlyMap<string, Package[]>): PackageOwner | undefined {
  const candidates = os.get(`${files.type}\0${files.name}`) ?? [];
  const pkg = candidates.find((p) => files.arch === undefined || p.arch === files.arch) ?? candidates[0];
  if (pkg === undefined) return undefined;
  return { type: files.type as OsType, name: pkg.name, version: pkg.version, purl: pkg.purl };
}

/**
 * Every path an OS package manager's file lists name, with the installed OS package that owns it.
 * A list whose package is not installed (a stale `.list`, a removed package) owns nothing.
 */
export function ownedPaths(
  files: readonly TrackedFile[],
  packages: readonly Package[],
): Map<string, PackageOwner> {
  const os = indexOsPackages(packages);
  const out = new Map<string, PackageOwner>();
  for (const file of files) {
    for (const result of file.versions.at(-1)!.results.values()) {
      for (const owned of result.ownedFiles ?? []) {
        if (!OS_TYPES.has(owned.type)) continue;
        const owner = ownerOf(owned, os);
        if (owner === undefined) continue;
        for (const path of owned.paths) if (!out.has(path)) out.set(path, owner);
      }
    }
  }
  return out;
}

/**
 * Marks each language package whose file (its metadata, `package.json`, jar or binary) an OS package
 * installed: Debian's python3-urllib3 ships `urllib3-1.26.12.egg-info` and patches it, so the
 * package is matched through the Debian advisories, not PyPI's (see detect/vuln.ts).
 */
export function markOwnedPackages(packages: readonly Package[], files: readonly TrackedFile[]): Package[] {
  const owned = ownedPaths(files, packages);
  if (owned.size === 0) return [...packages];
  return packages.map((p) => {
    if (osTypeOf(p) !== undefined) return p;
    const owner = [p.path, ...(p.locations ?? [])].map((path) => owned.get(path)).find((o) => o);
    return owner ? { ...p, ownedBy: owner } : p;
  });
}
