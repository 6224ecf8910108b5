/**
 * dpkg's per-package file lists, `var/lib/dpkg/info/<package>[:<arch>].list`: one absolute path
 * per line (directories included, the root as `/.`), every file the package installed. They tell
 * which files on disk belong to an OS package, e.g. Debian's python3-urllib3 files under
 * `usr/lib/python3/dist-packages`, patched by the distribution.
 */
const LIST = /^var\/lib\/dpkg\/info\/([^/]+)\.list$/;

/** `var/lib/dpkg/info/libssl3:amd64.list` -> `{ name: 'libssl3', arch: 'amd64' }` */
export function packageOfList(path: string): { name: string; arch?: string } | undefined {
  const m = LIST.exec(path);
  if (!m) return undefined;
  const [name, arch] = m[1]!.split(':');
  if (!name) return undefined;
  return arch ? { name, arch } : { name };
}

/** The listed paths, normalised as the walker's (no leading `/`), without the root entry. */
export function parseList(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split('\n')) {
    const path = raw.replace(/\r$/, '').replace(/^\/+/, '').replace(/\/+$/, '');
    if (path === '' || path === '.') continue;
    out.add(path);
  }
  return [...out].sort();
}
