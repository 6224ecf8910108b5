import { parseSourceRpm } from '../../analyzers/index.js';
import { type PurlParts, parsePurl } from '../../core/purl.js';
import type { OSInfo, Package, PackageOwner, SourcePackage } from '../../core/types.js';
import { ecosystemOfPurl, OS_TYPES } from './ecosystem.js';
import type { SbomEntry } from './types.js';

/** What became of one entry: a package, or why it is none. */
export type EntryOutcome =
  | { readonly kind: 'package'; readonly pkg: Package }
  | { readonly kind: 'not-a-package' }
  | { readonly kind: 'no-purl'; readonly field: string; readonly name: string }
  | { readonly kind: 'bad-purl'; readonly field: string; readonly purl: string }
  | { readonly kind: 'no-version'; readonly field: string; readonly name: string };

/** Where the document places an entry: its operating system, and the application (lockfile) above it. */
export interface EntryContext {
  readonly os?: OSInfo;
  readonly parentPath?: string;
}

/** Component kinds that are packages even without a purl (so a missing purl is worth a warning). */
const PACKAGE_KINDS = new Set([undefined, 'library', 'framework']);

const prop = (e: SbomEntry, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = e.props.get(n)?.[0];
    if (v) return v;
  }
  return undefined;
};

/** The name OSV and the matcher know: `@scope/pkg`, `group:artifact`, a Go module path. */
function purlName(p: PurlParts): string {
  if (!p.namespace) return p.name;
  switch (p.type) {
    case 'npm':
    case 'golang':
    case 'composer':
      return `${p.namespace}/${p.name}`;
    case 'maven':
      return `${p.namespace}:${p.name}`;
    default:
      return p.name;
  }
}

const folded = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');

/** The document's own spelling when it is the purl's name (case, PEP 503 separators), else the purl's. */
function nameOf(e: SbomEntry, p: PurlParts): string {
  const fromPurl = purlName(p);
  return e.name && folded(e.name) === folded(fromPurl) ? e.name : fromPurl;
}

/** The version as Strata's analyzers write it: dpkg/rpm with the epoch, Go and Composer without `v`. */
function versionOf(e: SbomEntry, p: PurlParts): string | undefined {
  let v = p.version ?? e.version;
  if (!v) return undefined;
  if (p.type === 'golang') v = v.replace(/^go(?=\d)/, '').replace(/^v(?=\d)/, '');
  if (p.type === 'composer') v = v.replace(/^v(?=\d)/, '');
  const epoch = p.qualifiers?.epoch;
  if (OS_TYPES.has(p.type) && epoch && epoch !== '0' && !/^\d+:/.test(v)) v = `${epoch}:${v}`;
  return v;
}

/** Trivy's SrcName/SrcVersion/SrcRelease/SrcEpoch as one source package. */
function trivySource(e: SbomEntry): SourcePackage | undefined {
  const name = prop(e, 'aquasecurity:trivy:SrcName');
  if (!name) return undefined;
  const version = prop(e, 'aquasecurity:trivy:SrcVersion') ?? '';
  const release = prop(e, 'aquasecurity:trivy:SrcRelease');
  const epoch = prop(e, 'aquasecurity:trivy:SrcEpoch');
  const full = `${epoch && epoch !== '0' ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
  return { name, version: full };
}

/** Syft's `upstream` qualifier: `glibc`, `glibc@2.36-9`, or an rpm's `openssl-1.1.1k-7.el8.src.rpm`. */
function upstreamSource(p: PurlParts): SourcePackage | undefined {
  const upstream = p.qualifiers?.upstream;
  if (!upstream) return undefined;
  const rpm = parseSourceRpm(upstream);
  if (rpm) {
    const epoch = p.qualifiers?.epoch;
    const prefix = epoch && epoch !== '0' ? `${epoch}:` : '';
    return { name: rpm.name, version: `${prefix}${rpm.version}-${rpm.release}` };
  }
  const at = upstream.indexOf('@');
  return at > 0
    ? { name: upstream.slice(0, at), version: upstream.slice(at + 1) }
    : { name: upstream, version: '' };
}

/** The source package, from Strata's, Trivy's or Syft's conventions or SPDX's `sourceInfo`. */
function sourceOf(e: SbomEntry, p: PurlParts, version: string): SourcePackage | undefined {
  const strataName = prop(e, 'strata:package:sourceName');
  if (strataName) return { name: strataName, version: prop(e, 'strata:package:sourceVersion') ?? version };
  const built = /^built package from:\s*(\S+)(?:\s+(\S+))?/.exec(e.sourceInfo ?? '');
  const found =
    trivySource(e) ?? upstreamSource(p) ?? (built ? { name: built[1]!, version: built[2] ?? '' } : undefined);
  if (!found) return undefined;
  return { name: found.name, version: found.version || version };
}

/** Package path as the image scan records it: relative, no leading slash. */
function pathOf(e: SbomEntry, ctx: EntryContext): string {
  const recorded = prop(e, 'strata:path', 'aquasecurity:trivy:FilePath', 'syft:location:0:path');
  return (recorded ?? ctx.parentPath ?? '').replace(/^\/+/, '');
}

/**
 * One SBOM entry as a Package of the same shape an image scan builds (name and version as the
 * matcher expects them, the OSV ecosystem, source package, path and layer), or why it is none.
 * A purl type without an OSV ecosystem keeps its type as the ecosystem (`generic`): listed, never matched.
 */
export function entryToPackage(e: SbomEntry, ctx: EntryContext): EntryOutcome {
  if (!e.purl) {
    return PACKAGE_KINDS.has(e.kind)
      ? { kind: 'no-purl', field: e.field, name: e.name ?? '(no name)' }
      : { kind: 'not-a-package' };
  }
  const p = parsePurl(e.purl);
  if (!p) return { kind: 'bad-purl', field: `${e.field}.purl`, purl: e.purl };
  if (p.type === 'oci') return { kind: 'not-a-package' };
  const name = nameOf(e, p);
  const version = versionOf(e, p);
  if (!version) return { kind: 'no-version', field: e.field, name };
  const derived = ecosystemOfPurl(p, ctx.os);
  const ecosystem = prop(e, 'strata:ecosystem') ?? derived;
  const source = sourceOf(e, p, version);
  const arch = prop(e, 'strata:package:arch') ?? p.qualifiers?.arch;
  const layer = prop(e, 'strata:layer:digest', 'aquasecurity:trivy:LayerDigest');
  const locations = e.props.get('strata:location')?.filter(Boolean) ?? [];
  const pkg: Package = {
    name,
    version,
    ecosystem: ecosystem ?? p.type,
    purl: e.purl,
    ...(source ? { source } : {}),
    ...(arch ? { arch } : {}),
    ...(e.licenses.length ? { licenses: e.licenses } : {}),
    path: pathOf(e, ctx),
    ...(locations.length > 1 ? { locations } : {}),
    ...(layer ? { layer } : {}),
    ...(prop(e, 'strata:package:dev') === 'true' ? { dev: true } : {}),
  };
  return { kind: 'package', pkg };
}

/** An OS package (deb, rpm, apk) as the owner of the language packages whose files it installed. */
export function ownerOf(pkg: Package): PackageOwner | undefined {
  const type = parsePurl(pkg.purl)?.type;
  if (type !== 'deb' && type !== 'rpm' && type !== 'apk') return undefined;
  return { type, name: pkg.name, version: pkg.version, purl: pkg.purl };
}

/** An owner named only by its purl (`strata:ownedBy` of a package the document does not list). */
export function ownerOfPurl(purl: string): PackageOwner | undefined {
  const p = parsePurl(purl);
  if (!p || (p.type !== 'deb' && p.type !== 'rpm' && p.type !== 'apk')) return undefined;
  const version = versionOf({ field: '', props: new Map(), licenses: [] }, p);
  return version ? { type: p.type, name: p.name, version, purl } : undefined;
}
