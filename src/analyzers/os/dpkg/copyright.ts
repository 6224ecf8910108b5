/**
 * Licenses from a Debian `copyright` file, cheaply: the `License:` fields of the machine-readable
 * format (DEP-5), and otherwise references to `/usr/share/common-licenses/<NAME>`.
 */
const COMMON = /\/usr\/share\/common-licenses\/([A-Za-z0-9.+-]+)/g;

export function parseCopyright(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/^License:[ \t]*(\S[^\n]*)$/gm)) {
    const value = m[1]!.trim();
    if (value && !/^(none|unknown)$/i.test(value)) found.add(value);
  }
  if (found.size === 0) {
    for (const m of text.matchAll(COMMON)) found.add(m[1]!.replace(/\.$/, ''));
  }
  return [...found].sort();
}

/** `usr/share/doc/<package>/copyright` -> `<package>` */
export function packageOfCopyright(path: string): string | undefined {
  return /^usr\/share\/doc\/([^/]+)\/copyright$/.exec(path)?.[1];
}
