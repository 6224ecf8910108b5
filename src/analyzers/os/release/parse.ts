import type { OSFamily } from '../../../core/types.js';

/** Parses os-release(5): KEY=value lines, values optionally quoted with shell-like escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\(["\\`$])/g, '$1');
    }
    out[key] = value;
  }
  return out;
}

const FAMILY_BY_ID: Record<string, OSFamily> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  rhel: 'rhel',
  centos: 'centos',
  rocky: 'rocky',
  almalinux: 'almalinux',
  fedora: 'fedora',
  amzn: 'amazon',
  ol: 'oracle',
  sles: 'suse',
  sled: 'suse',
  sles_sap: 'suse',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  opensuse: 'opensuse',
  photon: 'photon',
  wolfi: 'wolfi',
  chainguard: 'chainguard',
  mariner: 'mariner',
  azurelinux: 'azurelinux',
};

export function familyFromId(id: string | undefined): OSFamily | undefined {
  return id ? FAMILY_BY_ID[id.toLowerCase()] : undefined;
}

/** `/etc/redhat-release`-style lines: "CentOS Linux release 7.9.2009 (Core)", "Rocky Linux release 9.3 (Blue Onyx)" */
export function parseReleaseLine(text: string): { family: OSFamily; version: string } | undefined {
  const line = text.split('\n')[0]?.trim() ?? '';
  const m = /^(.*?)\s+release\s+([0-9][0-9.]*)/i.exec(line);
  if (!m) return undefined;
  const name = m[1]!.toLowerCase();
  const version = m[2]!;
  const family: OSFamily | undefined = name.startsWith('centos')
    ? 'centos'
    : name.startsWith('rocky')
      ? 'rocky'
      : name.startsWith('almalinux')
        ? 'almalinux'
        : name.startsWith('fedora')
          ? 'fedora'
          : name.startsWith('oracle')
            ? 'oracle'
            : name.startsWith('amazon')
              ? 'amazon'
              : name.startsWith('red hat')
                ? 'rhel'
                : undefined;
  return family ? { family, version } : undefined;
}
