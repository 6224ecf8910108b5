import type { PackageDraft } from '../../types.js';
import { defineLangAnalyzer } from '../shared/define.js';
import { isElf, readElf } from '../shared/elf.js';
import { goPackage, goVersion } from '../shared/naming.js';
import { readGoBuildInfo } from './buildinfo.js';
import { parseModInfo } from './modinfo.js';

const EXECUTABLE = 0o111;
/** the version Go records for a main module built from a work tree */
const DEVEL = '(devel)';
/** Go binaries are rarely this small; smaller executables are scripts. */
const MIN_SIZE = 64 * 1024;

/**
 * Go module binaries: the standard library as `stdlib` (version without `go`), the main module
 * (`extra.main`, version `(devel)` for a work-tree build) and every `dep` with replacements applied.
 * Non-ELF and non-Go files yield nothing.
 */
export const goBinaryAnalyzer = defineLangAnalyzer({
  name: 'lang/go-binary',
  // 2: the main module at (devel) is listed too
  version: 2,
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
      const main = m.kind === 'mod';
      // the application itself is listed even at `(devel)` (a plain `go build`): the SBOM's root
      // component; a dependency without a version names no release and is left out
      if (!main && (!m.version || m.version === '(devel)')) continue;
      const version = !m.version || m.version === DEVEL ? DEVEL : goVersion(m.version);
      const extra = {
        ...(main ? { main: true } : {}),
        ...(m.replacedBy ? { replacedBy: m.replacedBy } : {}),
      };
      out.push(goPackage(m.path, version, Object.keys(extra).length ? { extra } : {}));
    }
    return out;
  },
});

/** `go1.22.4` -> `1.22.4`; `go1.21.0 X:boringcrypto` -> `1.21.0`; development builds have no release. */
export function stdlibVersion(v: string): string | undefined {
  const m = /^go(\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?)(?:\s|$)/.exec(v);
  return m?.[1];
}
