import type { PackageDraft, PackageType } from '../core/index.js';
import { formatPurl } from '../core/purl.js';
import type { OSInfo } from '../core/types.js';

const LANGUAGE_ECOSYSTEMS: Record<Exclude<PackageType, 'deb' | 'apk' | 'rpm'>, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  cargo: 'crates.io',
  composer: 'Packagist',
  nuget: 'NuGet',
};

const major = (v: string) => v.split('.')[0] ?? v;
const majorMinor = (v: string) => v.split('.').slice(0, 2).join('.');

/**
 * The OSV ecosystem of an OS package on a given OS, with the release where OSV names one:
 * `Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.20`, `AlmaLinux:9`, `Rocky Linux:9`...
 */
export function osEcosystem(os: OSInfo | undefined): string {
  if (!os) return 'unknown';
  const v = os.version;
  switch (os.family) {
    case 'debian':
      return /^\d/.test(v) ? `Debian:${major(v)}` : 'Debian';
    case 'ubuntu': {
      const lts = /^\d*[02468]\.04/.test(v);
      return `Ubuntu:${majorMinor(v)}${lts ? ':LTS' : ''}`;
    }
    case 'alpine':
      return `Alpine:v${majorMinor(v)}`;
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'almalinux':
      return `AlmaLinux:${major(v)}`;
    case 'rocky':
      return `Rocky Linux:${major(v)}`;
    case 'rhel':
    case 'centos':
      return `Red Hat:${major(v)}`;
    case 'opensuse':
      return `openSUSE:Leap ${v}`;
    case 'suse':
      return `SUSE:Linux Enterprise Server ${major(v)}`;
    case 'photon':
      return `Photon OS:${majorMinor(v)}`;
    case 'mariner':
      return `Mariner:${majorMinor(v)}`;
    case 'azurelinux':
      return `Azure Linux:${majorMinor(v)}`;
    case 'fedora':
      return `Fedora:${major(v)}`;
    case 'amazon':
      return `Amazon Linux:${major(v)}`;
    case 'oracle':
      return `Oracle Linux:${major(v)}`;
    case 'distroless':
    case 'unknown':
      return 'unknown';
  }
}

/** purl `distro` qualifier: `debian-12`, `alpine-3.20.1`, `rhel-9.3` */
function distroQualifier(os: OSInfo | undefined): string | undefined {
  if (!os) return undefined;
  const v = os.family === 'debian' ? major(os.version) : os.version;
  return v ? `${os.family}-${v}` : os.family;
}

/** purl namespace of OS packages: the distribution (`debian`, `alpine`, `redhat`...) */
function osNamespace(type: 'deb' | 'apk' | 'rpm', os: OSInfo | undefined, vendor?: string): string {
  if (type === 'rpm') {
    if (os?.family === 'rhel' || os?.family === 'centos') return 'redhat';
    return os?.family && os.family !== 'unknown'
      ? os.family
      : (vendor?.toLowerCase().split(/\s+/)[0] ?? 'rpm');
  }
  if (os?.family && os.family !== 'unknown' && os.family !== 'distroless') return os.family;
  return type === 'deb' ? 'debian' : 'alpine';
}

export function ecosystemOf(draft: PackageDraft, os: OSInfo | undefined): string {
  if (draft.type === 'deb' || draft.type === 'apk' || draft.type === 'rpm') return osEcosystem(os);
  return LANGUAGE_ECOSYSTEMS[draft.type];
}

export function purlOf(draft: PackageDraft, os: OSInfo | undefined): string {
  switch (draft.type) {
    case 'deb':
    case 'apk':
      return formatPurl({
        type: draft.type,
        namespace: osNamespace(draft.type, os),
        name: draft.name,
        version: draft.version,
        qualifiers: { arch: draft.arch, distro: distroQualifier(os) },
      });
    case 'rpm': {
      const epoch = draft.epoch ?? /^(\d+):/.exec(draft.version)?.[1];
      return formatPurl({
        type: 'rpm',
        namespace: osNamespace('rpm', os, draft.vendor),
        name: draft.name,
        version: draft.version.replace(/^\d+:/, ''),
        qualifiers: {
          arch: draft.arch,
          epoch: epoch !== undefined && Number(epoch) > 0 ? String(epoch) : undefined,
          distro: distroQualifier(os),
        },
      });
    }
    default:
      return formatPurl({
        type: draft.type,
        ...(draft.namespace ? { namespace: draft.namespace } : {}),
        name: draft.name,
        version: draft.version,
      });
  }
}
