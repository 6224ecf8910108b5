import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { isElf, readElf } from '../shared/elf.js';
import { goPackage, goVersion } from '../shared/naming.js';
import { readGoBuildInfo } from './buildinfo.js';
import { parseModInfo } from './modinfo.js';

const EXECUTABLE = 0o111;
/** Go binaries are rarely this small; smaller executables are scripts. */
const MIN_SIZE = 64 * 1024;

/**
 * Go module binaries: the standard library as `stdlib` (version without `go`), the main module when
 * it has a version, and every `dep` with replacements applied. Non-ELF and non-Go files yield nothing.
 */
export const goBinaryAnalyzer = defineLangAnalyzer({
  name: 'lang/go-binary',
  version: 1,
  maxFileSize: 256 * 1024 * 1024,
  required: (file) => (file.mode & EXECUTABLE) !== 0 && file.size >= MIN_SIZE,
  parse: ({ content }) => {
    if (!isElf(content)) return [];
    const info = readGoBuildInfo(content, readElf(content));
    if (!info) return [];
    const out: PackageDraft[] = [];
    const std = stdlibVersion(info.goVersion);
    if (std) out.push({ type: 'golang', name: 'stdlib', version: std });
    for (const m of parseModInfo(info.modInfo)) {
      if (!m.version || m.version === '(devel)') continue;
      const extra = {
        ...(m.kind === 'mod' ? { main: true } : {}),
        ...(m.replacedBy ? { replacedBy: m.replacedBy } : {}),
      };
      out.push(goPackage(m.path, goVersion(m.version), Object.keys(extra).length ? { extra } : {}));
    }
    return out;
  },
});

/** `go1.22.4` -> `1.22.4`; `go1.21.0 X:boringcrypto` -> `1.21.0`; development builds have no release. */
export function stdlibVersion(v: string): string | undefined {
  const m = /^go(\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?)(?:\s|$)/.exec(v);
  return m?.[1];
}
