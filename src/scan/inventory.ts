import { resolveOS } from '../analyzers/index.js';
import type { LayerInfo, OSInfo, Package, PackageDraft } from '../core/index.js';
import type { TrackedFile } from '../image/index.js';
import { ecosystemOf, purlOf } from './ecosystem.js';
import { mergeInstalledCopies } from './merge.js';
import { markOwnedPackages } from './ownership.js';

export interface Inventory {
  readonly os?: OSInfo;
  readonly packages: Package[];
}

export const keyOf = (d: PackageDraft): string =>
  `${d.type}\0${d.namespace ?? ''}\0${d.name}\0${d.version}\0${d.arch ?? ''}`;

/**
 * The layer that introduced each package of one database file: walking back through the
 * file's versions, the earliest version (without a gap) that already held the same package.
 * Each version's package keys go into a set once, so a database of n packages over v versions
 * costs O(n·v) lookups instead of O(n²·v) scans.
 */
export function introducingLayers(
  file: TrackedFile,
  analyzer: string,
  keys: readonly string[],
): Map<string, number> {
  const last = file.versions.at(-1)!.layerIndex;
  const out = new Map<string, number>(keys.map((k) => [k, last]));
  let alive = [...out.keys()];
  for (let i = file.versions.length - 2; i >= 0 && alive.length > 0; i--) {
    const version = file.versions[i]!;
    const held = new Set((version.results.get(analyzer)?.packages ?? []).map(keyOf));
    alive = alive.filter((k) => held.has(k));
    for (const k of alive) out.set(k, version.layerIndex);
  }
  return out;
}

/** The name users and OSV know a package by: `@scope/pkg`, `group:artifact`, a Go module path. */
function packageName(draft: PackageDraft): string {
  const osvName = draft.extra?.osvName;
  if (typeof osvName === 'string' && osvName) return osvName;
  if (!draft.namespace) return draft.name;
  switch (draft.type) {
    case 'npm':
    case 'golang':
    case 'composer':
      return `${draft.namespace}/${draft.name}`;
    case 'maven':
      return `${draft.namespace}:${draft.name}`;
    default:
      return draft.name;
  }
}

function collectLicenses(files: readonly TrackedFile[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files) {
    for (const result of file.versions.at(-1)!.results.values()) {
      for (const l of result.licenses ?? []) out.set(`${l.type}\0${l.name}`, [...l.licenses]);
    }
  }
  return out;
}

/**
 * Turns the final filesystem's analysis into the inventory: the OS decided from all release
 * files together, then every package with its ecosystem, purl, file and introducing layer; a
 * lockfile's package and its installed copy in the same project are one package (merge.ts).
 */
export function buildInventory(files: readonly TrackedFile[], layers: readonly LayerInfo[]): Inventory {
  const release = new Map<string, string>();
  for (const file of files) {
    for (const result of file.versions.at(-1)!.results.values()) {
      if (result.osRelease !== undefined) release.set(file.path, result.osRelease);
    }
  }
  const os = resolveOS(release);
  const licenses = collectLicenses(files);
  const packages: Package[] = [];
  for (const file of files) {
    const current = file.versions.at(-1)!;
    for (const [analyzer, result] of current.results) {
      const drafts = result.packages ?? [];
      const introduced = introducingLayers(file, analyzer, drafts.map(keyOf));
      for (const draft of drafts) {
        const layer = layers[introduced.get(keyOf(draft))!];
        const declared = draft.licenses?.length
          ? draft.licenses
          : licenses.get(`${draft.type}\0${draft.name}`);
        packages.push({
          name: packageName(draft),
          version: draft.version,
          ecosystem: ecosystemOf(draft, os),
          purl: purlOf(draft, os),
          ...(draft.source ? { source: draft.source } : {}),
          ...(draft.arch ? { arch: draft.arch } : {}),
          ...(declared?.length ? { licenses: declared } : {}),
          ...(draft.maintainer ? { maintainer: draft.maintainer } : {}),
          ...(draft.vendor ? { vendor: draft.vendor } : {}),
          path: draft.path ?? file.path,
          ...(layer?.digest ? { layer: layer.digest } : {}),
          ...(draft.dev ? { dev: true } : {}),
          ...(draft.extra ? { extra: draft.extra } : {}),
        });
      }
    }
  }
  const merged = mergeInstalledCopies(packages);
  return { ...(os ? { os } : {}), packages: markOwnedPackages(merged, files) };
}
