import type { AnalysisResult, PackageDraft } from '../../types.js';

type OwnedFiles = NonNullable<AnalysisResult['ownedFiles']>[number];

export interface ApkInstalled {
  packages: PackageDraft[];
  /** the files each package installed: every `R:` line joined to the `F:` directory above it */
  ownedFiles: OwnedFiles[];
  errors: string[];
}

/**
 * Parses apk's `lib/apk/db/installed`: one block per package, `X:value` lines, blocks separated
 * by blank lines (P name, V version, A arch, o origin, L license, m maintainer, C checksum; F a
 * directory and R a file in it, repeated).
 */
export function parseApkInstalled(text: string): ApkInstalled {
  const packages: PackageDraft[] = [];
  const ownedFiles: OwnedFiles[] = [];
  const errors: string[] = [];
  let block = new Map<string, string>();
  let files: string[] = [];
  let dir = '';
  let start = 1;
  const flush = (line: number) => {
    if (block.size === 0) return;
    const name = block.get('P');
    const version = block.get('V');
    if (!name || !version) errors.push(`package at line ${start}: missing ${name ? 'V' : 'P'} field`);
    else {
      const origin = block.get('o');
      const arch = block.get('A');
      const license = block.get('L');
      const maintainer = block.get('m');
      const checksum = block.get('C');
      packages.push({
        type: 'apk',
        name,
        version,
        ...(origin ? { source: { name: origin, version } } : {}),
        ...(arch ? { arch } : {}),
        ...(license ? { licenses: [license] } : {}),
        ...(maintainer ? { maintainer } : {}),
        ...(checksum ? { extra: { checksum } } : {}),
      });
      if (files.length > 0) ownedFiles.push({ type: 'apk', name, ...(arch ? { arch } : {}), paths: files });
    }
    block = new Map();
    files = [];
    dir = '';
    start = line + 1;
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') {
      flush(i + 1);
      continue;
    }
    if (line.length < 2 || line[1] !== ':') continue;
    const key = line[0]!;
    const value = line.slice(2);
    if (key === 'F') dir = value.replace(/^\/+|\/+$/g, '');
    else if (key === 'R' && value) files.push(dir ? `${dir}/${value}` : value);
    if (!block.has(key)) block.set(key, value);
  }
  flush(lines.length);
  return { packages, ownedFiles, errors };
}
