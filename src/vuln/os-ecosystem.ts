import type { OSInfo } from '../core/types.js';

const major = (v: string): string | undefined => /^(\d+)/.exec(v)?.[1];
const majorMinor = (v: string): string | undefined => {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? `${m[1]}.${m[2]}` : undefined;
};
const withRelease = (base: string, release: string | undefined): string =>
  release ? `${base}:${release}` : base;

/** SLES `15.5` -> `15 SP5`, `15` / `15.0` -> `15`, `16.0` -> `16.0` (SLE 16 drops service packs). */
function sleRelease(v: string): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(v);
  if (!m) return undefined;
  const [, maj, min] = m;
  if (Number(maj) >= 16) return `${maj}.${min ?? '0'}`;
  return min && min !== '0' ? `${maj} SP${min}` : maj;
}

/**
 * The OSV ecosystem (with its release, spelled as OSV spells it) of the packages of an OS:
 * Debian 12.5 -> `Debian:12`, Ubuntu 22.04 -> `Ubuntu:22.04:LTS`, Alpine 3.20.1 -> `Alpine:v3.20`,
 * Rocky 9.3 -> `Rocky Linux:9`, RHEL 9.3 -> `Red Hat:enterprise_linux:9` (RHEL 10 releases are
 * minor-versioned: `Red Hat:enterprise_linux:10.1`), SLES 15.5 -> `SUSE:Linux Enterprise Server 15 SP5`,
 * openSUSE Leap 15.5 -> `openSUSE:Leap 15.5`, Tumbleweed -> `openSUSE:Tumbleweed`, Photon 5.0 ->
 * `Photon OS:5.0`, Wolfi -> `Wolfi`. The bare family when the release cannot be read; undefined
 * when the OS is unknown. Distributions OSV does not publish keep a name of the same shape.
 */
export function osEcosystem(os: OSInfo): string | undefined {
  const v = os.version.trim();
  switch (os.family) {
    case 'debian':
      return withRelease('Debian', major(v));
    case 'ubuntu': {
      const m = /^(\d+)\.(\d+)/.exec(v);
      if (!m) return 'Ubuntu';
      const lts = Number(m[1]) % 2 === 0 && m[2] === '04';
      return `Ubuntu:${m[1]}.${m[2]}${lts ? ':LTS' : ''}`;
    }
    case 'alpine': {
      const mm = majorMinor(v);
      return mm ? `Alpine:v${mm}` : 'Alpine';
    }
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'rocky':
      return withRelease('Rocky Linux', major(v));
    case 'almalinux':
      return withRelease('AlmaLinux', major(v));
    case 'rhel':
    case 'centos': {
      // CentOS Linux rebuilds RHEL with the same package versions; OSV has no CentOS ecosystem
      const maj = major(v);
      if (!maj) return 'Red Hat';
      const release = Number(maj) >= 10 ? (majorMinor(v) ?? `${maj}.0`) : maj;
      return `Red Hat:enterprise_linux:${release}`;
    }
    case 'suse':
      return withRelease('SUSE', ((r) => r && `Linux Enterprise Server ${r}`)(sleRelease(v)));
    case 'opensuse':
      // Tumbleweed is rolling: its VERSION_ID is a snapshot date
      if (/^\d{8}$/.test(v) || /tumbleweed/i.test(os.name ?? '')) return 'openSUSE:Tumbleweed';
      return withRelease('openSUSE', ((r) => r && `Leap ${r}`)(majorMinor(v)));
    case 'photon': {
      const maj = major(v);
      return withRelease('Photon OS', maj && (majorMinor(v) ?? `${maj}.0`));
    }
    case 'mariner':
      return withRelease('Mariner', majorMinor(v));
    case 'azurelinux':
      return withRelease('Azure Linux', majorMinor(v));
    case 'fedora':
      return withRelease('Fedora', major(v));
    case 'amazon':
      return withRelease('Amazon Linux', major(v));
    case 'oracle':
      return withRelease('Oracle Linux', major(v));
    case 'distroless':
    case 'unknown':
      return undefined;
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether advisories filed under `dbEcosystem` apply to packages whose scan recorded `ecosystem`.
 * Besides the same string: Ubuntu's Pro (ESM) stream of the same LTS (`Ubuntu:Pro:22.04:LTS`, whose
 * fixes need an Ubuntu Pro subscription), every repository of a RHEL release
 * (`Red Hat:enterprise_linux:9::baseos`, `::appstream`...), and every SUSE product of the same SLE
 * service pack (`SUSE:Linux Enterprise Module for Basesystem 15 SP5`, `... 15 SP5-LTSS`: SUSE files a
 * package under the module that ships it, which os-release does not name).
 */
export function ecosystemApplies(ecosystem: string, dbEcosystem: string): boolean {
  if (ecosystem === dbEcosystem) return true;
  const ubuntu = /^Ubuntu:(\d+\.\d+):LTS$/.exec(ecosystem);
  if (ubuntu) return dbEcosystem === `Ubuntu:Pro:${ubuntu[1]}:LTS`;
  if (/^Red Hat:enterprise_linux:\d+(\.\d+)?$/.test(ecosystem)) {
    return dbEcosystem.startsWith(`${ecosystem}::`);
  }
  const sle = /^SUSE:Linux Enterprise Server (\d+(?: SP\d+|\.\d+)?)$/.exec(ecosystem);
  if (sle) return new RegExp(`^SUSE:.+ ${escapeRegExp(sle[1]!)}(-[A-Za-z]+)?$`).test(dbEcosystem);
  return false;
}

/** The ecosystems of the database to look a package up in: its own, then the related ones, sorted. */
export function applicableEcosystems(ecosystem: string, known: Iterable<string>): string[] {
  const related = [...known].filter((e) => e !== ecosystem && ecosystemApplies(ecosystem, e)).sort();
  return [ecosystem, ...related];
}
