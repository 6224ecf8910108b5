import { parsePurl } from '../../core/purl.js';
import type { OSInfo, Package } from '../../core/types.js';
import { comparatorFor } from '../../vuln/index.js';
import { osOfComponent } from './distro.js';
import { osOfPurl } from './ecosystem.js';
import { type EntryContext, entryToPackage, ownerOf, ownerOfPurl } from './package.js';
import type { SbomDocument, SbomEntry } from './types.js';

/** Entries that gave no package worth checking, by reason, with the first example of each. */
export interface Skipped {
  readonly count: number;
  /** `components[3] "name"`: the first one, so the user can find it */
  readonly first: string;
}

export interface SbomInventory {
  readonly os?: OSInfo;
  readonly packages: readonly Package[];
  /** entries that are packages (library, framework or untyped), counted whatever became of them */
  readonly candidates: number;
  readonly noPurl?: Skipped;
  readonly badPurl?: Skipped;
  readonly noVersion?: Skipped;
  /** packages listed but not matched: their purl type has no advisory ecosystem, by type */
  readonly unmatchable: ReadonlyMap<string, number>;
}

function note(prev: Skipped | undefined, first: string): Skipped {
  return prev ? { count: prev.count + 1, first: prev.first } : { count: 1, first };
}

/** The document's operating system: its first OS component Strata knows, else the most common purl distro. */
function documentOs(doc: SbomDocument): OSInfo | undefined {
  for (const os of doc.operatingSystems) {
    const info = osOfComponent(os);
    if (info) return info;
  }
  const counts = new Map<string, { os: OSInfo; n: number }>();
  for (const e of doc.entries) {
    const p = e.purl ? parsePurl(e.purl) : undefined;
    const os = p ? osOfPurl(p) : undefined;
    if (!os) continue;
    const key = `${os.family}\0${os.version}`;
    const seen = counts.get(key);
    counts.set(key, { os, n: (seen?.n ?? 0) + 1 });
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.os;
}

/**
 * The OS and application an entry hangs under, through the document's edges: a package an
 * operating-system component contains belongs to that OS; one an application component without a
 * purl contains (Trivy's lockfile and binary groups) takes that component's name as its path.
 */
function contexts(doc: SbomDocument, os: OSInfo | undefined): (e: SbomEntry) => EntryContext {
  const osByRef = new Map<string, OSInfo>();
  for (const c of doc.operatingSystems) {
    const info = c.ref ? osOfComponent(c) : undefined;
    if (c.ref && info) osByRef.set(c.ref, info);
  }
  const groupByRef = new Map<string, string>();
  for (const e of doc.entries) {
    if (e.ref && !e.purl && e.kind === 'application' && e.name && e.ref !== doc.subjectRef) {
      groupByRef.set(e.ref, e.name);
    }
  }
  const osOf = new Map<string, OSInfo>();
  const pathOf = new Map<string, string>();
  for (const [from, to] of doc.edges) {
    const parentOs = osByRef.get(from);
    if (parentOs && !osOf.has(to)) osOf.set(to, parentOs);
    const group = groupByRef.get(from);
    if (group !== undefined && !pathOf.has(to)) pathOf.set(to, group);
  }
  return (e) => {
    const entryOs = (e.ref ? osOf.get(e.ref) : undefined) ?? os;
    const parentPath = e.ref ? pathOf.get(e.ref) : undefined;
    return { ...(entryOs ? { os: entryOs } : {}), ...(parentPath !== undefined ? { parentPath } : {}) };
  };
}

/**
 * Language packages an OS package installed (`ownedBy`): Strata's `strata:ownedBy` property (the
 * owner's purl) or Syft's SPDX `ownership-by-file-overlap` relationship. They are matched through
 * the owner's advisories only, as in an image scan.
 */
function withOwners(doc: SbomDocument, listed: readonly { entry: SbomEntry; pkg: Package }[]): Package[] {
  const byPurl = new Map<string, Package>();
  const byRef = new Map<string, Package>();
  for (const { entry, pkg } of listed) {
    if (!byPurl.has(pkg.purl)) byPurl.set(pkg.purl, pkg);
    if (entry.ref) byRef.set(entry.ref, pkg);
  }
  const ownerRefOf = new Map<string, string>();
  for (const [owner, owned] of doc.ownership ?? []) if (!ownerRefOf.has(owned)) ownerRefOf.set(owned, owner);
  return listed.map(({ entry, pkg }) => {
    if (ownerOf(pkg)) return pkg; // an OS package owns, it is not owned
    const purl = entry.props.get('strata:ownedBy')?.[0];
    const ref = entry.ref ? ownerRefOf.get(entry.ref) : undefined;
    const ownerPkg = purl ? byPurl.get(purl) : ref ? byRef.get(ref) : undefined;
    const owner = (ownerPkg ? ownerOf(ownerPkg) : undefined) ?? (purl ? ownerOfPurl(purl) : undefined);
    return owner ? { ...pkg, ownedBy: owner } : pkg;
  });
}

/** The packages of an SBOM document, in the shape an image scan builds, and what was left out. */
export function sbomInventory(doc: SbomDocument): SbomInventory {
  const os = documentOs(doc);
  const contextOf = contexts(doc, os);
  const listed: { entry: SbomEntry; pkg: Package }[] = [];
  const unmatchable = new Map<string, number>();
  let candidates = 0;
  let noPurl: Skipped | undefined;
  let badPurl: Skipped | undefined;
  let noVersion: Skipped | undefined;
  for (const e of doc.entries) {
    const outcome = entryToPackage(e, contextOf(e));
    if (outcome.kind !== 'not-a-package') candidates += 1;
    switch (outcome.kind) {
      case 'package':
        listed.push({ entry: e, pkg: outcome.pkg });
        if (!comparatorFor(outcome.pkg.ecosystem)) {
          const type = parsePurl(outcome.pkg.purl)?.type ?? outcome.pkg.ecosystem;
          unmatchable.set(type, (unmatchable.get(type) ?? 0) + 1);
        }
        break;
      case 'no-purl':
        noPurl = note(noPurl, `${outcome.field} "${outcome.name}"`);
        break;
      case 'bad-purl':
        badPurl = note(badPurl, `${outcome.field} "${outcome.purl}"`);
        break;
      case 'no-version':
        noVersion = note(noVersion, `${outcome.field} "${outcome.name}"`);
        break;
      case 'not-a-package':
        break;
    }
  }
  return {
    ...(os ? { os } : {}),
    packages: withOwners(doc, listed),
    candidates,
    ...(noPurl ? { noPurl } : {}),
    ...(badPurl ? { badPurl } : {}),
    ...(noVersion ? { noVersion } : {}),
    unmatchable,
  };
}
