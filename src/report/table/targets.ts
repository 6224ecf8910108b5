import type { FindingLocation, OSInfo } from '../../core/types.js';

/** Where a package was found, as Trivy's table names it: the OS, a lockfile or binary, or installed copies. */
export interface Target {
  /** equal for packages of the same target */
  readonly key: string;
  readonly title: string;
  /** OS packages first, then files and installed copies by title */
  readonly rank: 0 | 1;
}

const OS_PURL = /^pkg:(?:deb|apk|rpm|alpm|ebuild)\//i;

/** Installed copies are one file per package: they are grouped per language, as Trivy does. */
const INSTALLED: readonly { readonly test: RegExp; readonly title: string }[] = [
  { test: /(?:^|\/)node_modules\/.+\/package\.json$/, title: 'Node.js (node_modules)' },
  { test: /\.(?:dist-info|egg-info)(?:\/|$)|(?:^|\/)EGG-INFO\//, title: 'Python (site-packages)' },
  { test: /(?:^|\/)specifications\/[^/]+\.gemspec$/, title: 'Ruby (installed gems)' },
  { test: /\.(?:jar|war|ear|par)(?:$|!)/i, title: 'Java (jar)' },
];

export function osTitle(os: OSInfo | undefined): string {
  return os ? `${os.family} ${os.version} (OS packages)` : 'OS packages';
}

/** The target of a package (or of the vulnerability found in it) from its purl and recording file. */
export function targetOf(purl: string, path: string | undefined, ecosystem: string, os?: OSInfo): Target {
  if (OS_PURL.test(purl)) return { key: 'os', title: osTitle(os), rank: 0 };
  const file = path ?? '';
  const installed = INSTALLED.find((i) => i.test.test(file));
  if (installed) return { key: `installed:${installed.title}`, title: installed.title, rank: 1 };
  return { key: `file:${file}`, title: `${file || '-'} (${ecosystem})`, rank: 1 };
}

/** OS packages first, then by title ignoring case (`app/package-lock.json`, `Python (site-packages)`, `usr/...`). */
export function compareTargets(a: Target, b: Target): number {
  const x = a.title.toLowerCase();
  const y = b.title.toLowerCase();
  return a.rank - b.rank || (x < y ? -1 : x > y ? 1 : a.title < b.title ? -1 : a.title > b.title ? 1 : 0);
}

/**
 * `Deployment/shop/web (app) REF@sha256:...` for a finding an image scan attributed to a workload
 * container (`strata k8s --scan-images`): its sections are kept apart per workload and image.
 */
export function workloadOf(l: FindingLocation): string | undefined {
  return l.container !== undefined && l.image !== undefined
    ? `${l.resource ?? '-'} (${l.container}) ${l.image}`
    : undefined;
}

/** The target of a workload container's finding: the image's own target, under the workload. */
export function inWorkload(target: Target, l: FindingLocation): Target {
  const workload = workloadOf(l);
  return workload
    ? { key: `workload:${workload}\0${target.key}`, title: `${workload}: ${target.title}`, rank: 1 }
    : target;
}
