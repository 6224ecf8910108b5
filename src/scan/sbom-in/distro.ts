import type { OSFamily, OSInfo } from '../../core/types.js';

/**
 * Distribution ids as SBOM tools write them (os-release `ID`, purl namespaces, Syft and Trivy
 * `distro` qualifiers) -> Strata's OS family.
 */
const FAMILIES: Readonly<Record<string, OSFamily>> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  rhel: 'rhel',
  redhat: 'rhel',
  centos: 'centos',
  rocky: 'rocky',
  almalinux: 'almalinux',
  alma: 'almalinux',
  fedora: 'fedora',
  amzn: 'amazon',
  amazon: 'amazon',
  ol: 'oracle',
  oracle: 'oracle',
  sles: 'suse',
  sled: 'suse',
  sles_sap: 'suse',
  suse: 'suse',
  'sle-micro': 'suse',
  opensuse: 'opensuse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  photon: 'photon',
  wolfi: 'wolfi',
  chainguard: 'chainguard',
  mariner: 'mariner',
  'cbl-mariner': 'mariner',
  azurelinux: 'azurelinux',
};

export function familyOf(id: string | undefined): OSFamily | undefined {
  return id ? FAMILIES[id.toLowerCase()] : undefined;
}

/**
 * A purl `distro` qualifier: `debian-12`, `alpine-3.20.1`, `opensuse-leap-15.5`, `rhel-9.3`, a bare
 * id (`debian`) or, as Trivy writes Alpine's, a bare version (`3.16.0`).
 */
export function parseDistro(text: string): { family?: OSFamily; version?: string } {
  if (/^\d/.test(text)) return { version: text };
  const m = /^(.+?)-(\d[\w.~+:-]*)$/.exec(text);
  const family = familyOf(m ? m[1] : text);
  return { ...(family ? { family } : {}), ...(m ? { version: m[2] } : {}) };
}

/** An operating-system component as OSInfo; undefined when its name is no distribution Strata knows. */
export function osOfComponent(os: {
  name: string;
  version?: string;
  description?: string;
}): OSInfo | undefined {
  const family = familyOf(os.name) ?? familyOf(os.name.split(/\s+/)[0]);
  if (!family) return undefined;
  return {
    family,
    version: os.version ?? '',
    ...(os.description && os.description !== os.name ? { name: os.description } : {}),
  };
}
