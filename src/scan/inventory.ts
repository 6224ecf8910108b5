import { resolveOS } from '../analyzers/index.js';
import type { LayerInfo, OSInfo, Package, PackageDraft } from '../core/index.js';
import type { TrackedFile } from '../image/index.js';
import { ecosystemOf, purlOf } from './ecosystem.js';

export interface Inventory {
  readonly os?: OSInfo;
  readonly packages: Package[];
}

const keyOf = (d: PackageDraft) =>
  `${d.type}\0${d.namespace ?? ''}\0${d.name}\0${d.version}\0${d.arch ?? ''}`;

/**
 * The layer that introduced a package: walking back through the versions of its database
 * file, the earliest version (without a gap) that already held the same package.
 */
function introducingLayer(file: TrackedFile, analyzer: string, key: string): number {
  let index = file.versions.at(-1)!.layerIndex;
  for (let i = file.versions.length - 1; i >= 0; i--) {
    const version = file.versions[i]!;
    const drafts = version.results.get(analyzer)?.packages ?? [];
    if (!drafts.some((d) => keyOf(d) === key)) break;
    index = version.layerIndex;
  }
  return index;
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
 * files together, then every package with its ecosystem, purl, file and introducing layer.
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
      for (const draft of result.packages ?? []) {
        const layer = layers[introducingLayer(file, analyzer, keyOf(draft))];
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
  return { ...(os ? { os } : {}), packages };
}
