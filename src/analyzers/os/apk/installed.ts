import type { PackageDraft } from '../../types.js';

/**
 * Parses apk's `lib/apk/db/installed`: one block per package, `X:value` lines, blocks separated
 * by blank lines (P name, V version, A arch, o origin, L license, m maintainer, C checksum).
 */
export function parseApkInstalled(text: string): { packages: PackageDraft[]; errors: string[] } {
  const packages: PackageDraft[] = [];
  const errors: string[] = [];
  let block = new Map<string, string>();
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
    }
    block = new Map();
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
    if (!block.has(key)) block.set(key, line.slice(2));
  }
  flush(lines.length);
  return { packages, errors };
}
