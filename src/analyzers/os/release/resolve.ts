import type { OSInfo } from '../../../core/types.js';
import { familyFromId, parseOsRelease, parseReleaseLine } from './parse.js';

/** The files this analyzer reads, in the order they are trusted for the family. */
export const RELEASE_FILES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/lsb-release',
  'etc/debian_version',
  'etc/alpine-release',
  'etc/redhat-release',
  'etc/centos-release',
  'etc/rocky-release',
  'etc/almalinux-release',
  'etc/fedora-release',
  'etc/oracle-release',
  'etc/system-release',
] as const;

/**
 * Decides the OS from the release files of the final filesystem. os-release names the family;
 * a distribution's own file refines the version where os-release is coarse (Debian's
 * `debian_version` is `12.5` where os-release says `12`).
 */
export function resolveOS(files: ReadonlyMap<string, string>): OSInfo | undefined {
  const osRelease = files.get('etc/os-release') ?? files.get('usr/lib/os-release');
  if (osRelease !== undefined) {
    const kv = parseOsRelease(osRelease);
    const family = familyFromId(kv.ID) ?? familyFromId(kv.ID_LIKE?.split(/\s+/)[0]);
    if (family) {
      let version = kv.VERSION_ID ?? '';
      const debianVersion = files.get('etc/debian_version')?.trim();
      if (family === 'debian' && debianVersion && /^\d+(\.\d+)*$/.test(debianVersion))
        version = debianVersion;
      if (family === 'debian' && !version && debianVersion) version = debianVersion;
      const alpine = files.get('etc/alpine-release')?.trim();
      if (family === 'alpine' && alpine) version = alpine;
      const distroless = /distroless/i.test(kv.PRETTY_NAME ?? '');
      return {
        family,
        version,
        ...(kv.PRETTY_NAME ? { name: kv.PRETTY_NAME } : {}),
        ...(distroless ? { distroless } : {}),
      };
    }
  }
  const alpine = files.get('etc/alpine-release');
  if (alpine !== undefined) return { family: 'alpine', version: alpine.trim() };
  for (const path of RELEASE_FILES.slice(5)) {
    const text = files.get(path);
    const parsed = text === undefined ? undefined : parseReleaseLine(text);
    if (parsed) return parsed;
  }
  const lsb = files.get('etc/lsb-release');
  if (lsb !== undefined) {
    const kv = parseOsRelease(lsb);
    const family = familyFromId(kv.DISTRIB_ID);
    if (family) return { family, version: kv.DISTRIB_RELEASE ?? '' };
  }
  const debian = files.get('etc/debian_version');
  if (debian !== undefined) return { family: 'debian', version: debian.trim() };
  return undefined;
}
