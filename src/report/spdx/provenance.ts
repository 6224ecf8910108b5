import type { LayerInfo, Package, ScanResult } from '../../core/types.js';

/** Package URL types of operating-system package managers; their packages belong to the OS. */
const OS_PURL_TYPES = new Set(['deb', 'apk', 'rpm', 'alpm', 'ebuild']);

export function isOsPackage(pkg: Package): boolean {
  const m = /^pkg:([a-zA-Z0-9.+-]+)\//.exec(pkg.purl);
  return m ? OS_PURL_TYPES.has(m[1]!.toLowerCase()) : false;
}

/** Where each package came from, as `strata:` name/value pairs sorted by name. */
export function packageProvenance(pkg: Package, layers: ReadonlyMap<string, LayerInfo>): [string, string][] {
  const out: [string, string][] = [['strata:ecosystem', pkg.ecosystem]];
  if (pkg.layer) {
    out.push(['strata:layer:digest', pkg.layer]);
    const diffId = layers.get(pkg.layer)?.diffId;
    if (diffId) out.push(['strata:layer:diffId', diffId]);
  }
  if (pkg.arch) out.push(['strata:package:arch', pkg.arch]);
  if (pkg.dev) out.push(['strata:package:dev', 'true']);
  if (pkg.source) {
    out.push(['strata:package:sourceName', pkg.source.name]);
    out.push(['strata:package:sourceVersion', pkg.source.version]);
  }
  if (pkg.path) out.push(['strata:path', pkg.path]);
  // a lockfile's package merged with its installed copies: every file that recorded it
  for (const location of pkg.locations ?? []) out.push(['strata:location', location]);
  // a language package an OS package installed: that package's purl (its advisories apply)
  if (pkg.ownedBy) out.push(['strata:ownedBy', pkg.ownedBy.purl]);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function layerIndex(result: ScanResult): Map<string, LayerInfo> {
  return new Map((result.layers ?? []).map((l) => [l.digest, l]));
}
