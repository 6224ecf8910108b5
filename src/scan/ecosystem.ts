import type { PackageDraft, PackageType } from '../core/index.js';
import { formatPurl } from '../core/purl.js';
import type { OSInfo } from '../core/types.js';
import { osEcosystem as osvEcosystemOf } from '../vuln/light.js';

/** Package type (and purl type) -> OSV ecosystem, for the language ecosystems our analyzers produce. */
export const LANGUAGE_ECOSYSTEMS: Readonly<Record<Exclude<PackageType, 'deb' | 'apk' | 'rpm'>, string>> = {
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

/**
 * The OSV ecosystem of an OS package on a given OS, spelled exactly as OSV's records spell it
 * (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.20`, `Rocky Linux:9`, `Red Hat:enterprise_linux:9`,
 * `SUSE:Linux Enterprise Server 15 SP5`...): one mapping, owned by the matcher (vuln/os-ecosystem.ts).
 */
export function osEcosystem(os: OSInfo | undefined): string {
  return (os && osvEcosystemOf(os)) ?? 'unknown';
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
